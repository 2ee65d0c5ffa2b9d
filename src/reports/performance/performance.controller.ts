import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { PerformanceDto, PerformanceQuery } from './performance.dto';
import { PerformanceService } from './performance.service';

@ApiTags('reports 统计')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Get('performance')
  @Roles('supervisor', 'auditor')
  @ApiOperation({ summary: '办理情况数字：答复率、按期答复率、逾期未办结、答复用时、纠错率、信息处理费（各附口径）；可按机关（排名）、申请人类型、渠道、月份分列' })
  @ApiResponse({ status: 200, type: PerformanceDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (malformed date, from after to, asOf in the future, period over ten years, unknown by)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN (clerk, admin, or an agency outside the caller’s scope)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND (no such agency)' })
  figures(@Query() q: PerformanceQuery, @CurrentUser() user: AuthUser): Promise<PerformanceDto> {
    return this.performance.figures(user, q);
  }
}
