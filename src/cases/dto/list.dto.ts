import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators';
import { CASE_STATES } from '../../statute/case-states';
import { APPLICANT_TYPES, CHANNELS } from '../../statute/intake';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class ListCasesQuery {
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', enum: [...CASE_STATES] }, description: '状态；可重复此参数，或用逗号分隔多个', example: ['in_progress', 'consulting'] })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsIn(CASE_STATES, { each: true })
  state?: string[];

  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ description: '答复期限不晚于此日' }) @IsOptional() @IsIsoDate() dueBefore?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: '含下级机关（默认 true）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: string;
  @ApiPropertyOptional({ enum: APPLICANT_TYPES }) @IsOptional() @IsIn(APPLICANT_TYPES) applicantType?: string;
  @ApiPropertyOptional({ description: '答复类型代码或其大类（如 withheld）' }) @IsOptional() @IsString() @Matches(/^[a-z_.]{1,60}$/) outcome?: string;
  @ApiPropertyOptional({ description: '收到申请的年度' }) @IsOptional() @Transform(toInt) @IsInt() @Min(2000) @Max(2200) year?: number;
  @ApiPropertyOptional({ description: '申请内容或申请人姓名中的文字（一个字以上）' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,18}$/) cursor?: string;
}
