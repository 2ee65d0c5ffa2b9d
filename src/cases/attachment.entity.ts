import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ATTACHMENT_KINDS = ['id_copy', 'supporting', 'correction', 'other', 'release'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** The kinds in words (OpenAPI descriptions). */
export const ATTACHMENT_KINDS_TEXT = 'id_copy 身份证明复印件, supporting 证明材料, correction 补正材料, other 其他, release 信息公开提供的文件（准予公开或部分公开的答复随之提供给申请人）';

/**
 * A file attached to a case (the applicant's ID copy, supporting documents, a correction, or a file the agency
 * provides with its reply: `release`).
 * The bytes live in the storage port under `storageKey` (server-chosen, the attachment's uuid);
 * `fileName` is the client's name, sanitised, for display only.
 */
@Entity({ name: 'attachments' })
@Index('ix_attachments_case', ['caseId', 'createdAt'])
export class AttachmentEntity {
  /** chosen by the server before the file is written: it names the stored file too */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_attachments' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: AttachmentKind;

  /** display name: the client's file name, sanitised, ≤ 200 characters */
  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName: string;

  /** from the content (magic numbers), never from the client */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  /** bytes */
  @Column({ type: 'integer' })
  size: number;

  /** hex SHA-256 of the stored bytes */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Index('uq_attachments_storage_key', { unique: true })
  @Column({ name: 'storage_key', type: 'varchar', length: 200 })
  storageKey: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
