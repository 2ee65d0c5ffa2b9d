import { Controller, Get, Headers, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { contentDisposition } from '../../common/http/content-disposition';
import { annualCsv, annualXlsx, CSV_TYPE, XLSX_TYPE } from './annual-export';
import { AnnualReportDto, AnnualReportQuery, PublishAnnualReportQuery, type AnnualDownloadFormat } from './annual-report.dto';
import { AnnualReportService } from './annual-report.service';

const BAD_REQUEST = { status: 400, description: 'VALIDATION_FAILED：year 早于2019年或晚于今年、不是整数，agencyId 格式不正确，includeSubAgencies 不是 true/false，format 不是 json/csv/xlsx，多余参数；details.fields 指明' };
const UNAUTHENTICATED = { status: 401, description: 'UNAUTHENTICATED' };
const NOT_FOUND = { status: 404, description: 'NOT_FOUND：机关不存在' };

/** The format asked for: `?format=` first, else the Accept header, else JSON. */
export function negotiate(format: AnnualDownloadFormat | undefined, accept: string | undefined): AnnualDownloadFormat {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes(XLSX_TYPE)) return 'xlsx';
  return 'json';
}

/** 政府信息公开工作年度报告 (parts 三 and 四 of the national format), its downloads and its publication. */
@ApiTags('reports 统计报表')
@ApiBearerAuth()
@Controller('api/v1/reports/annual')
export class AnnualReportController {
  constructor(private readonly reports: AnnualReportService) {}

  @Get()
  @ApiOperation({
    summary: '政府信息公开工作年度报告（表三 收到和处理申请情况、表四 行政复议和行政诉讼情况、信息处理费、勾稽关系）；已公开的年度答复公开时的数字，并附当前数字和变化的单元格',
    description: '监督人员、审计人员可查看本机关及下级机关；承办人员和系统管理员不能查看。`?format=csv|xlsx` 或 `Accept: text/csv` / xlsx 的 MIME 类型下载，版式同全国统一格式。',
  })
  @ApiProduces('application/json', CSV_TYPE, XLSX_TYPE)
  @ApiResponse({ status: 200, type: AnnualReportDto, description: 'JSON；或 CSV、XLSX 文件' })
  @ApiResponse(BAD_REQUEST)
  @ApiResponse(UNAUTHENTICATED)
  @ApiResponse({ status: 403, description: 'FORBIDDEN：承办人员、系统管理员，或机关不在本人查看范围内' })
  @ApiResponse(NOT_FOUND)
  async annual(
    @Query() q: AnnualReportQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnnualReportDto | StreamableFile> {
    const report = await this.reports.report(user, q);
    const format = negotiate(q.format, accept);
    void reply.header('Cache-Control', 'private, no-store');
    if (format === 'json') return report as unknown as AnnualReportDto; // Table3 is keyed by row code: the DTO spells the keys out for the OpenAPI document
    const name = `${report.agency.name}${report.year}年政府信息公开工作年度报告`;
    if (format === 'csv') return new StreamableFile(Buffer.from(annualCsv(report), 'utf8'), { type: CSV_TYPE, disposition: contentDisposition(`${name}.csv`) });
    return new StreamableFile(await annualXlsx(report), { type: XLSX_TYPE, disposition: contentDisposition(`${name}.xlsx`) });
  }

  @Post('publish')
  @HttpCode(201)
  @Roles('supervisor')
  @ApiOperation({ summary: '公开年度报告（监督人员）：冻结当日的表三、表四和信息处理费；此后查询该年度答复公开时的数字' })
  @ApiResponse({ status: 201, type: AnnualReportDto })
  @ApiResponse(BAD_REQUEST)
  @ApiResponse(UNAUTHENTICATED)
  @ApiResponse({ status: 403, description: 'FORBIDDEN：非监督人员，或机关不在本人范围内' })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'REPORT_ALREADY_PUBLISHED：该机关该年度（同一范围）的报告已公开；details.publishedOn' })
  publish(@Query() q: PublishAnnualReportQuery, @CurrentUser() user: AuthUser): Promise<AnnualReportDto> {
    return this.reports.publish(user, q) as unknown as Promise<AnnualReportDto>;
  }
}
