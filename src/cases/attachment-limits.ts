import { DomainError } from '../common/errors/domain-error';
import { UPLOAD_MAX_BYTES } from '../common/storage/upload-limits';

/** 20 MB per file. */
export const ATTACHMENT_MAX_BYTES = UPLOAD_MAX_BYTES;
/** At most 20 attachments per case. */
export const ATTACHMENTS_PER_CASE = 20;

export function attachmentTooLarge(): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `文件超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB 的上限`, { maxBytes: ATTACHMENT_MAX_BYTES });
}

export function tooManyAttachments(): DomainError {
  return new DomainError('CONFLICT', `每个案件最多上传 ${ATTACHMENTS_PER_CASE} 个附件，已达上限`, { limit: ATTACHMENTS_PER_CASE });
}
