import '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldProblem } from '../common/errors/domain-error';
import { CONTENT_TYPES, EXTENSIONS, type SniffedType } from '../common/storage/content-sniffer';
import { StoragePort } from '../common/storage/storage.port';
import { UPLOAD_LIMITS, UPLOAD_MAX_BYTES } from '../common/storage/upload-limits';
import { UploadInspector, type Inspection } from '../common/storage/upload-inspector';
import { ATTACHMENT_KINDS, AttachmentEntity, type AttachmentKind } from './attachment.entity';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { WorkerHost } from '../infra/queue/worker-host';

/** 20 MB per file. */
export const ATTACHMENT_MAX_BYTES = UPLOAD_MAX_BYTES;
/** At most 20 attachments per case. */
export const ATTACHMENTS_PER_CASE = 20;
/** Display names are cut to this many characters. */
export const FILE_NAME_MAX = 200;

const ALLOWED_TEXT = 'PDF、PNG、JPEG、TIFF、OFD、DOCX、XLSX';

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS, description: 'id_copy 身份证明复印件, supporting 证明材料, correction 补正材料, other 其他' }) kind: AttachmentKind;
  @ApiProperty({ description: '原文件名（已清理，仅供显示，≤200字）' }) fileName: string;
  @ApiProperty({ description: '按文件内容识别的类型', example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: '字节数' }) size: number;
  @ApiProperty({ description: 'SHA-256（十六进制）' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
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

/** The part of a Fastify request an upload reads (with @fastify/multipart registered). */
export type UploadRequest = Pick<FastifyRequest, 'isMultipart' | 'parts'>;

export interface AttachmentDownload {
  stream: Readable;
  contentType: string;
  size: number;
  fileName: string;
}

/**
 * The client's file name as display text: the last path segment, NFC, without control,
 * bidirectional-override or zero-width characters and without characters that file systems
 * refuse; with an extension that fits the type the content shows; at most 200 characters.
 */
export function sanitizeFileName(raw: string | undefined, type: SniffedType): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    // eslint-disable-next-line no-control-regex -- control characters are what this removes from a client's file name
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const exts = EXTENSIONS[type];
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  let base = name;
  let suffix = '';
  if (!name) {
    base = '附件';
    suffix = `.${exts[0]}`;
  } else if (exts.includes(ext)) {
    base = name.slice(0, dot);
    suffix = name.slice(dot);
  } else {
    suffix = `.${exts[0]}`;
  }
  const room = FILE_NAME_MAX - Array.from(suffix).length;
  return Array.from(base).slice(0, room).join('').trimEnd() + suffix;
}

/** `attachment` with an ASCII fallback and the RFC 5987 / 6266 `filename*` (UTF-8). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

interface ReceivedFile {
  clientName: string | undefined;
  inspection: Inspection;
  truncated: boolean;
}

/** An error of the store (disk full, permissions), as opposed to a malformed request. */
class StorageFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('storage failed', { cause });
  }
}

/** Files with no row are removed once this old (an upload in flight is seconds old). */
export const ORPHAN_FILE_AGE_MS = 60 * 60_000;
const ORPHAN_SWEEP_INTERVAL_MS = 60 * 60_000;

@Injectable()
export class AttachmentsService implements OnModuleInit {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly casesService: CasesService,
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly workers: WorkerHost,
  ) {}

  onModuleInit(): void {
    this.workers.every(ORPHAN_SWEEP_INTERVAL_MS, 'orphan file sweep', () => this.removeOrphans());
  }

  /**
   * Removes stored files that no attachment row names (a process that died between storing an upload and its
   * commit, or a commit whose outcome was unknown) and leftovers of writes never completed, once older than
   * `olderThanMs` (by the files' own times). Identity copies must not linger unlisted. The number removed.
   */
  async removeOrphans(olderThanMs = ORPHAN_FILE_AGE_MS): Promise<number> {
    const before = new Date(Date.now() - olderThanMs);
    let removed = 0;
    let batch: string[] = [];
    const drop = async (keys: string[]) => {
      if (!keys.length) return;
      const rows: { k: string }[] = await this.ds.query(`SELECT storage_key AS k FROM attachments WHERE storage_key = ANY($1::text[])`, [keys]);
      const known = new Set(rows.map((r) => r.k));
      for (const k of keys) {
        if (known.has(k)) continue;
        await this.storage.delete(k);
        removed++;
      }
    };
    for await (const f of this.storage.listOlderThan('cases', before)) {
      if (!f.complete) {
        await this.storage.delete(f.key);
        removed++;
        continue;
      }
      batch.push(f.key);
      if (batch.length >= 500) {
        await drop(batch);
        batch = [];
      }
    }
    await drop(batch);
    if (removed) this.logger.warn({ removed }, 'stored files with no attachment row removed');
    return removed;
  }

  private async rowAbsent(id: string): Promise<boolean> {
    try {
      return (await this.ds.query<unknown[]>(`SELECT 1 FROM attachments WHERE id = $1`, [id])).length === 0;
    } catch {
      return false;
    }
  }

  /**
   * Scope, then the file streamed to storage while it is hashed and sniffed, then the row and
   * the history entry in one transaction; the stored file is removed when anything fails after it.
   */
  async upload(caseId: string, user: AuthUser, req: UploadRequest): Promise<AttachmentDto> {
    if (user.role !== 'clerk' && user.role !== 'supervisor') throw new DomainError('FORBIDDEN', '只有经办人、负责人可以上传附件');
    const c = await this.cases.findById(caseId);
    const access = c ? await this.cases.accessTo(c.agencyId, user) : 'none';
    if (!c || access === 'none') throw DomainError.notFound('案件');
    if (access !== 'act') throw new DomainError('FORBIDDEN', '只能为本机关的案件上传附件（下级机关的案件仅可查看）');
    // cheap early answer; the transaction checks again under a lock
    if ((await this.countOf(this.ds.manager, caseId)) >= ATTACHMENTS_PER_CASE) throw this.tooMany();

    const id = randomUUID();
    const storageKey = `cases/${caseId}/${id}`;
    let written = false;
    try {
      const { file, kind, problems } = await this.receive(req, storageKey, () => (written = true));
      if (!file) problems.push({ field: 'file', message: '请选择要上传的文件（表单字段 file）' });
      if (problems.length || !file) throw DomainError.validation(problems);
      if (file.truncated) throw this.tooLarge();
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
        const locked: { state: string; version: number }[] = await m.query(`SELECT state, version FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
        if (!locked[0]) throw DomainError.notFound('案件');
        if ((await this.countOf(m, caseId)) >= ATTACHMENTS_PER_CASE) throw this.tooMany();
        // created_at from the database (the transaction's time): it orders the list
        await m.getRepository(AttachmentEntity).insert(row);
        await this.cases.appendHistory(m, {
          caseId,
          at: this.clock.now(),
          on: this.clock.today(),
          actorId: user.id,
          actorRole: user.role,
          action: 'add-attachment',
          fromState: locked[0].state,
          toState: locked[0].state,
          payload: { attachmentId: id, kind: row.kind, sha256: row.sha256, size: row.size },
          recordedLate: false,
          versionAfter: locked[0].version,
        });
        return m.getRepository(AttachmentEntity).findOneByOrFail({ id });
      });
      return mapAttachment(saved);
    } catch (e) {
      // the file goes only when its row is known not to exist: a commit whose answer was lost may have written it
      // (when the database cannot tell, the orphan sweep decides later)
      if (written && (await this.rowAbsent(id))) {
        await this.storage.delete(storageKey).catch((err: unknown) => this.logger.error({ err, storageKey }, 'could not remove an uploaded file after a failure'));
      }
      if (e instanceof StorageFailure) throw e.cause;
      throw e;
    }
  }

  async list(caseId: string, user: AuthUser): Promise<AttachmentListDto> {
    await this.casesService.readable(caseId, user);
    const rows = await this.ds.getRepository(AttachmentEntity).find({ where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: rows.map(mapAttachment), nextCursor: null };
  }

  async open(caseId: string, attachmentId: string, user: AuthUser): Promise<AttachmentDownload> {
    await this.casesService.readable(caseId, user);
    const a = await this.ds.getRepository(AttachmentEntity).findOne({ where: { id: attachmentId, caseId } });
    if (!a) throw DomainError.notFound('附件');
    const stream = await this.storage.get(a.storageKey);
    return { stream, contentType: a.contentType, size: a.size, fileName: a.fileName };
  }

  // ------------------------------------------------------------------ helpers

  private countOf(m: EntityManager, caseId: string): Promise<number> {
    return m.getRepository(AttachmentEntity).count({ where: { caseId } });
  }

  private tooLarge(): DomainError {
    return new DomainError('PAYLOAD_TOO_LARGE', `文件超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB 的上限`, { maxBytes: ATTACHMENT_MAX_BYTES });
  }

  private tooMany(): DomainError {
    return new DomainError('CONFLICT', `每个案件最多上传 ${ATTACHMENTS_PER_CASE} 个附件，已达上限`, { limit: ATTACHMENTS_PER_CASE });
  }

  /**
   * Reads the multipart body: `kind` (text) and one `file`, streamed through the inspector into
   * storage. Parts of any other name are drained and reported as problems.
   */
  private async receive(req: UploadRequest, storageKey: string, onWrite: () => void): Promise<{ file?: ReceivedFile; kind?: AttachmentKind; problems: FieldProblem[] }> {
    if (!req.isMultipart()) throw DomainError.field('file', '请以 multipart/form-data 上传文件（表单字段 file）');
    const problems: FieldProblem[] = [];
    let file: ReceivedFile | undefined;
    let kind: AttachmentKind | undefined;
    try {
      // (the typings of parts() omit throwFileSizeLimit, which it honours: we check `truncated` ourselves)
      const options = { limits: UPLOAD_LIMITS, throwFileSizeLimit: false } as Parameters<UploadRequest['parts']>[0];
      for await (const part of req.parts(options)) {
        if (part.type === 'field') {
          if (part.fieldname !== 'kind') problems.push({ field: part.fieldname, message: '不允许的字段' });
          else if (kind !== undefined) problems.push({ field: 'kind', message: 'kind 只能有一个' });
          else if (!(ATTACHMENT_KINDS as readonly string[]).includes(String(part.value))) problems.push({ field: 'kind', message: `kind 应为 ${ATTACHMENT_KINDS.join('、')} 之一` });
          else kind = part.value as AttachmentKind;
          continue;
        }
        if (part.fieldname !== 'file') {
          part.file.resume();
          problems.push({ field: part.fieldname, message: '文件应放在表单字段 file 中' });
          continue;
        }
        const inspector = new UploadInspector();
        const source: { error: Error | null } = { error: null }; // set by the stream's callbacks
        let ended = false;
        const fail = (err: Error) => {
          source.error ??= err;
          inspector.destroy(err);
        };
        part.file.on('error', fail);
        part.file.on('end', () => (ended = true));
        // a client that goes away mid-file: the parser destroys the stream without an error
        part.file.on('close', () => ended || fail(new Error('upload aborted before the file ended')));
        part.file.pipe(inspector);
        onWrite();
        try {
          await this.storage.put(storageKey, inspector);
        } catch (err) {
          if (source.error) throw source.error;
          throw new StorageFailure(err);
        }
        file = { clientName: part.filename, inspection: inspector.result(), truncated: part.file.truncated };
      }
    } catch (e) {
      if (e instanceof DomainError || e instanceof StorageFailure) throw e;
      const code = (e as { code?: unknown }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw this.tooLarge();
      if (code === 'FST_FILES_LIMIT') throw DomainError.field('file', '每次只能上传一个文件');
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw DomainError.field('body', '表单字段过多：只需 file 与 kind');
      // anything else the parser raised: a malformed or cut-off multipart body
      this.logger.debug({ err: e }, 'malformed multipart body');
      throw DomainError.field('body', '上传内容不完整或格式错误');
    }
    return { file, kind, problems };
  }
}
