import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { FEE_TARIFFS, MAX_PAGES, type FeeTariff } from '../../statute/fee-tariff';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class FeeQuoteQuery {
  @ApiProperty({ enum: FEE_TARIFFS, description: 'per_item 按件计收 / per_page 按量计收' }) @IsIn(FEE_TARIFFS) tariff: FeeTariff;
  @ApiPropertyOptional({ description: '按量计收时的页数', minimum: 0, maximum: MAX_PAGES }) @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(MAX_PAGES) pages?: number;
}

export class FeeBandDto {
  @ApiProperty({ description: '本档起点（件次或页数，含）' }) from: number;
  @ApiProperty({ type: Number, nullable: true, description: '本档终点（含）；null 为不设上限' }) to: number | null;
  @ApiProperty({ description: '本档单价（元/件 或 元/页）' }) yuan: number;
}

export class FeeBandPagesDto extends FeeBandDto {
  @ApiProperty({ description: '落入本档的页数' }) pages: number;
  @ApiProperty({ description: '本档金额（元）' }) amount: number;
}

export class FeeQuoteDto {
  @ApiProperty({ enum: FEE_TARIFFS }) tariff: FeeTariff;
  @ApiProperty({ description: '测算金额（元）' }) amount: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '按件计收：本申请在同一申请人当月（按收到申请之日所在自然月，Asia/Shanghai）向本机关提出的申请中的位次（按收到申请之日、再按登记时间排序，各渠道合计）；按量计收为 null',
  })
  position: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '按量计收的页数；按件计收为 null' }) pages: number | null;
  @ApiProperty({ type: FeeBandDto, nullable: true, description: '适用的收费档次（按量计收为所达到的最高档；0页为 null）' }) band: FeeBandDto | null;
  @ApiProperty({ type: [FeeBandPagesDto], description: '按量计收：各档页数与金额（超额累进）' }) breakdown: FeeBandPagesDto[];
  @ApiProperty({ description: '《政府信息公开信息处理费管理办法》的计收标准原文' }) wording: string;
  @ApiProperty({ description: '计算位次所用的月份（YYYY-MM）' }) month: string;
}
