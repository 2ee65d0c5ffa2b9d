import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators';
import { ReportAgencyDto, toBool, toInt } from '../report-query';

export class ProactiveCandidatesQuery {
  @ApiPropertyOptional({ description: '机关；默认为本人所在机关' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: '含下级机关（默认 false）' }) @IsOptional() @Transform(toBool) @IsBoolean() includeSubAgencies?: boolean;
  @ApiPropertyOptional({ description: '答复日期起（含），默认今日所在年度的1月1日', example: '2024-01-01' }) @IsOptional() @IsIsoDate() from?: string;
  @ApiPropertyOptional({ description: '答复日期止（含），默认今日', example: '2024-12-31' }) @IsOptional() @IsIsoDate() to?: string;
  @ApiPropertyOptional({ description: '至少多少个不同的申请人（默认3）', minimum: 2, maximum: 1000, default: 3 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  min?: number;
}

export class CandidateCaseDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty({ description: '申请内容描述' }) description: string;
  @ApiProperty({ type: String, nullable: true, description: '所需信息的文号' }) documentNumber: string | null;
  @ApiProperty({ enum: ['granted', 'partial'] }) outcome: string;
  @ApiProperty({ description: '答复日期' }) concludedOn: string;
}

export class CandidateGroupDto {
  @ApiProperty({ description: '组内最早答复的申请描述，作为这组信息的代表' }) description: string;
  @ApiProperty({ type: String, nullable: true, description: '组内申请写明的文号（有的话）' }) documentNumber: string | null;
  @ApiProperty({ description: '不同申请人的数量' }) applicants: number;
  @ApiProperty({ description: '申请件数' }) cases: number;
  @ApiProperty({ type: [CandidateCaseDto] }) items: CandidateCaseDto[];
}

export class ProactiveCandidatesDto {
  @ApiProperty({ type: ReportAgencyDto }) agency: ReportAgencyDto;
  @ApiProperty() includeSubAgencies: boolean;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() min: number;
  @ApiProperty({ description: '参与比对的已公开（予以公开、部分公开）申请件数' }) casesConsidered: number;
  @ApiProperty({ description: '比对件数达到上限（最近的5000件）时为 true' }) truncated: boolean;
  @ApiProperty({ description: '口径' }) definition: string;
  @ApiProperty({ type: [CandidateGroupDto], description: '按不同申请人数从多到少' }) groups: CandidateGroupDto[];
}
