import { LETTER_CODES } from '../../statute/letter-catalogue';
import { MAX_APPLICANT_PERIOD_DAYS } from '../../statute/decisions/correction';
import { MAX_EXTENSION_DAYS } from '../../statute/reply-clock';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsAmount, IsIsoDate } from '../../common/validation/validators';
import { NON_BLANK_TEXT_PATTERN } from '../../common/validation/patterns';

/** `items` of a correction request: one text or a list of texts. */
function IsTextOrTextList(max: number, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTextOrTextList',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `必须是文本或文本数组（每项1至${max}字）`, ...options },
      validator: {
        validate: (v: unknown) => {
          const ok = (s: unknown) => typeof s === 'string' && s.trim().length > 0 && s.length <= max;
          return ok(v) || (Array.isArray(v) && v.length > 0 && v.length <= 50 && v.every(ok));
        },
      },
    });
}

/** The document's form of IsTextOrTextList(2000): one text or 1–50 texts, each not blank, 1–2000 characters. */
const TEXT_ITEM = { type: 'string', minLength: 1, maxLength: 2000, pattern: NON_BLANK_TEXT_PATTERN };
const TEXT_OR_TEXT_LIST = [TEXT_ITEM, { type: 'array', minItems: 1, maxItems: 50, items: TEXT_ITEM }];

/** Every action carries the version it was decided on (or an If-Match header). */
export class ActionDto {
  @ApiProperty({ type: 'integer', minimum: 1, required: true, description: '客户端所见的案件版本；必须提供，或以 If-Match 头代替' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

/** Actions that record a day: `on` (default today) — never future, never before receipt or the previous step. */
export class DatedActionDto extends ActionDto {
  @ApiPropertyOptional({ example: '2024-10-08', description: '事项发生之日（默认今天）' })
  @IsOptional()
  @IsIsoDate()
  on?: string;
}

export class ConfirmReceiptDto extends DatedActionDto {}

export class DiscardDto extends ActionDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class AssignDto extends ActionDto {
  @ApiProperty({ description: '承办人（本机关经办人）' }) @IsUUID() assigneeId: string;
}

export class RequestCorrectionDto extends DatedActionDto {
  @ApiProperty({ description: '需要补正的事项', oneOf: TEXT_OR_TEXT_LIST })
  @IsTextOrTextList(2000)
  items: string | string[];

  @ApiPropertyOptional({ description: '补正期限（工作日，默认按机关设置，通常15）', minimum: 1, maximum: MAX_APPLICANT_PERIOD_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_APPLICANT_PERIOD_DAYS)
  periodDays?: number;
}

export class RecordCorrectionDto extends DatedActionDto {
  @ApiProperty({ maxLength: 5000 }) @IsString() @MinLength(1) @MaxLength(5000) content: string;
}

export class ConsultDto extends DatedActionDto {
  @ApiProperty({ enum: ['third_party', 'other_agency'] }) @IsIn(['third_party', 'other_agency']) party: 'third_party' | 'other_agency';
  @ApiProperty({ maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ description: '共同制作的机关（第三十四条）' }) @IsOptional() @IsBoolean() jointMaker?: boolean;
  @ApiPropertyOptional({ maxLength: 200, description: '被征求意见方的邮寄地址（意见书邮寄送达时必填）' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) address?: string;
  @ApiPropertyOptional({ maxLength: 200, description: '被征求意见方的电子邮箱' }) @IsOptional() @IsEmail() @MaxLength(200) email?: string;
}

export class EndConsultationDto extends DatedActionDto {
  @ApiPropertyOptional({ description: '同时有多项征求意见时必填' }) @IsOptional() @IsUUID() consultationId?: string;
  @ApiProperty({ enum: ['consent', 'objection', 'none'] }) @IsIn(['consent', 'objection', 'none']) opinion: 'consent' | 'objection' | 'none';
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RequestExtensionDto extends DatedActionDto {
  @ApiProperty({ minimum: 1, maximum: MAX_EXTENSION_DAYS }) @IsInt() @Min(1) @Max(MAX_EXTENSION_DAYS) days: number;
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class ApproveExtensionDto extends DatedActionDto {}

export class SetDelayedReplyDto extends DatedActionDto {
  @ApiProperty({ example: '2024-12-31', description: '第三十五条：确定的延迟答复日期' }) @IsIsoDate() until: string;
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class NotifyFeeDto extends DatedActionDto {
  @ApiProperty({ enum: ['per_item', 'per_page'] }) @IsIn(['per_item', 'per_page']) tariff: 'per_item' | 'per_page';
  @ApiPropertyOptional({ description: '按量计收时的页数', minimum: 0, maximum: 1_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) pages?: number;
  @ApiPropertyOptional({ description: '收费依据：申请数量、频次明显超过合理范围的理由（记入收费通知）', maxLength: 2000 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) basis?: string;
  @ApiPropertyOptional({ description: '金额（元）；缺省时按标准计算' }) @IsOptional() @IsAmount() @Min(0) @Max(10_000_000) amount?: number;
}

export class RecordPaymentDto extends DatedActionDto {
  @ApiProperty({ maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) receiptNumber: string;
  @ApiProperty({ description: '缴纳的金额（元），须与收费通知的金额一致', minimum: 0, maximum: 10_000_000 }) @IsAmount() @Min(0) @Max(10_000_000) amount: number;
}

export class ForwardDto extends ActionDto {
  @ApiProperty({ description: '转送的机关（本平台的其他机关，见 GET /api/v1/agencies/directory）' }) @IsUUID() agencyId: string;
  @ApiProperty({ maxLength: 2000, description: '转送理由' }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class RequestReasonsDto extends DatedActionDto {
  @ApiProperty({ description: '请申请人说明的事项（申请的数量、频次）', oneOf: TEXT_OR_TEXT_LIST })
  @IsTextOrTextList(2000)
  items: string | string[];

  @ApiPropertyOptional({ description: '说明理由的期限（工作日，自申请人收到告知书之日起算，默认15）', minimum: 1, maximum: MAX_APPLICANT_PERIOD_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_APPLICANT_PERIOD_DAYS)
  periodDays?: number;
}

export class RecordReasonsDto extends DatedActionDto {
  @ApiProperty({ maxLength: 5000, description: '申请人说明的理由' }) @IsString() @MinLength(1) @MaxLength(5000) content: string;
  @ApiProperty({ description: '本机关认定理由是否合理' }) @IsBoolean() reasonable: boolean;
}

export class CompetentAgencyDto {
  @ApiProperty({ maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) contact?: string;
}

export class EarlierReplyDto {
  @ApiPropertyOptional({ description: '此前已答复的案件（同一申请人、本机关）；文号和日期由系统填写' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ description: '此前的答复作出于系统启用之前：手工填写文号和日期' }) @IsOptional() @IsBoolean() beforeSystem?: boolean;
  @ApiPropertyOptional({ maxLength: 100, description: '仅 beforeSystem 时填写' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) documentNumber?: string;
  @ApiPropertyOptional({ description: '仅 beforeSystem 时填写' }) @IsOptional() @IsIsoDate() date?: string;
}

export class DraftReplyDto extends ActionDto {
  @ApiProperty({ description: '答复类型（条例第三十六条至第三十九条的目录代码）', example: 'granted' }) @IsString() @MaxLength(60) outcome: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) reasons?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(2000, { each: true }) withheldParts?: string[];
  @ApiPropertyOptional({ type: [String], description: '不予公开的理由（withheld.* 代码）' }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(60, { each: true }) grounds?: string[];
  @ApiPropertyOptional({ type: CompetentAgencyDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CompetentAgencyDto) competentAgency?: CompetentAgencyDto;
  @ApiPropertyOptional({ type: EarlierReplyDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => EarlierReplyDto) earlierReply?: EarlierReplyDto;
}

export class ApproveReplyDto extends ActionDto {
  @ApiPropertyOptional({ description: '签批步骤（机关设有多级签批时）', minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) step?: number;
  @ApiPropertyOptional({ description: '已完成保密审查' }) @IsOptional() @IsBoolean() confidentialityReviewed?: boolean;
}

export class ReturnReplyDto extends ActionDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class IssueReplyDto extends DatedActionDto {}

/** the letter whose delivery is recorded: any code of the letters' catalogue */
export const LETTER_KINDS = LETTER_CODES;
export const DELIVERY_WAYS = ['post', 'email', 'in_person', 'fax', 'online', 'other'] as const;

export class RecordDeliveryDto extends ActionDto {
  @ApiPropertyOptional({ enum: LETTER_KINDS, description: '送达的文书种类（未给 letterId 时必填；取该种类最近一件未登记送达的文书）' })
  @ValidateIf((o: RecordDeliveryDto) => o.letterId === undefined || o.of !== undefined)
  @IsIn(LETTER_KINDS)
  of?: (typeof LETTER_KINDS)[number];
  @ApiPropertyOptional({ format: 'uuid', description: '送达的文书（本案已印发的文书；有多件同类文书时用它指明）' }) @IsOptional() @IsUUID() letterId?: string;
  @ApiPropertyOptional({ description: '受送达人收到之日（默认今天）' }) @IsOptional() @IsIsoDate() on?: string;
  @ApiProperty({ enum: DELIVERY_WAYS }) @IsIn(DELIVERY_WAYS) method: (typeof DELIVERY_WAYS)[number];
  @ApiPropertyOptional({ maxLength: 60 }) @IsOptional() @IsString() @MaxLength(60) waybillNumber?: string;
}

export class ConcludeLapsedDto extends DatedActionDto {
  @ApiProperty({ enum: ['correction', 'fee'] }) @IsIn(['correction', 'fee']) reason: 'correction' | 'fee';
}

export class WithdrawDto extends DatedActionDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export const REVIEW_KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
export const REVIEW_RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;

export class RecordReviewDto extends ActionDto {
  @ApiProperty({ enum: REVIEW_KINDS }) @IsIn(REVIEW_KINDS) kind: (typeof REVIEW_KINDS)[number];
  @ApiProperty() @IsIsoDate() filedOn: string;
  @ApiPropertyOptional({ enum: REVIEW_RESULTS, default: 'pending' }) @IsOptional() @IsIn(REVIEW_RESULTS) result?: (typeof REVIEW_RESULTS)[number];
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() concludedOn?: string;
  @ApiPropertyOptional({ description: '复议决定或裁判送达本机关之日' }) @IsOptional() @IsIsoDate() decisionReceivedOn?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class UpdateReviewDto {
  @ApiProperty({ enum: REVIEW_RESULTS }) @IsIn(REVIEW_RESULTS) result: (typeof REVIEW_RESULTS)[number];
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() concludedOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() decisionReceivedOn?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReopenDto extends DatedActionDto {}
