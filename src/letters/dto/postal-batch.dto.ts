import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators';

export class PostalBatchQuery {
  @ApiPropertyOptional({ description: '批次日期：取文书日期不晚于此日、尚未交寄的邮寄文书（默认今天）', example: '2024-11-20' })
  @IsOptional()
  @IsIsoDate()
  on?: string;
}

export class LetterToPostDto {
  @ApiProperty({ format: 'uuid' }) letterId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ description: '文书种类' }) code: string;
  @ApiProperty({ description: '文书名称' }) title: string;
  @ApiProperty({ description: '发文字号' }) number: string;
  @ApiProperty({ format: 'date' }) datedOn: string;
  @ApiProperty({ description: '收件人' }) addresseeName: string;
  @ApiProperty({ description: '邮寄地址' }) address: string;
  @ApiProperty({ description: 'PDF 已生成（未生成的文书不进入当日批次 PDF）' }) rendered: boolean;
}

export class PostalBatchDto {
  @ApiProperty({ format: 'date' }) on: string;
  @ApiProperty({ type: [LetterToPostDto] }) items: LetterToPostDto[];
}

export class PostalDispatchDto {
  @ApiPropertyOptional({ description: '交寄日期（默认今天；不早于文书日期，不晚于今天）', example: '2024-11-20' })
  @IsOptional()
  @IsIsoDate()
  on?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{7,38}[A-Za-z0-9]$' },
    minProperties: 1,
    maxProperties: 200,
    description: '文书编号（UUID）→ EMS 邮件号（1 至 200 件）',
    example: { '5f0c6a2e-8d1b-4f3a-9c55-0a1b2c3d4e5f': 'EA123456789CN' },
  })
  @IsObject()
  waybills: Record<string, string>;
}

export class DispatchedLetterDto {
  @ApiProperty({ format: 'uuid' }) letterId: string;
  @ApiProperty() waybillNumber: string;
}

export class PostalDispatchResultDto {
  @ApiProperty({ format: 'date' }) on: string;
  @ApiProperty({ type: [DispatchedLetterDto] }) dispatched: DispatchedLetterDto[];
}
