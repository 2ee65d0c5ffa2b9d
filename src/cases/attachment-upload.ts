import '@fastify/multipart';
import { finished, Readable } from 'node:stream';
import { createParamDecorator, Logger, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '../common/errors/domain-error';
import { UPLOAD_LIMITS } from '../common/storage/upload-limits';
import { UploadInspector, type Inspection } from '../common/storage/upload-inspector';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment.entity';
import { attachmentTooLarge } from './attachment-limits';

/** The part of a Fastify request an upload reads (with @fastify/multipart registered). */
export type UploadRequest = Pick<FastifyRequest, 'isMultipart' | 'parts'>;

export interface ReceivedFile {
  clientName: string | undefined;
  inspection: Inspection;
  truncated: boolean;
}

export interface ReceivedUpload {
  file?: ReceivedFile;
  kind?: AttachmentKind;
  problems: FieldProblem[];
}

/** Where the file's bytes go (hashed and sniffed on their way); its rejection is passed on unchanged. */
export type FileSink = (content: Readable) => Promise<void>;

/** An error of the sink (disk full, permissions), as opposed to a malformed request. */
class SinkFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('sink failed', { cause });
  }
}

const logger = new Logger('AttachmentUpload');

/**
 * The multipart body of an attachment upload, read only when {@link read} is called (so that the
 * caller's scope is checked before any byte is taken): `kind` (text) and one `file`, streamed through
 * the inspector into the sink. Parts of any other name are drained and reported as problems; a
 * malformed body and the parser's limits are 400 / 413 domain errors.
 */
export class AttachmentUpload {
  constructor(private readonly req: UploadRequest) {}

  async read(sink: FileSink): Promise<ReceivedUpload> {
    const req = this.req;
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
        // its error is the source's, thrown below once the sink gives up (the sink may not listen yet: an 'error'
        // with no listener would end the process)
        inspector.on('error', () => undefined);
        const source: { error: Error | null } = { error: null }; // set by the stream's callback
        // a body that ends before the file does (a client gone mid-file, a body cut off before its closing boundary):
        // the parser destroys the file stream without an error, and it may have done so before the part reaches this
        // loop, its 'close' already past; finished() also reports a stream closed before it ended
        finished(part.file, (err) => {
          if (!err) return;
          source.error ??= err;
          inspector.destroy(err);
        });
        part.file.pipe(inspector);
        try {
          await sink(inspector);
        } catch (err) {
          if (source.error) throw source.error;
          throw new SinkFailure(err);
        }
        file = { clientName: part.filename, inspection: inspector.result(), truncated: part.file.truncated };
      }
    } catch (e) {
      if (e instanceof SinkFailure) throw e.cause;
      if (e instanceof DomainError) throw e;
      const code = (e as { code?: unknown }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw attachmentTooLarge();
      if (code === 'FST_FILES_LIMIT') throw DomainError.field('file', '每次只能上传一个文件');
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw DomainError.field('body', '表单字段过多：只需 file 与 kind');
      // anything else the parser raised: a malformed or cut-off multipart body
      logger.debug({ err: e }, 'malformed multipart body');
      throw DomainError.field('body', '上传内容不完整或格式错误');
    }
    return { file, kind, problems };
  }
}

/** The route's multipart body as an {@link AttachmentUpload} (read later, by the service, after its checks). */
export const AttachmentUploadBody = createParamDecorator((_: unknown, ctx: ExecutionContext) => new AttachmentUpload(ctx.switchToHttp().getRequest<FastifyRequest>()));

/**
 * A file the server itself holds (the demo city's seeding), read like an upload: streamed through the same inspector
 * into the sink, so it is typed, hashed and stored as any upload is.
 */
export class BufferUpload {
  constructor(
    private readonly file: { name: string; bytes: Buffer; kind: AttachmentKind },
  ) {}

  async read(sink: FileSink): Promise<ReceivedUpload> {
    const inspector = new UploadInspector();
    Readable.from([this.file.bytes]).pipe(inspector);
    await sink(inspector);
    return { file: { clientName: this.file.name, inspection: inspector.result(), truncated: false }, kind: this.file.kind, problems: [] };
  }
}
