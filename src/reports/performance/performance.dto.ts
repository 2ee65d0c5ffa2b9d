import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators';
import { ReportAgencyDto, toBool } from '../report-query';

export const PERFORMANCE_BY = ['agency', 'applicantType', 'channel', 'month'] as const;
export type PerformanceBy = (typeof PERFORMANCE_BY)[number];

export class PerformanceQuery {
  @ApiPropertyOptional({ description: '统计期间起日（含），默认统计日所在年度的1月1日', example: '2024-01-01' }) @IsOptional() @IsIsoDate() from?: string;
  @ApiPropertyOptional({ description: '统计期间止日（含），默认统计日', example: '2024-12-31' }) @IsOptional() @IsIsoDate() to?: string;
  @ApiPropertyOptional({ description: '统计日（默认今日，不得晚于今日）', example: '2025-01-10' }) @IsOptional() @IsIsoDate() asOf?: string;
  @ApiPropertyOptional({ description: '机关（默认本人所在机关）' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: '含下级机关（默认 false）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
  @ApiPropertyOptional({ enum: PERFORMANCE_BY, description: '分组：agency 为所查机关以下各机关（各计本机关案件）并列排名；applicantType 申请人类型；channel 申请渠道；month 月份' })
  @IsOptional()
  @IsIn(PERFORMANCE_BY)
  by?: PerformanceBy;
}

export class RatioDto {
  @ApiProperty({ description: '分子（件）' }) numerator: number;
  @ApiProperty({ description: '分母（件）' }) denominator: number;
  @ApiProperty({ type: Number, nullable: true, description: '比率（0–1，四位小数）；分母为0时为 null' }) rate: number | null;
  @ApiProperty({ description: '口径' }) definition: string;
}

export class CountFigureDto {
  @ApiProperty() count: number;
  @ApiProperty({ description: '口径' }) definition: string;
}

export class TimeToReplyDto {
  @ApiProperty({ description: '计入的已办结件数' }) count: number;
  @ApiProperty({ type: Number, nullable: true, description: '中位数（工作日，最近秩法）' }) median: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '第90百分位数（工作日，最近秩法）' }) p90: number | null;
  @ApiProperty({ description: '口径' }) definition: string;
}

export class FeesCollectedDto {
  @ApiProperty({ description: '缴费件数' }) cases: number;
  @ApiProperty({ description: '金额（元）' }) amount: number;
  @ApiProperty({ description: '口径' }) definition: string;
}

export class PerformanceFiguresDto {
  @ApiProperty({ type: RatioDto, description: '答复率' }) replyRate: RatioDto;
  @ApiProperty({ type: RatioDto, description: '按期答复率' }) onTimeRate: RatioDto;
  @ApiProperty({ type: CountFigureDto, description: '逾期未办结' }) overdueOpen: CountFigureDto;
  @ApiProperty({ type: TimeToReplyDto, description: '答复用时' }) timeToReply: TimeToReplyDto;
  @ApiProperty({ type: RatioDto, description: '纠错率（行政复议）' }) reviewCorrectionRate: RatioDto;
  @ApiProperty({ type: FeesCollectedDto, description: '收取信息处理费' }) feesCollected: FeesCollectedDto;
}

export class OverdueCaseDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty({ description: '案件当前状态' }) state: string;
  @ApiProperty({ description: '答复期限' }) due: string;
  @ApiProperty({ description: '截至统计日逾期的工作日数' }) workingDaysOverdue: number;
}

export class PerformanceGroupDto {
  @ApiProperty({ description: '分组键：机关 id、申请人类型、渠道代码或 YYYY-MM' }) key: string;
  @ApiProperty({ description: '分组名称' }) label: string;
  @ApiProperty({ type: Number, nullable: true, description: '排名（仅 by=agency；按期答复率、答复率从高到低，逾期未办结从少到多）' }) rank: number | null;
  @ApiProperty({ type: PerformanceFiguresDto }) figures: PerformanceFiguresDto;
}

export class PerformanceDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: ReportAgencyDto }) agency: ReportAgencyDto;
  @ApiProperty() includeSubAgencies: boolean;
  @ApiProperty({ type: PerformanceFiguresDto }) figures: PerformanceFiguresDto;
  @ApiProperty({ type: [OverdueCaseDto], description: '逾期未办结的案件（逾期最久者在前，至多200件）' }) overdueCases: OverdueCaseDto[];
  @ApiProperty({ description: '逾期未办结案件多于所列' }) overdueCasesTruncated: boolean;
  @ApiProperty({ enum: PERFORMANCE_BY, nullable: true }) by: PerformanceBy | null;
  @ApiProperty({ type: [PerformanceGroupDto], description: '按 by 分组的数字（无 by 时为空）' }) groups: PerformanceGroupDto[];
}
