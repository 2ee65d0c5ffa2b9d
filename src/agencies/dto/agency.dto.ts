import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_RULE_EXCLUDED } from '../../common/validation/patterns';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested, ArrayMaxSize, IsArray, ValidateIf } from 'class-validator';
import type { AgencyEntity, ReminderRules } from '../agency.entity';
import { IsStringMap, Omittable } from '../../common/validation/validators';
import { LETTER_SERIES } from '../../statute/letter-catalogue';
import { DEFAULT_ART35_THRESHOLDS, type Art35Thresholds } from '../../statute/art35';

/** One agency of the platform as everyone signed in sees it: the targets of `forward`, the names in reports. */
export class AgencyDirectoryEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: String, nullable: true }) parentId: string | null;
}

export class AgencyDirectoryDto {
  @ApiProperty({ type: [AgencyDirectoryEntryDto] }) items: AgencyDirectoryEntryDto[];
}

export class ReminderRulesDto implements ReminderRules {
  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 1, maximum: 20 }, maxItems: 10, example: [5, 2, 1], description: '答复期限届满前几个工作日提醒' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(20, { each: true })
  beforeDue: number[];

  @ApiProperty() @IsBoolean() onDueDay: boolean;
  @ApiProperty() @IsBoolean() escalateOverdue: boolean;
  @ApiProperty() @IsBoolean() dailyDigest: boolean;
}

export class Art35ThresholdsInputDto implements Art35Thresholds {
  @ApiProperty({ description: '每自然月申请件数超过此数即提示', minimum: 1, maximum: 10_000, example: 10 }) @IsInt() @Min(1) @Max(10_000) perMonth: number;
  @ApiProperty({ description: '滚动期间（日，含收到申请之日）', minimum: 1, maximum: 366, example: 7 }) @IsInt() @Min(1) @Max(366) windowDays: number;
  @ApiProperty({ description: '滚动期间内申请件数超过此数即提示', minimum: 1, maximum: 10_000, example: 5 }) @IsInt() @Min(1) @Max(10_000) perWindow: number;
}

/** A letter prefix: not blank, no 〔〕[] or 号 (the number is added), and the text rule. */
const LETTER_PREFIX_PATTERN = `^(?!\\s*$)[^〔〕\\[\\]号${TEXT_RULE_EXCLUDED}]*$`;

export class UpdateAgencyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @Omittable() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ description: '行政复议机关', maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) reconsiderationBody?: string;
  @ApiPropertyOptional({ description: '管辖法院', maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) court?: string;
  @ApiPropertyOptional({
    description: `发文字号前缀，按文书系列（答复书共用 reply，各程序性文书各一）：${LETTER_SERIES.join(', ')}。未设的系列用默认前缀（如“依复”）。`,
    example: { reply: '盘政办依复', receipt: '盘政办依收' },
    type: 'object',
    properties: Object.fromEntries(LETTER_SERIES.map((k) => [k, { type: 'string', minLength: 1, maxLength: 30, pattern: LETTER_PREFIX_PATTERN }])),
    additionalProperties: false,
  })
  @Omittable()
  @IsObject()
  @IsStringMap(LETTER_SERIES, 30, /[〔〕[\]号]/, { message: `letterPrefixes 的键须为文书系列（${LETTER_SERIES.join('、')}），值为1至30个字符，不含〔〕或“号”` })
  letterPrefixes?: Record<string, string>;
  @ApiPropertyOptional({ type: 'integer', description: '补正期限（工作日）', minimum: 1, maximum: 60 }) @Omittable() @IsInt() @Min(1) @Max(60) correctionPeriodDays?: number;
  @ApiPropertyOptional({ type: 'integer', description: '答复签批步骤数', minimum: 1, maximum: 5 }) @Omittable() @IsInt() @Min(1) @Max(5) approvalSteps?: number;
  @ApiPropertyOptional({ type: [String], description: '各签批步骤的名称（如 科室负责人审核、分管领导签发），依次对应第1、2…步', example: ['科室负责人审核', '分管领导签发'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(30, { each: true })
  approvalStepNames?: string[];
  @ApiPropertyOptional({ type: ReminderRulesDto }) @IsOptional() @ValidateNested() @Type(() => ReminderRulesDto) reminderRules?: ReminderRulesDto;
  @ApiPropertyOptional({ type: Art35ThresholdsInputDto, description: '第三十五条：登记时提示申请数量、频次超过合理范围的阈值' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Art35ThresholdsInputDto) art35Thresholds?: Art35ThresholdsInputDto;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) address?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

export class CreateAgencyDto extends UpdateAgencyDto {
  // ValidateIf(always) replaces the parent's @Omittable(), which would skip an absent name (the database's NOT NULL
  // then answered 500): class-validator keeps a parent's rule unless the child has its own of the same kind
  @ApiProperty({ example: '盘锦市教育局', minLength: 1, maxLength: 100, required: true }) @ValidateIf(() => true) @IsString() @MinLength(1) @MaxLength(100) declare name: string;
  @ApiProperty({ example: 'pj-edu', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$', description: '机关代码（字母、数字、-）' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/)
  code: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '上级机关；空为顶级' }) @IsOptional() @IsUUID() parentId?: string | null;
}

export class AgencyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ type: String, nullable: true }) reconsiderationBody: string | null;
  @ApiProperty({ type: String, nullable: true }) court: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: '发文字号前缀，按文书系列' }) letterPrefixes: Record<string, string>;
  @ApiProperty({ type: 'integer' }) correctionPeriodDays: number;
  @ApiProperty({ type: 'integer' }) approvalSteps: number;
  @ApiProperty({ type: [String], description: '各签批步骤的名称' }) approvalStepNames: string[];
  @ApiProperty({ type: ReminderRulesDto }) reminderRules: ReminderRules;
  @ApiProperty({ type: Art35ThresholdsInputDto, description: '第三十五条提示阈值（未设为默认值）' }) art35Thresholds: Art35Thresholds;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class AgencyListDto {
  @ApiProperty({ type: [AgencyDto] }) items: AgencyDto[];
  @ApiProperty({ type: String, nullable: true, description: '下一页的游标；最后一页为 null' }) nextCursor: string | null;
}

export const DEFAULT_REMINDER_RULES: ReminderRules = { beforeDue: [5, 2, 1], onDueDay: true, escalateOverdue: true, dailyDigest: true };

export function mapAgency(a: AgencyEntity): AgencyDto {
  return {
    id: a.id,
    name: a.name,
    code: a.code,
    parentId: a.parentId,
    reconsiderationBody: a.reconsiderationBody,
    court: a.court,
    letterPrefixes: a.letterPrefixes ?? {},
    correctionPeriodDays: a.correctionPeriodDays,
    approvalSteps: a.approvalSteps,
    approvalStepNames: a.approvalStepNames ?? [],
    reminderRules: a.reminderRules ?? DEFAULT_REMINDER_RULES,
    art35Thresholds: a.art35Thresholds ?? DEFAULT_ART35_THRESHOLDS,
    address: a.address,
    phone: a.phone,
  };
}
