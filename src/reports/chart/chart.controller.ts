import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { AnnualChartQuery } from './chart.dto';
import { ChartService } from './chart.service';

@ApiTags('reports 统计')
@ApiBearerAuth()
@Controller('api/v1/reports/annual')
export class ChartController {
  constructor(private readonly charts: ChartService) {}

  @Get('chart')
  @Roles('supervisor', 'auditor')
  @ApiOperation({ summary: '年度报告图解：全年办理结果（按表三六类）与各月收到、办结件数；SVG 或 PNG（服务器端渲染，中文字体）' })
  @ApiProduces('image/svg+xml', 'image/png')
  @ApiResponse({ status: 200, description: 'SVG 或 PNG 图片（1000×560）', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (year before 2019 or after this year, format not svg/png)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN (clerk, admin, or an agency outside the caller’s scope)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND (no such agency)' })
  async chart(@Query() q: AnnualChartQuery, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const c = await this.charts.render(user, q);
    void reply.headers({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
    return new StreamableFile(c.body, { type: c.type, disposition: `inline; filename="${c.fileName}"`, length: c.body.length });
  }
}
