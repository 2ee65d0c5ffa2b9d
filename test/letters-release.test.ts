/**
 * The information itself goes with the reply: staff mark files for release (attachment kind `release`, uploaded or
 * changed while the case is open); a granted or partial reply lists them and records them as provided with it; the
 * applicant who chose e-mail receives them beside the reply's PDF (within RELEASE_MAIL_MAX_BYTES, else the portal
 * links), once; the portal lists and serves them with the query code, and nothing else; once the reply is issued the
 * set never changes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import PDFDocument from 'pdfkit';
import { filesDir } from '../src/common/storage/storage.provider';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { exampleEnv } from './support/env';
import { LetterJobs } from '../src/letters/letter-jobs';
import { act, intake } from './support/cases';
import { binaryBody } from './support/binary-body';
import { pdfTexts } from './support/pdf-text';
import { startSmtpSink, type SmtpSink } from './support/smtp';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(240_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdfTextOf = (b: Buffer): string => pdfTexts(b)[0];
/** the mail's attachments of the files: at most this many bytes together */
const MAIL_MAX = 200_000;

function makePdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', compress: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface Letter {
  id: string;
  code: string;
  state: string;
  sha256: string | null;
}

interface Attachment {
  id: string;
  kind: string;
  fileName: string;
  size: number;
  sha256: string;
}

describe('files released with the reply', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;
  let jobs: LetterJobs;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      workers: false,
      now: '2024-11-19T02:00:00.000Z',
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', PUBLIC_URL: 'https://gk.example.cn', RELEASE_MAIL_MAX_BYTES: String(MAIL_MAX) },
    });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
    jobs = t.app.get(LetterJobs);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const upload = (p: Person, caseId: string, file: Buffer, filename: string, kind: string) =>
    t.http().post(`/api/v1/cases/${caseId}/attachments`).set(bearer(p)).field('kind', kind).attach('file', file, { filename, contentType: 'application/octet-stream' });
  const uploaded = async (caseId: string, file: Buffer, filename: string, kind: string): Promise<Attachment> => {
    const res = await upload(clerk, caseId, file, filename, kind);
    expect(res.status).toBe(201);
    return res.body as Attachment;
  };
  const setKind = (p: Person, caseId: string, attachmentId: string, kind: string) =>
    t.http().patch(`/api/v1/cases/${caseId}/attachments/${attachmentId}`).set(bearer(p)).send({ kind });
  const replyOf = async (caseId: string): Promise<Letter> =>
    ((await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(clerk))).body.items as Letter[]).find((l) => l.code === 'reply' && l.state !== 'superseded')!;
  const staffPdf = async (letterId: string): Promise<Buffer> => {
    const res = await t.http().get(`/api/v1/letters/${letterId}/pdf`).set(bearer(clerk)).buffer(true).parse(binaryBody as never);
    expect(res.status).toBe(200);
    return res.body as Buffer;
  };
  const track = (tn: string, code: string) => t.http().get(`/api/v1/portal/applications/${tn}`).set('X-Query-Code', code);
  const portalFile = (path: string, code: string) => t.http().get(path).set('X-Query-Code', code).buffer(true).parse(binaryBody as never);
  const stored = (caseId: string, attachmentId: string) => readFileSync(join(filesDir(t.config), 'cases', caseId, attachmentId));
  const mailsTo = (address: string): ParsedMail[] => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));
  const releasedRows = async (letterId: string) =>
    (await t.ds.query(`SELECT attachment_id, position FROM letter_release_files WHERE letter_id = $1 ORDER BY position`, [letterId])) as { attachment_id: string; position: number }[];

  /** What a refused change must leave as it was: the attachments, the history, the stored files, the reply's files. */
  const snapshot = async (caseId: string, letterId?: string) => ({
    attachments: ((await t.http().get(`/api/v1/cases/${caseId}/attachments`).set(bearer(clerk))).body.items as Attachment[]).map((a) => `${a.id} ${a.kind}`),
    history: (await t.http().get(`/api/v1/cases/${caseId}/history`).set(bearer(clerk))).body.items.length as number,
    released: letterId ? await releasedRows(letterId) : [],
  });

  /** Drafted, signed off with the 保密审查 and issued on 2024-11-19. */
  async function issueReply(caseId: string, draft: Record<string, unknown>) {
    expect((await act(t, clerk, caseId, 'draft-reply', draft)).status).toBe(200);
    expect((await act(t, sup, caseId, 'approve-reply', { confidentialityReviewed: true })).status).toBe(200);
    expect((await act(t, clerk, caseId, 'issue-reply', { on: '2024-11-19' })).status).toBe(200);
    const reply = await replyOf(caseId);
    expect(await jobs.render(reply.id)).toBe('rendered');
    return replyOf(caseId);
  }

  it('a granted reply lists its release files and mails them beside the PDF, once; the portal serves them and nothing else; the set never changes after issue', async () => {
    const email = 'release-granted@example.cn';
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'email', description: '申请获取2024年城市道路维修资金使用明细' }, { email });
    const table = await makePdf('2024 road maintenance spending');
    const a = await uploaded(c.id, table, '2024年道路维修资金明细表.pdf', 'release');
    expect(a).toMatchObject({ kind: 'release', fileName: '2024年道路维修资金明细表.pdf', sha256: sha(table) });
    // an attachment uploaded as something else, marked for release afterwards (with its history)
    const map = await uploaded(c.id, PNG, '维修路段示意图.png', 'other');
    const marked = await setKind(clerk, c.id, map.id, 'release');
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ id: map.id, kind: 'release', sha256: sha(PNG) });
    const history = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items as { action: string; payload: Record<string, unknown> }[];
    expect(history.filter((h) => h.action === 'set-attachment-kind')).toEqual([expect.objectContaining({ payload: { attachmentId: map.id, from: 'other', to: 'release' } })]);
    // the same kind again changes nothing, writes nothing
    expect((await setKind(clerk, c.id, map.id, 'release')).status).toBe(200);
    expect((await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items).toHaveLength(history.length);
    // the same rule as uploads: an auditor 403, another agency 404, a parent agency's supervisor (read-only) 403; a bad kind 400
    expect((await setKind(org.people['dept.auditor'], c.id, map.id, 'other')).status).toBe(403);
    expect((await setKind(org.people['other.clerk'], c.id, map.id, 'other')).status).toBe(404);
    expect((await setKind(org.people['city.supervisor'], c.id, map.id, 'other')).status).toBe(403);
    const bad = await setKind(clerk, c.id, map.id, 'secret');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await setKind(clerk, c.id, randomUUID(), 'release')).status).toBe(404);
    // a supporting document of the applicant is never released
    const own = await uploaded(c.id, await makePdf('applicant supporting letter'), '申请人的证明材料.pdf', 'supporting');

    // nothing on the portal before the reply is issued
    expect((await track(c.trackingNumber, c.queryCode)).body.files).toEqual([]);

    // signed off (保密审查 included): the files are fixed; returned, they may change again and are signed off anew
    expect((await act(t, clerk, c.id, 'draft-reply', { outcome: 'granted' })).status).toBe(200);
    expect((await act(t, sup, c.id, 'approve-reply', { confidentialityReviewed: true })).status).toBe(200);
    const signedOff = await snapshot(c.id);
    const afterSignOff = await upload(clerk, c.id, await makePdf('after sign-off'), '未经审查的文件.pdf', 'release');
    expect([afterSignOff.status, afterSignOff.body.code]).toEqual([409, 'RELEASE_FILES_LOCKED']);
    expect([(await setKind(clerk, c.id, own.id, 'release')).body.code, (await setKind(clerk, c.id, a.id, 'other')).body.code]).toEqual(['RELEASE_FILES_LOCKED', 'RELEASE_FILES_LOCKED']);
    expect(await snapshot(c.id)).toEqual(signedOff);
    expect((await act(t, sup, c.id, 'return-reply', { reason: '核对提供的文件' })).status).toBe(200);

    const reply = await issueReply(c.id, { outcome: 'granted' });
    expect(await releasedRows(reply.id)).toEqual([
      { attachment_id: a.id, position: 1 },
      { attachment_id: map.id, position: 2 },
    ]);
    // the PDF parsed back names the files provided
    const pdf = await staffPdf(reply.id);
    expect(sha(pdf)).toBe(reply.sha256);
    const text = pdfTextOf(pdf);
    expect(text).toContain('随本答复向你（单位）提供以下文件');
    expect(text).toContain('2024年道路维修资金明细表.pdf');
    expect(text).toContain('维修路段示意图.png');
    expect(text).not.toContain('申请人的证明材料');

    // refused by the mail server first: nothing marked, retried
    smtp.refuse = true;
    await expect(jobs.sendMail(reply.id)).rejects.toThrow();
    expect((await t.ds.query(`SELECT mailed_at FROM letters WHERE id = $1`, [reply.id]))[0].mailed_at).toBeNull();
    smtp.refuse = false;
    expect(await jobs.sendMail(reply.id)).toBe('sent');
    expect(await jobs.sendMail(reply.id)).toBe('already');
    const mails = mailsTo(email);
    expect(mails).toHaveLength(1);
    const files = mails[0].attachments.map((x) => ({ name: x.filename, sha: sha(x.content) }));
    // the PDF, then the released files, each equal to what is stored
    expect(files).toEqual([
      { name: expect.stringMatching(/\.pdf$/), sha: reply.sha256 },
      { name: '2024年道路维修资金明细表.pdf', sha: sha(stored(c.id, a.id)) },
      { name: '维修路段示意图.png', sha: sha(stored(c.id, map.id)) },
    ]);
    expect(files[1].sha).toBe(a.sha256);
    expect(files[2].sha).toBe(sha(PNG));
    expect(mails[0].text).toContain('随答复向您提供的文件共2个');

    // the portal: the files listed, served with the query code; anything else the same 404
    const seen = await track(c.trackingNumber, c.queryCode);
    expect(seen.status).toBe(200);
    expect(seen.body.files).toEqual([
      { id: a.id, name: '2024年道路维修资金明细表.pdf', size: table.length, sha256: sha(table), url: `https://gk.example.cn/api/v1/portal/applications/${c.trackingNumber}/files/${a.id}` },
      { id: map.id, name: '维修路段示意图.png', size: PNG.length, sha256: sha(PNG), url: `https://gk.example.cn/api/v1/portal/applications/${c.trackingNumber}/files/${map.id}` },
    ]);
    const path = new URL(seen.body.files[0].url as string).pathname;
    const got = await portalFile(path, c.queryCode);
    expect(got.status).toBe(200);
    expect(sha(got.body as Buffer)).toBe(sha(table));
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-sha256']).toBe(sha(table));
    expect(got.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wrong = await t.http().get(path).set('X-Query-Code', 'WRONGCODE00');
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('NOT_FOUND');
    const letterNotFound = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}/letters/${randomUUID()}/pdf`).set('X-Query-Code', 'WRONGCODE00');
    expect([wrong.status, wrong.body.message]).toEqual([letterNotFound.status, letterNotFound.body.message]);
    expect((await portalFile(`/api/v1/portal/applications/${c.trackingNumber}/files/${own.id}`, c.queryCode)).status).toBe(404);
    expect((await portalFile(`/api/v1/portal/applications/${c.trackingNumber}/files/${randomUUID()}`, c.queryCode)).status).toBe(404);

    // after issue the reply's files never change: each refusal 409 with its code, nothing written
    const before = await snapshot(c.id, reply.id);
    const storedBefore = (await t.ds.query(`SELECT count(*)::int AS n FROM attachments`))[0].n as number;
    const late = await upload(clerk, c.id, await makePdf('late file'), '补充文件.pdf', 'release');
    expect([late.status, late.body.code]).toEqual([409, 'RELEASE_FILES_LOCKED']);
    const unmark = await setKind(clerk, c.id, a.id, 'other');
    expect([unmark.status, unmark.body.code]).toEqual([409, 'RELEASE_FILES_LOCKED']);
    const mark = await setKind(sup, c.id, own.id, 'release');
    expect([mark.status, mark.body.code]).toEqual([409, 'RELEASE_FILES_LOCKED']);
    expect(await snapshot(c.id, reply.id)).toEqual(before);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM attachments`))[0].n).toBe(storedBefore);
    // the database keeps them too
    await expect(t.ds.query(`DELETE FROM letter_release_files WHERE letter_id = $1`, [reply.id])).rejects.toThrow(/never change/);
    await expect(t.ds.query(`UPDATE letter_release_files SET position = 9 WHERE letter_id = $1`, [reply.id])).rejects.toThrow(/never change/);
    // a kind change that does not touch release is still allowed after conclusion
    expect((await setKind(clerk, c.id, own.id, 'other')).status).toBe(200);
  });

  it('files over RELEASE_MAIL_MAX_BYTES stay on the portal: the mail carries the PDF and their links; another case’s file is 404', async () => {
    const email = 'release-partial@example.cn';
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'email', description: '申请获取某工程招标文件' }, { email });
    // a PDF as the server sees it (by its first bytes), over the limit
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n%'), randomBytes(MAIL_MAX)]);
    expect(big.length).toBeGreaterThan(MAIL_MAX);
    const f = await uploaded(c.id, big, '招标文件（删除不予公开内容）.pdf', 'release');
    const reply = await issueReply(c.id, { outcome: 'partial', withheldParts: ['投标人的报价明细'], grounds: ['withheld.third_party'], reasons: '报价明细涉及投标人的商业秘密。' });
    expect(pdfTextOf(await staffPdf(reply.id))).toContain('招标文件（删除不予公开内容）.pdf');

    expect(await jobs.sendMail(reply.id)).toBe('sent');
    const [mail] = mailsTo(email);
    expect(mail.attachments.map((x) => sha(x.content))).toEqual([reply.sha256]);
    const link = `https://gk.example.cn/api/v1/portal/applications/${c.trackingNumber}/files/${f.id}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toContain('超过邮件附件的大小上限');
    const got = await portalFile(new URL(link).pathname, c.queryCode);
    expect(got.status).toBe(200);
    expect(sha(got.body as Buffer)).toBe(sha(big));

    // a file provided with another case's reply, asked for with this case's number and code
    const other = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '另一申请' });
    expect((await portalFile(`/api/v1/portal/applications/${other.trackingNumber}/files/${f.id}`, other.queryCode)).status).toBe(404);
    expect((await track(other.trackingNumber, other.queryCode)).body.files).toEqual([]);
  });

  it('a granted reply without release files says what it said before; a reply that provides nothing lists none and records none', async () => {
    const plain = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '申请获取某通知原文' });
    const r1 = await issueReply(plain.id, { outcome: 'granted' });
    const text = pdfTextOf(await staffPdf(r1.id));
    expect(text).toContain('本机关予以公开');
    expect(text).not.toContain('提供以下文件');
    expect(await releasedRows(r1.id)).toEqual([]);

    const notHeld = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '申请获取某会议纪要' });
    const f = await uploaded(notHeld.id, await makePdf('draft kept by mistake'), '误传的文件.pdf', 'release');
    const r2 = await issueReply(notHeld.id, { outcome: 'unavailable.not_held', reasons: '经检索，本机关未制作、获取该信息。' });
    expect(pdfTextOf(await staffPdf(r2.id))).not.toContain('误传的文件');
    expect(await releasedRows(r2.id)).toEqual([]);
    expect((await track(notHeld.trackingNumber, notHeld.queryCode)).body.files).toEqual([]);
    expect((await portalFile(`/api/v1/portal/applications/${notHeld.trackingNumber}/files/${f.id}`, notHeld.queryCode)).status).toBe(404);
  });

  it('the draft’s preview lists the files the reply would provide', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '申请获取某规划批复' });
    await uploaded(c.id, await makePdf('planning approval'), '规划批复.pdf', 'release');
    expect((await act(t, clerk, c.id, 'draft-reply', { outcome: 'granted' })).status).toBe(200);
    const draft = ((await t.http().get(`/api/v1/cases/${c.id}/letters`).set(bearer(clerk))).body.items as Letter[]).find((l) => l.code === 'reply')!;
    const preview = await t.http().get(`/api/v1/letters/${draft.id}/preview`).set(bearer(clerk)).buffer(true).parse(binaryBody as never);
    expect(preview.status).toBe(200);
    expect(pdfTextOf(preview.body as Buffer)).toContain('规划批复.pdf');
  });

  it('RELEASE_MAIL_MAX_BYTES: 10 MiB by default, 0 to never attach, refused when not a whole number up to 50 MiB', () => {
    expect(loadConfig({ ...exampleEnv(), RELEASE_MAIL_MAX_BYTES: undefined }).releaseMailMaxBytes).toBe(10 * 1024 * 1024);
    expect(loadConfig(exampleEnv()).releaseMailMaxBytes).toBe(10 * 1024 * 1024);
    expect(loadConfig({ ...exampleEnv(), RELEASE_MAIL_MAX_BYTES: '0' }).releaseMailMaxBytes).toBe(0);
    for (const bad of ['-1', '10MB', '1.5', String(50 * 1024 * 1024 + 1)]) {
      expect(() => loadConfig({ ...exampleEnv(), RELEASE_MAIL_MAX_BYTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...exampleEnv(), RELEASE_MAIL_MAX_BYTES: bad })).toThrow(/RELEASE_MAIL_MAX_BYTES/);
    }
  });

  it('a corrected (superseding) reply provides the same files; the portal lists them once', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '申请获取某项目验收报告' });
    const f = await uploaded(c.id, await makePdf('acceptance report'), '验收报告.pdf', 'release');
    const reply = await issueReply(c.id, { outcome: 'granted', reasons: '现提供验收报告。' });
    const version = (await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk))).body.version as number;
    const res = await t.http().post(`/api/v1/letters/${reply.id}/supersede`).set(bearer(sup)).send({ expectedVersion: version, reason: '理由表述有误', confidentialityReviewed: true, reply: { reasons: '现向你提供该项目的验收报告。' } });
    expect(res.status).toBe(201);
    const replacement = res.body.replacement as Letter;
    expect(await releasedRows(replacement.id)).toEqual([{ attachment_id: f.id, position: 1 }]);
    expect(await releasedRows(reply.id)).toEqual([{ attachment_id: f.id, position: 1 }]);
    expect(await jobs.render(replacement.id)).toBe('rendered');
    expect(pdfTextOf(await staffPdf(replacement.id))).toContain('验收报告.pdf');
    expect((await track(c.trackingNumber, c.queryCode)).body.files.map((x: { id: string }) => x.id)).toEqual([f.id]);
  });
});
