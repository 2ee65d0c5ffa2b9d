import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CompetentAgencyDto } from '../../cases/dto/action.dto';
import { REASONS_MAX } from '../../statute/outcomes';
import { LetterDto } from './letter.dto';

/** The corrected text of a reply: only what may change without changing the decision (the outcome and grounds stay). */
export class ReplyCorrectionDto {
  @ApiPropertyOptional({ maxLength: REASONS_MAX, description: '更正后的理由说明' }) @IsOptional() @IsString() @MaxLength(REASONS_MAX) reasons?: string;
  @ApiPropertyOptional({ type: [String], description: '更正后的不予公开的内容（依据不变，按原顺序对应）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(REASONS_MAX, { each: true })
  withheldParts?: string[];
  @ApiPropertyOptional({ type: CompetentAgencyDto, description: '更正后的负责公开该信息的机关（第三十六条第（五）项）' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CompetentAgencyDto)
  competentAgency?: CompetentAgencyDto;
}

export class SupersedeLetterDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: '客户端所见的案件版本（更正记入案件的办理记录）' }) @IsInt() @Min(1) expectedVersion: number;
  @ApiProperty({ minLength: 1, maxLength: 500, description: '更正原因（记入办理记录，不印在文书上）' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
  @ApiPropertyOptional({ description: '更正后的答复书已完成保密审查（更正答复书时必须为 true）' }) @IsOptional() @IsBoolean() confidentialityReviewed?: boolean;
  @ApiPropertyOptional({ type: ReplyCorrectionDto, description: '仅答复书：更正后的答复内容；未给出的部分沿用原答复' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReplyCorrectionDto)
  reply?: ReplyCorrectionDto;
}

export class SupersedeResultDto {
  @ApiProperty({ type: LetterDto, description: '被更正的文书（状态 superseded，原 PDF 不变）' }) superseded: LetterDto;
  @ApiProperty({ type: LetterDto, description: '更正后的新文书（新文号，由后台生成 PDF）' }) replacement: LetterDto;
}
