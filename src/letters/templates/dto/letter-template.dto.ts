import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const TEMPLATE_SOURCE_MAX = 20_000;

export class LetterTemplateSummaryDto {
  @ApiProperty({ description: '模板代码：程序性文书代码，或 reply.<办理结果代码>', example: 'reply.partial' }) code: string;
  @ApiProperty({ description: '文书名称', example: '政府信息公开申请答复书' }) title: string;
  @ApiProperty({ description: '现行版本：0 为系统内置模板，1 起为本机关的替换文本', example: 0 }) version: number;
  @ApiProperty({ type: [String], description: '必须有值的变量（缺少时该步骤以 409 LETTER_DATA_MISSING 拒绝）' }) requires: string[];
  @ApiProperty({ type: [String], description: '可选变量' }) optional: string[];
  @ApiProperty({ type: [String], description: '法定必备部分：citation 所依据条款，remedies 救济途径告知；替换文本必须保留' }) requiredParts: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: '现行版本的保存时间；内置模板为 null' }) savedAt: string | null;
}

export class LetterTemplateListDto {
  @ApiProperty({ type: [LetterTemplateSummaryDto] }) items: LetterTemplateSummaryDto[];
}

export class LetterTemplateDto extends LetterTemplateSummaryDto {
  @ApiProperty({ description: '现行模板文本（Handlebars 严格模式，一行一段）' }) source: string;
  @ApiProperty({ description: '系统内置模板文本' }) builtInSource: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: '保存现行版本的管理员；内置模板为 null' }) savedBy: string | null;
}

export class SaveLetterTemplateDto {
  @ApiProperty({ description: '新的模板文本：只能使用该模板声明的变量，必须保留所依据条款和救济途径告知', maxLength: TEMPLATE_SOURCE_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(TEMPLATE_SOURCE_MAX)
  source: string;
}

export class PreviewLetterTemplateDto {
  @ApiPropertyOptional({ description: '要预览的模板文本；不填则预览现行版本', maxLength: TEMPLATE_SOURCE_MAX })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEMPLATE_SOURCE_MAX)
  source?: string;
}
