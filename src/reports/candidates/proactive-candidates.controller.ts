import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/auth.decorators';
import { ProactiveCandidatesDto, ProactiveCandidatesQuery } from './proactive-candidates.dto';
import { ProactiveCandidatesService } from './proactive-candidates.service';

@ApiTags('reports 统计报表')
@ApiBearerAuth()
@Controller('api/v1/reports/proactive-candidates')
export class ProactiveCandidatesController {
  constructor(private readonly service: ProactiveCandidatesService) {}

  @Get()
  @ApiOperation({ summary: '可纳入主动公开范围的信息（条例第四十四条）：多个不同申请人申请且已公开的相同信息，按申请描述归组' })
  @ApiResponse({ status: 200, type: ProactiveCandidatesDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED：日期格式不正确、from 晚于 to、min 不是2–1000的整数、agencyId 格式不正确、多余参数' })
  @ApiResponse({ status: 401, description: 'UNAUTHENTICATED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN：承办人员、系统管理员，或机关不在本人查看范围内' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND：机关不存在' })
  candidates(@Query() q: ProactiveCandidatesQuery, @CurrentUser() user: AuthUser): Promise<ProactiveCandidatesDto> {
    return this.service.candidates(user, q);
  }
}
