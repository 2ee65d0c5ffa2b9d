import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ATTACHMENT_KINDS, ATTACHMENT_KINDS_TEXT, type AttachmentEntity, type AttachmentKind } from '../attachment.entity';

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS, description: ATTACHMENT_KINDS_TEXT }) kind: AttachmentKind;
  @ApiProperty({ description: '原文件名（已清理，仅供显示，≤200字）' }) fileName: string;
  @ApiProperty({ description: '按文件内容识别的类型', example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: '字节数' }) size: number;
  @ApiProperty({ description: 'SHA-256（十六进制）' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** PATCH body: the attachment's new kind (e.g. `release`, to provide it with the reply). */
export class SetAttachmentKindDto {
  @ApiProperty({ enum: ATTACHMENT_KINDS, description: ATTACHMENT_KINDS_TEXT }) @IsIn(ATTACHMENT_KINDS) kind: AttachmentKind;
}

export class AttachmentListDto {
  @ApiProperty({ type: [AttachmentDto] }) items: AttachmentDto[];
  @ApiProperty({ type: String, nullable: true, description: '每案至多20个附件，总在一页内：恒为 null' }) nextCursor: null;
}

export function mapAttachment(a: AttachmentEntity): AttachmentDto {
  return {
    id: a.id,
    caseId: a.caseId,
    kind: a.kind,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt.toISOString(),
  };
}
