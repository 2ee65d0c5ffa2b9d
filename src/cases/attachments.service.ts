import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { CONTENT_TYPES } from '../common/storage/content-sniffer';
import { StoragePort } from '../common/storage/storage.port';
import type { CaseState } from '../statute/case-states';
import { releaseChangeProblem } from '../statute/release-files';
import type { AttachmentEntity, AttachmentKind } from './attachment.entity';
import { sanitizeFileName } from './attachment-file-name';
import { ATTACHMENTS_PER_CASE, attachmentTooLarge, tooManyAttachments } from './attachment-limits';
import type { AttachmentUpload, BufferUpload } from './attachment-upload';
import { AttachmentsRepository } from './attachments.repository';
import { CaseAccess } from './case-access';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { mapAttachment, type AttachmentDto, type AttachmentListDto } from './dto/attachment.dto';

const ALLOWED_TEXT = 'PDF、PNG、JPEG、TIFF、OFD、DOCX、XLSX';

/** A file to provide with the reply is added or changed only while the case is open (409 otherwise). */
function assertReleaseChangeable(state: CaseState): void {
  const p = releaseChangeProblem(state);
  if (p) throw new DomainError(p.code, p.message, { state });
}

export interface AttachmentDownload {
  stream: Readable;
  contentType: string;
  size: number;
  fileName: string;
}

/** Uploading, listing and opening a case's attachments (the multipart body is read by {@link AttachmentUpload}). */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly attachments: AttachmentsRepository,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly casesService: CasesService,
    private readonly storage: StoragePort,
    private readonly clock: Clock,
  ) {}

  private async rowAbsent(id: string): Promise<boolean> {
    try {
      return !(await this.attachments.exists(id));
    } catch {
      return false;
    }
  }

  /**
   * Scope, then the file streamed to storage while it is hashed and sniffed, then the row and
   * the history entry in one transaction; the stored file is removed when anything fails after it.
   */
  /** Staff of the case's own agency (clerk, supervisor) may add or change its attachments; 404 out of reach, 403 read-only. */
  private async assertActs(caseId: string, user: AuthUser): Promise<void> {
    if (user.role !== 'clerk' && user.role !== 'supervisor') throw new DomainError('FORBIDDEN', '只有经办人、负责人可以上传或更改附件');
    const c = await this.cases.findById(caseId);
    const access = c ? await this.access.of(c.agencyId, user) : 'none';
    if (!c || access === 'none') throw DomainError.notFound('案件');
    if (access !== 'act') throw new DomainError('FORBIDDEN', '只能为本机关的案件上传或更改附件（下级机关的案件仅可查看）');
  }

  /** The history entry of an attachment's change, in its transaction (the case's state and version unchanged). */
  private recordHistory(m: EntityManager, caseId: string, locked: { state: CaseState; version: number }, user: AuthUser, action: string, payload: Record<string, unknown>): Promise<void> {
    return this.cases.appendHistory(m, {
      caseId,
      at: this.clock.now(),
      on: this.clock.today(),
      actorId: user.id,
      actorRole: user.role,
      action,
      fromState: locked.state,
      toState: locked.state,
      payload,
      recordedLate: false,
      versionAfter: locked.version,
    });
  }

  async upload(caseId: string, user: AuthUser, body: AttachmentUpload | BufferUpload): Promise<AttachmentDto> {
    await this.assertActs(caseId, user);
    // cheap early answer; the transaction checks again under a lock
    if ((await this.attachments.countOf(caseId)) >= ATTACHMENTS_PER_CASE) throw tooManyAttachments();

    const id = randomUUID();
    const storageKey = `cases/${caseId}/${id}`;
    let written = false;
    try {
      const { file, kind, problems } = await body.read((content) => {
        written = true;
        return this.storage.put(storageKey, content);
      });
      if (!file) problems.push({ field: 'file', message: '请选择要上传的文件（表单字段 file）' });
      if (problems.length || !file) throw DomainError.validation(problems);
      if (file.truncated) throw attachmentTooLarge();
      if (file.inspection.size === 0) throw DomainError.field('file', '文件为空');
      const type = file.inspection.type;
      if (!type) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `只能上传 ${ALLOWED_TEXT} 文件（按文件内容识别，而非文件名）`, { allowed: Object.values(CONTENT_TYPES) });
      }
      const row: Omit<AttachmentEntity, 'createdAt'> = {
        id,
        caseId,
        kind: kind ?? 'other',
        fileName: sanitizeFileName(file.clientName, type),
        contentType: CONTENT_TYPES[type],
        size: file.inspection.size,
        sha256: file.inspection.sha256,
        storageKey,
        uploadedBy: user.id,
      };
      const saved = await this.ds.transaction(async (m) => {
        // serialises uploads to one case, so the limit holds under concurrency
        const locked = await this.cases.lock(m, caseId);
        if (!locked) throw DomainError.notFound('案件');
        if (row.kind === 'release') assertReleaseChangeable(locked.state);
        if ((await this.attachments.countOf(caseId, m)) >= ATTACHMENTS_PER_CASE) throw tooManyAttachments();
        const inserted = await this.attachments.insert(m, row);
        await this.recordHistory(m, caseId, locked, user, 'add-attachment', { attachmentId: id, kind: row.kind, sha256: row.sha256, size: row.size });
        return inserted;
      });
      return mapAttachment(saved);
    } catch (e) {
      // the file goes only when its row is known not to exist: a commit whose answer was lost may have written it
      // (when the database cannot tell, the orphan sweep decides later)
      if (written && (await this.rowAbsent(id))) {
        await this.storage.delete(storageKey).catch((err: unknown) => this.logger.error({ err, storageKey }, 'could not remove an uploaded file after a failure'));
      }
      throw e;
    }
  }

  /**
   * Changes an attachment's kind (e.g. marks a file for release with the reply), with its history entry, under the
   * case's lock: to or from `release` only while the case is open (the files of an issued reply never change).
   */
  async setKind(caseId: string, attachmentId: string, kind: AttachmentKind, user: AuthUser): Promise<AttachmentDto> {
    await this.assertActs(caseId, user);
    const saved = await this.ds.transaction(async (m) => {
      const locked = await this.cases.lock(m, caseId);
      if (!locked) throw DomainError.notFound('案件');
      const a = await this.attachments.findOfCase(caseId, attachmentId, m);
      if (!a) throw DomainError.notFound('附件');
      if (a.kind === kind) return a;
      if (a.kind === 'release' || kind === 'release') assertReleaseChangeable(locked.state);
      const changed = await this.attachments.setKind(m, attachmentId, kind);
      await this.recordHistory(m, caseId, locked, user, 'set-attachment-kind', { attachmentId, from: a.kind, to: kind });
      return changed;
    });
    return mapAttachment(saved);
  }

  async list(caseId: string, user: AuthUser): Promise<AttachmentListDto> {
    await this.casesService.readable(caseId, user);
    const rows = await this.attachments.listOf(caseId);
    return { items: rows.map(mapAttachment), nextCursor: null };
  }

  async open(caseId: string, attachmentId: string, user: AuthUser): Promise<AttachmentDownload> {
    await this.casesService.readable(caseId, user);
    const a = await this.attachments.findOfCase(caseId, attachmentId);
    if (!a) throw DomainError.notFound('附件');
    const stream = await this.storage.get(a.storageKey);
    return { stream, contentType: a.contentType, size: a.size, fileName: a.fileName };
  }
}
