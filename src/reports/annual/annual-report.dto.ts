import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { CHECK_NAMES, FIRST_REPORT_YEAR, FORMAT_2019, FORMAT_2021, TABLE3_COLUMNS } from '../../statute/annual-report';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const ANNUAL_DOWNLOAD_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type AnnualDownloadFormat = (typeof ANNUAL_DOWNLOAD_FORMATS)[number];

export class AnnualReportQuery {
  @ApiProperty({ description: `报告年度（${FIRST_REPORT_YEAR}年起，不晚于今年）`, example: 2024 })
  @Transform(toInt)
  @IsDefined()
  @IsInt()
  @Min(FIRST_REPORT_YEAR)
  year: number;

  @ApiPropertyOptional({ description: '机关；默认为本人所在机关' }) @IsOptional() @IsUUID() agencyId?: string;

  @ApiPropertyOptional({ description: '含下级机关（默认 false）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;

  @ApiPropertyOptional({ enum: ANNUAL_DOWNLOAD_FORMATS, description: '下载格式；未填时依 Accept 头（text/csv 或 xlsx 的 MIME 类型），否则 JSON' })
  @IsOptional()
  @IsIn(ANNUAL_DOWNLOAD_FORMATS)
  format?: AnnualDownloadFormat;
}

export class PublishAnnualReportQuery {
  @ApiProperty({ description: `报告年度（${FIRST_REPORT_YEAR}年起，不晚于今年）`, example: 2024 })
  @Transform(toInt)
  @IsDefined()
  @IsInt()
  @Min(FIRST_REPORT_YEAR)
  year: number;

  @ApiPropertyOptional({ description: '机关；默认为本人所在机关' }) @IsOptional() @IsUUID() agencyId?: string;

  @ApiPropertyOptional({ description: '含下级机关（默认 false）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
}

export class Table3RowDto {
  @ApiProperty({ description: '自然人' }) natural_person: number;
  @ApiProperty({ description: '商业企业' }) commercial: number;
  @ApiProperty({ description: '科研机构' }) research: number;
  @ApiProperty({ description: '社会公益组织' }) public_interest: number;
  @ApiProperty({ description: '法律服务机构' }) legal_service: number;
  @ApiProperty({ description: '其他（法人或其他组织）' }) other_org: number;
  @ApiProperty({ description: '总计' }) total: number;
}

const ROW_2021 = { type: Table3RowDto, required: false, description: '2021年及以后格式' };

export class Table3RowsDto {
  @ApiProperty({ type: Table3RowDto, description: '一、本年新收政府信息公开申请数量' }) new: Table3RowDto;
  @ApiProperty({ type: Table3RowDto, description: '二、上年结转政府信息公开申请数量' }) carried_in: Table3RowDto;
  @ApiProperty({ type: Table3RowDto, description: '（一）予以公开' }) granted: Table3RowDto;
  @ApiProperty({ type: Table3RowDto, description: '（二）部分公开' }) partial: Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.state_secret': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.law_prohibited': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.security_stability': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.third_party': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.internal_affairs': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.process_info': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.enforcement_file': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'withheld.administrative_query': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'unavailable.not_held': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'unavailable.needs_creation': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'unavailable.still_unclear': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'rejected.petition': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'rejected.duplicate': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'rejected.publication': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'rejected.vexatious': Table3RowDto;
  @ApiProperty({ type: Table3RowDto }) 'rejected.confirmation': Table3RowDto;
  @ApiPropertyOptional(ROW_2021) 'other.correction_lapsed'?: Table3RowDto;
  @ApiPropertyOptional(ROW_2021) 'other.fee_unpaid'?: Table3RowDto;
  @ApiPropertyOptional(ROW_2021) 'other.other'?: Table3RowDto;
  @ApiPropertyOptional({ type: Table3RowDto, description: '（六）其他处理：2019、2020年度（国办公开办函〔2019〕60号）为一行' }) other?: Table3RowDto;
  @ApiProperty({ type: Table3RowDto, description: '（七）总计' }) concluded_total: Table3RowDto;
  @ApiProperty({ type: Table3RowDto, description: '四、结转下年度继续办理' }) carried_out: Table3RowDto;
}

export class ApplicationsTableDto {
  @ApiProperty({ enum: TABLE3_COLUMNS, isArray: true }) columns: string[];
  @ApiProperty({ type: Table3RowsDto }) rows: Table3RowsDto;
}

export class Table4RowDto {
  @ApiProperty({ description: '结果维持' }) upheld: number;
  @ApiProperty({ description: '结果纠正' }) corrected: number;
  @ApiProperty({ description: '其他结果' }) other: number;
  @ApiProperty({ description: '尚未审结（至当年12月31日）' }) pending: number;
  @ApiProperty({ description: '总计' }) total: number;
}

export class ReviewsTableDto {
  @ApiProperty({ type: Table4RowDto, description: '行政复议' }) reconsideration: Table4RowDto;
  @ApiProperty({ type: Table4RowDto, description: '行政诉讼·未经复议直接起诉' }) litigation_direct: Table4RowDto;
  @ApiProperty({ type: Table4RowDto, description: '行政诉讼·复议后起诉' }) litigation_after_reconsideration: Table4RowDto;
}

export class AnnualFeesDto {
  @ApiProperty({ description: '收费通知日期在本年度的案件数' }) casesCharged: number;
  @ApiProperty({ description: '上述收费通知的金额合计（元）' }) amountCharged: number;
  @ApiProperty({ description: '缴费日期在本年度的案件数' }) casesPaid: number;
  @ApiProperty({ description: '本年度实际收取的金额（元）' }) amountCollected: number;
}

export class ChecksDto {
  @ApiProperty({ description: '规则1：每列 新收 + 上年结转 = 办理结果总计 + 结转下年度' }) balanced: boolean;
  @ApiProperty({ description: '规则2：每行 总计 = 六类申请人之和' }) rowTotals: boolean;
  @ApiProperty({ description: '规则3：（七）总计 = 各办理结果行之和' }) resultTotal: boolean;
  @ApiProperty({ description: '规则4：上年结转 = 上一年度的结转下年度（上一年度已公开的，与公开的数字比较）' }) carriedOver: boolean;
  @ApiProperty({ description: '表四：每类总计 = 四种结果之和' }) reviewTotals: boolean;
}

export class CheckProblemDto {
  @ApiProperty({ enum: CHECK_NAMES }) rule: string;
  @ApiProperty({ description: '不成立的列、行或复议诉讼类别' }) where: string;
  @ApiProperty() expected: number;
  @ApiProperty() actual: number;
}

export class AgencyRefDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class PublicationDto {
  @ApiProperty({ description: '公开日期（YYYY-MM-DD）' }) publishedOn: string;
  @ApiProperty({ description: '公开时间' }) publishedAt: string;
  @ApiProperty({ description: '公开人' }) publishedBy: string;
}

export class LiveFiguresDto {
  @ApiProperty({ type: ApplicationsTableDto }) applications: ApplicationsTableDto;
  @ApiProperty({ type: ReviewsTableDto }) reviews: ReviewsTableDto;
  @ApiProperty({ type: AnnualFeesDto }) fees: AnnualFeesDto;
  @ApiProperty({ type: ChecksDto }) checks: ChecksDto;
  @ApiProperty({ type: [CheckProblemDto] }) checkProblems: CheckProblemDto[];
}

export class ChangedCellDto {
  @ApiProperty({ enum: ['applications', 'reviews', 'fees'] }) table: string;
  @ApiProperty({ description: '行代码（表三）、复议诉讼类别（表四）或 fees' }) row: string;
  @ApiProperty({ description: '列代码' }) column: string;
  @ApiProperty({ description: '公开时的数字' }) published: number;
  @ApiProperty({ description: '当前数字' }) live: number;
}

export class AnnualReportDto {
  @ApiProperty() year: number;
  @ApiProperty({ type: AgencyRefDto }) agency: AgencyRefDto;
  @ApiProperty() includeSubAgencies: boolean;
  @ApiProperty({ enum: [FORMAT_2021, FORMAT_2019], description: '年度报告格式：2019、2020年度为国办公开办函〔2019〕60号' }) format: string;
  @ApiProperty({ type: ApplicationsTableDto, description: '三、收到和处理政府信息公开申请情况（已公开的为公开时的数字）' }) applications: ApplicationsTableDto;
  @ApiProperty({ type: ReviewsTableDto, description: '四、政府信息公开行政复议、行政诉讼情况' }) reviews: ReviewsTableDto;
  @ApiProperty({ type: AnnualFeesDto, description: '本年度信息处理费' }) fees: AnnualFeesDto;
  @ApiProperty({ type: ChecksDto, description: '勾稽关系，按规则' }) checks: ChecksDto;
  @ApiProperty({ type: [CheckProblemDto], description: '不成立的勾稽关系' }) checkProblems: CheckProblemDto[];
  @ApiProperty({ type: PublicationDto, nullable: true, description: '已公开时：公开日期等；未公开为 null' }) publication: PublicationDto | null;
  @ApiProperty({ type: LiveFiguresDto, nullable: true, description: '已公开时：当前的数字；未公开为 null' }) live: LiveFiguresDto | null;
  @ApiProperty({ type: [ChangedCellDto], description: '已公开时：公开后发生变化的单元格' }) changedCells: ChangedCellDto[];
}

