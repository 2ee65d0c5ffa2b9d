import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, registerDecorator } from 'class-validator';
import { isIsoDate } from '../../statute/iso-date';
import { ReportAgencyDto, toBool, toInt } from '../report-query';

/** `within`: working days ahead the board looks (0 = due today or overdue). */
export const BOARD_WITHIN_MAX = 60;
export const BOARD_CURSOR = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\.\d{1,18}$/;

/** A board cursor whose day is a real date (2024-02-30 reached the query as a date and answered 500). */
function IsBoardCursor(): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBoardCursor',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: '游标无效，请从第一页重新查询' },
      validator: { validate: (v: unknown) => typeof v === 'string' && isIsoDate(v.slice(0, 10)) },
    });
}

export class DeadlineBoardQuery {
  @ApiPropertyOptional({ description: '机关（默认本人所在机关）' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: '含下级机关（负责人、审计人员默认 true；承办人员只能看本机关）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
  @ApiPropertyOptional({ description: '列出答复期限在今后多少个工作日内届满的案件（0–60，默认5；已逾期的总在其中）', default: 5, minimum: 0, maximum: BOARD_WITHIN_MAX })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(BOARD_WITHIN_MAX)
  within?: number;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ description: '上一页的 nextCursor' }) @IsOptional() @Matches(BOARD_CURSOR) @IsBoardCursor() cursor?: string;
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], description: 'xlsx：打印用工作簿（全部案件，不分页）' }) @IsOptional() @IsIn(['json', 'xlsx']) format?: 'json' | 'xlsx';
}

export class BoardPersonDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class BoardItemDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty() receiptDate: string;
  @ApiProperty({ description: '答复期限；暂停计算中的为今日恢复计算时的期限' }) due: string;
  @ApiProperty({ description: '剩余工作日：届满当日为0，逾期为负数；暂停中为暂停时冻结的剩余日数' }) workingDaysLeft: number;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ description: '暂停计算中（征求意见、等待缴费）' }) paused: boolean;
  @ApiProperty({ description: '期限按尚未公布的节假日安排暂定' }) provisional: boolean;
  @ApiProperty({ type: BoardPersonDto, nullable: true, description: '承办人' }) assignee: BoardPersonDto | null;
}

export class LapsedItemDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() state: string;
  @ApiProperty({ enum: ['correction', 'fee'], description: '可按 conclude-lapsed 办结的原因' }) reason: 'correction' | 'fee';
  @ApiProperty({ description: '补正或缴费期限届满之日' }) periodEnded: string;
  @ApiProperty({ type: BoardPersonDto, nullable: true }) assignee: BoardPersonDto | null;
}

export class AwaitingConfirmationDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() channel: string;
  @ApiProperty({ description: '提交时间' }) submittedAt: string;
  @ApiProperty({ description: '提交之日至今的工作日数' }) workingDaysWaiting: number;
}

export class DeadlineBoardDto {
  @ApiProperty() today: string;
  @ApiProperty() within: number;
  @ApiProperty({ description: '今日起第 within 个工作日：答复期限不晚于此日的案件列入' }) horizon: string;
  @ApiProperty({ type: ReportAgencyDto }) agency: ReportAgencyDto;
  @ApiProperty() includeSubAgencies: boolean;
  @ApiProperty({ type: [BoardItemDto], description: '按紧迫程度（期限先后）排列' }) items: BoardItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: [LapsedItemDto], description: '补正或缴费期限已过、可以办结的案件（至多500件）' }) lapsed: LapsedItemDto[];
  @ApiProperty({ type: [AwaitingConfirmationDto], description: '待确认收到的网上申请（至多500件，先提交者在前）' }) awaitingConfirmation: AwaitingConfirmationDto[];
}
