import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The error answer every endpoint gives (stable `code`, Chinese `message`). */
export class ErrorBodyDto {
  @ApiProperty() statusCode: number;
  @ApiProperty({ description: '稳定的错误代码', example: 'LETTER_NOT_RENDERED' }) code: string;
  @ApiProperty({ description: '中文说明' }) message: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '详情（如缺少的内容、重试秒数）' }) details?: Record<string, unknown>;
  @ApiPropertyOptional() correlationId?: string;
}
