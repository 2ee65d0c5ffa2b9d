import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { FIRST_REPORT_YEAR } from '../../statute/annual-report';
import { toBool, toInt } from '../report-query';

export const CHART_FORMATS = ['svg', 'png'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

export class AnnualChartQuery {
  @ApiProperty({ description: `年度（${FIRST_REPORT_YEAR}年起，不晚于今年）`, example: 2024 }) @Transform(toInt) @IsDefined() @IsInt() @Min(FIRST_REPORT_YEAR) year: number;
  @ApiPropertyOptional({ description: '机关（默认本人所在机关）' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: '含下级机关（默认 false）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
  @ApiPropertyOptional({ enum: CHART_FORMATS, default: 'svg' }) @IsOptional() @IsIn(CHART_FORMATS) format?: ChartFormat;
}
