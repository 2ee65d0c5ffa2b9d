import { Controller, Get, Headers, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { boardWorkbook } from './board-xlsx';
import { DeadlineBoardDto, DeadlineBoardQuery } from './deadlines.dto';
import { DeadlinesService } from './deadlines.service';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('reports 统计')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Get('deadlines')
  @Roles('clerk', 'supervisor', 'auditor')
  @ApiOperation({ summary: '期限看板：N个工作日内届满及已逾期的未办结案件（按紧迫程度），可办结的逾期未补正或未缴费案件，待确认的网上申请；?format=xlsx 打印' })
  @ApiProduces('application/json', XLSX_TYPE)
  @ApiResponse({ status: 200, type: DeadlineBoardDto, description: 'JSON；format=xlsx 或 Accept 为 xlsx 时为工作簿' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (within outside 0–60, bad cursor or limit)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN (admin; a clerk asking for another agency or sub-agencies; an agency outside the caller’s scope)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND (no such agency)' })
  async board(
    @Query() q: DeadlineBoardQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeadlineBoardDto | StreamableFile> {
    const xlsx = q.format === 'xlsx' || (q.format === undefined && accept?.includes(XLSX_TYPE));
    if (!xlsx) return this.deadlines.board(user, q);
    const board = await this.deadlines.board(user, q, true);
    void reply.headers({ 'Cache-Control': 'private, no-store' });
    return new StreamableFile(await boardWorkbook(board), { type: XLSX_TYPE, disposition: `attachment; filename="deadlines-${board.today}.xlsx"` });
  }
}
