import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import type { Response } from 'supertest';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_CASE } from '../src/cases/attachment-limits';
import { AttachmentOrphanSweep } from '../src/cases/attachment-orphan-sweep';
import { intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function makePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Identity document copy (test)');
    doc.end();
  });
}

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A ZIP with stored (uncompressed) entries: enough to stand for DOCX / OFD containers. */
function makeZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, data);
    centrals.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(entries).length, 8);
  eocd.writeUInt16LE(Object.keys(entries).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('cases: attachments', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let caseId: string;
  let pdf: Buffer;
  let filesRoot: string;

  const upload = (p: Person, id: string, file: Buffer, filename: string, opts: { kind?: string; contentType?: string; kindAfter?: boolean } = {}) => {
    let req = t.http().post(`/api/v1/cases/${id}/attachments`).set(bearer(p));
    if (opts.kind && !opts.kindAfter) req = req.field('kind', opts.kind);
    req = req.attach('file', file, { filename, contentType: opts.contentType ?? 'application/octet-stream' });
    if (opts.kind && opts.kindAfter) req = req.field('kind', opts.kind);
    return req;
  };
  const download = (p: Person, id: string, attachmentId: string) =>
    t.http().get(`/api/v1/cases/${id}/attachments/${attachmentId}`).set(bearer(p)).buffer(true).parse(binary as never);
  const storedFiles = (id: string) => (existsSync(join(filesRoot, 'cases', id)) ? readdirSync(join(filesRoot, 'cases', id)) : []);
  const rowCount = async (id: string) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM attachments WHERE case_id = $1`, [id]))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-11-20T02:00:00Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    caseId = (await intake(t, clerk, '2024-11-18')).id;
    pdf = await makePdf();
    filesRoot = join(t.config.varDir, 'files');
  });
  afterAll(async () => {
    await t?.close();
    if (t) await rm(t.config.varDir, { recursive: true, force: true });
  });

  let pdfId: string;

  it('uploads a PDF: type from the content, SHA-256 and size recorded, stored under a uuid', async () => {
    const res = await upload(clerk, caseId, pdf, '张三 身份证复印件.pdf', { kind: 'id_copy', contentType: 'text/plain' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId,
      kind: 'id_copy',
      fileName: '张三 身份证复印件.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
      uploadedBy: clerk.id,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    pdfId = res.body.id;
    // on disk: named by the uuid, the original name nowhere
    const files = storedFiles(caseId);
    expect(files).toEqual([pdfId]);
    expect(readFileSync(join(filesRoot, 'cases', caseId, pdfId)).equals(pdf)).toBe(true);
  });

  let pngId: string;

  it('uploads a PNG (kind after the file; default kind other when absent)', async () => {
    const res = await upload(clerk, caseId, PNG, 'scan.png', { kind: 'supporting', kindAfter: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'supporting', contentType: 'image/png', size: PNG.length, sha256: sha256(PNG), fileName: 'scan.png' });
    pngId = res.body.id;
    const r2 = await upload(clerk, caseId, PNG, '../../etc/\u202egnp.exe');
    expect(r2.status).toBe(201);
    expect(r2.body.kind).toBe('other');
    // path and bidi override stripped, an extension fitting the content added
    expect(r2.body.fileName).toBe('gnp.exe.png');
  });

  it('downloads identical bytes with the right headers', async () => {
    const res = await download(clerk, caseId, pdfId);
    expect(res.status).toBe(200);
    expect(Buffer.isBuffer(res.body) && res.body.equals(pdf)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-length']).toBe(String(pdf.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="__ ______.pdf"; filename*=UTF-8''${encodeURIComponent('张三 身份证复印件.pdf')}`,
    );
    const png = await download(clerk, caseId, pngId);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).equals(PNG)).toBe(true);
  });

  it('lists the attachments and records each upload in the history', async () => {
    const list = await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk));
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id).slice(0, 2)).toEqual([pdfId, pngId]);
    expect(list.body.nextCursor).toBeNull();
    const h = await t.http().get(`/api/v1/cases/${caseId}/history`).set(bearer(clerk));
    const added = h.body.items.filter((x: { action: string }) => x.action === 'add-attachment');
    expect(added).toHaveLength(3);
    expect(added[0]).toMatchObject({
      actor: { id: clerk.id, role: 'clerk' },
      fromState: 'in_progress',
      toState: 'in_progress',
      payload: { attachmentId: pdfId, kind: 'id_copy', sha256: sha256(pdf), size: pdf.length },
    });
    // the case itself is unchanged: no version bump for an attachment
    const c = await t.http().get(`/api/v1/cases/${caseId}`).set(bearer(clerk));
    expect(c.body.version).toBe(1);
  });

  it('refuses content that is not an allowed type, whatever its name says (415), leaving nothing behind', async () => {
    const before = storedFiles(caseId).length;
    const rows = await rowCount(caseId);
    const res = await upload(clerk, caseId, Buffer.from('这不是PDF，只是文本。\n'), 'report.pdf', { contentType: 'application/pdf' });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(res.body.message).toMatch(/PDF/);
    // a ZIP that is no office document or OFD
    const zip = await upload(clerk, caseId, makeZip({ 'readme.txt': 'hello', 'run.exe': 'MZ' }), 'docs.docx');
    expect(zip.status).toBe(415);
    // HTML in disguise
    const html = await upload(clerk, caseId, Buffer.from('<html><script>alert(1)</script></html>'), 'x.png', { contentType: 'image/png' });
    expect(html.status).toBe(415);
    expect(storedFiles(caseId)).toHaveLength(before);
    expect(await rowCount(caseId)).toBe(rows);
  });

  it('accepts ZIP-based office documents and OFD by their contents', async () => {
    const docx = makeZip({ '[Content_Types].xml': '<Types/>', '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' });
    const r1 = await upload(clerk, caseId, docx, '补充说明.docx', { kind: 'supporting' });
    expect(r1.status).toBe(201);
    expect(r1.body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const ofd = makeZip({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
    const r2 = await upload(clerk, caseId, ofd, 'reply', { kind: 'correction' });
    expect(r2.status).toBe(201);
    expect(r2.body).toMatchObject({ contentType: 'application/ofd', fileName: 'reply.ofd', kind: 'correction' });
    const d = await download(clerk, caseId, r2.body.id);
    expect((d.body as Buffer).equals(ofd)).toBe(true);
  });

  it('answers 400 naming the field for a missing file, a bad kind or a stray field', async () => {
    const none = await t.http().post(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk)).field('kind', 'other');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('VALIDATION_FAILED');
    expect(none.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['file']);
    const json = await t.http().post(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk)).send({ kind: 'other' });
    expect(json.status).toBe(400);
    expect(json.body.details.fields[0].field).toBe('file');
    const before = storedFiles(caseId).length;
    const kind = await upload(clerk, caseId, PNG, 'a.png', { kind: 'passport' });
    expect(kind.status).toBe(400);
    expect(kind.body.details.fields[0].field).toBe('kind');
    const wrongName = await t.http().post(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk)).attach('upload', PNG, 'a.png');
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['upload', 'file']);
    const two = await t.http().post(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk)).attach('file', PNG, 'a.png').attach('file', PNG, 'b.png');
    expect(two.status).toBe(400);
    expect(two.body.details.fields[0].field).toBe('file');
    expect(storedFiles(caseId)).toHaveLength(before);
  });

  it('refuses a file over 20 MB with 413 and keeps no part of it', async () => {
    const before = storedFiles(caseId).length;
    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 0x20);
    big.write('%PDF-1.7\n');
    const res = await upload(clerk, caseId, big, 'big.pdf');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: ATTACHMENT_MAX_BYTES } });
    expect(storedFiles(caseId)).toHaveLength(before);
    // exactly at the limit is fine
    const atLimit = await upload(clerk, caseId, big.subarray(0, ATTACHMENT_MAX_BYTES), 'limit.pdf');
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.size).toBe(ATTACHMENT_MAX_BYTES);
  });

  it('scopes: other agencies 404, the parent supervisor reads but may not upload, auditors and admins 403', async () => {
    const p = org.people;
    for (const who of ['other.clerk', 'other.supervisor', 'district.clerk', 'district.supervisor']) {
      expect((await upload(p[who], caseId, PNG, 'a.png')).status).toBe(404);
      expect((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(p[who]))).status).toBe(404);
      expect((await download(p[who], caseId, pdfId)).status).toBe(404);
    }
    const parent = await upload(p['city.supervisor'], caseId, PNG, 'a.png');
    expect(parent.status).toBe(403);
    expect(parent.body.code).toBe('FORBIDDEN');
    expect((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(p['city.supervisor']))).status).toBe(200);
    const d = await download(p['city.supervisor'], caseId, pdfId);
    expect(d.status).toBe(200);
    expect((d.body as Buffer).equals(pdf)).toBe(true);
    for (const who of ['dept.auditor', 'city.auditor', 'admin']) {
      const r = await upload(p[who], caseId, PNG, 'a.png');
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
    expect((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(p['dept.auditor']))).status).toBe(200);
    expect((await download(p['city.auditor'], caseId, pdfId)).status).toBe(200);
    expect((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(p.admin))).status).toBe(403);
    expect((await download(p.admin, caseId, pdfId)).status).toBe(403);
    // the supervisor of the case's own agency may upload
    expect((await upload(p['dept.supervisor'], caseId, PNG, 'b.png')).status).toBe(201);
  });

  it('answers 404 for an unknown attachment or one of another case', async () => {
    const other = await intake(t, clerk, '2024-11-18');
    expect((await download(clerk, other.id, pdfId)).status).toBe(404);
    expect((await download(clerk, caseId, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download(clerk, caseId, 'not-a-uuid')).status).toBe(404);
    expect((await upload(clerk, '00000000-0000-4000-8000-000000000000', PNG, 'a.png')).status).toBe(404);
  });

  it(`refuses the ${ATTACHMENTS_PER_CASE + 1}st attachment of a case with 409 CONFLICT`, async () => {
    const c = await intake(t, clerk, '2024-11-18');
    for (let i = 0; i < ATTACHMENTS_PER_CASE; i++) {
      const r: Response = await upload(clerk, c.id, PNG, `p${i}.png`);
      expect(r.status).toBe(201);
    }
    const res = await upload(clerk, c.id, PNG, 'one-too-many.png');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', details: { limit: ATTACHMENTS_PER_CASE } });
    expect(res.body.message).toMatch(/最多.*20.*附件/);
    expect(storedFiles(c.id)).toHaveLength(ATTACHMENTS_PER_CASE);
    expect(await rowCount(c.id)).toBe(ATTACHMENTS_PER_CASE);
  });

  it('holds the limit when uploads to a case race: the losers leave no file behind', async () => {
    const c = await intake(t, clerk, '2024-11-18');
    for (let i = 0; i < ATTACHMENTS_PER_CASE - 1; i++) expect((await upload(clerk, c.id, PNG, `p${i}.png`)).status).toBe(201);
    const statuses = (await Promise.all([1, 2, 3, 4].map((i) => upload(clerk, c.id, pdf, `race${i}.pdf`)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    expect(storedFiles(c.id)).toHaveLength(ATTACHMENTS_PER_CASE);
    expect(await rowCount(c.id)).toBe(ATTACHMENTS_PER_CASE);
  });

  it('answers a large upload to a case out of scope without reading it into storage', async () => {
    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 0x20);
    big.write('%PDF-1.7\n');
    const res = await upload(org.people['other.clerk'], caseId, big, 'big.pdf');
    expect(res.status).toBe(404);
  });

  it('leaves nothing behind when the client goes away in the middle of a file', async () => {
    const before = storedFiles(caseId).sort();
    const server = t.app.getHttpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = 'xxBOUNDARYxx';
      const sock = connect(port, '127.0.0.1');
      await once(sock, 'connect');
      sock.write(
        `POST /api/v1/cases/${caseId}/attachments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${clerk.token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
      );
      sock.write(Buffer.alloc(512 * 1024, 0x20));
      // the partial file is being written
      for (let i = 0; i < 50 && storedFiles(caseId).length === before.length; i++) await sleep(20);
      expect(storedFiles(caseId).some((f) => f.endsWith('.part'))).toBe(true);
      sock.destroy();
      for (let i = 0; i < 100 && storedFiles(caseId).length !== before.length; i++) await sleep(20);
      expect(storedFiles(caseId).sort()).toEqual(before);
      // and the service still answers
      expect((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk))).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('removes stored files no row names, and leftovers of unfinished writes, once old; never a file with its row', async () => {
    const id = (await intake(t, clerk, '2024-11-18', { description: '孤儿文件清理' })).id;
    const kept = await upload(clerk, id, pdf, '身份证.pdf', { kind: 'id_copy' });
    expect(kept.status).toBe(201);
    const dir = join(filesRoot, 'cases', id);
    // as a process that died after storing an upload and before its commit would leave them
    const orphan = join(dir, '00000000-0000-4000-8000-0000000000aa');
    const partial = join(dir, `00000000-0000-4000-8000-0000000000bb.${'1'.repeat(8)}-1111-4111-8111-111111111111.part`);
    writeFileSync(orphan, pdf);
    writeFileSync(partial, pdf.subarray(0, 100));
    const service = t.app.get(AttachmentOrphanSweep);
    // young files are left alone (an upload may be committing)
    expect(await service.removeOrphans()).toBe(0);
    expect(storedFiles(id).sort()).toEqual([kept.body.id, '00000000-0000-4000-8000-0000000000aa', partial.slice(dir.length + 1)].sort());
    const old = new Date(Date.now() - 2 * 60 * 60_000);
    for (const f of [orphan, partial, join(dir, kept.body.id)]) utimesSync(f, old, old);
    expect(await service.removeOrphans()).toBe(2);
    expect(storedFiles(id)).toEqual([kept.body.id]);
    const back = await download(clerk, id, kept.body.id);
    expect(Buffer.compare(back.body as Buffer, pdf)).toBe(0);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await t.http().get('/api/docs-json');
    const post = doc.body.paths['/api/v1/cases/{id}/attachments'].post;
    expect(post.tags).toContain('cases 案件');
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(doc.body.paths['/api/v1/cases/{id}/attachments/{attachmentId}'].get.summary).toMatch(/下载/);
  });
});
