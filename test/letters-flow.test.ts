/**
 * The letters' documents: checked at the step (LETTER_DATA_MISSING), rendered by the workers in render
 * threads, stored once in PostgreSQL, served to staff and on the portal, mailed once to applicants who
 * chose e-mail; a Redis outage, two workers at once and a killed worker leave every letter rendered once.
 */
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PersonalDataCipher } from '../src/common/crypto/personal-data-cipher';
import { QueueService } from '../src/infra/queue/queue.service';
import { LetterJobs } from '../src/letters/letter-jobs';
import { act, intake } from './support/cases';
import { REDIS_URL } from './support/env';
import { eventually, startSmtpSink, type SmtpSink } from './support/smtp';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(180_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** supertest collects an application/pdf body as a Buffer with this parser */
const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function lettersOf(t: TestApp, p: Person, caseId: string): Promise<{ id: string; code: string; state: string; rendered: boolean; sha256: string | null; number: string | null }[]> {
  const res = await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(p));
  expect(res.status).toBe(200);
  return res.body.items;
}

async function pdfOf(t: TestApp, p: Person, letterId: string) {
  return t.http().get(`/api/v1/letters/${letterId}/pdf`).set(bearer(p)).buffer(true).parse(binary as never);
}

async function storedRows(t: TestApp) {
  return t.ds.query<{ id: string; rendered_at: Date | null; letter_sha: string | null; pdf_sha: string | null; size: number | null; bytes: Buffer | null }[]>(
    `SELECT l.id, l.rendered_at, l.sha256 AS letter_sha, p.sha256 AS pdf_sha, p.size, p.bytes
       FROM letters l LEFT JOIN letter_pdfs p ON p.letter_id = l.id WHERE l.state IN ('issued', 'delivered')`,
  );
}

/** Every stored PDF is whole: its row, its letter's rendered_at and SHA-256 agree with its bytes; nothing half-stored. */
function expectConsistent(rows: Awaited<ReturnType<typeof storedRows>>) {
  for (const r of rows) {
    if (r.rendered_at === null) {
      expect(r.pdf_sha).toBeNull();
      continue;
    }
    expect(r.bytes).not.toBeNull();
    expect(r.bytes!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.size).toBe(r.bytes!.length);
    expect(r.pdf_sha).toBe(sha(r.bytes!));
    expect(r.letter_sha).toBe(r.pdf_sha);
  }
}

describe('letter documents (workers on)', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({ workers: true, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', PUBLIC_URL: 'https://gk.example.cn' } });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('renders the receipt in the worker, serves it to staff in scope, and forgets the query code once printed', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'post' });
    const [receipt] = await lettersOf(t, clerk, c.id);
    expect(receipt.code).toBe('receipt');
    // the query code is sealed on the letter until the receipt is rendered, never in clear
    const rendered = await eventually(async () => {
      const res = await pdfOf(t, clerk, receipt.id);
      if (res.status === 409) {
        expect(JSON.parse(res.body.toString()).code).toBe('LETTER_NOT_RENDERED');
        expect(res.headers['retry-after']).toBeDefined();
        return null;
      }
      return res;
    }, 90_000, 'the receipt rendered');
    expect(rendered.status).toBe(200);
    expect(rendered.headers['content-type']).toBe('application/pdf');
    const body = rendered.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(rendered.headers['x-content-sha256']).toBe(sha(body));
    const [row] = await t.ds.query(`SELECT sha256, sealed_query_code, facts::text AS facts FROM letters WHERE id = $1`, [receipt.id]);
    expect(row.sha256).toBe(sha(body));
    expect(row.sealed_query_code).toBeNull();
    expect(row.facts).not.toContain(c.queryCode);
    // nowhere in the letters' rows, in clear
    const [hit] = await t.ds.query(`SELECT count(*)::int AS n FROM letters WHERE row_to_json(letters)::text LIKE '%' || $1 || '%'`, [c.queryCode]);
    expect(hit.n).toBe(0);
    expect((await lettersOf(t, clerk, c.id))[0]).toMatchObject({ rendered: true, sha256: sha(body) });

    // scope: the parent agency reads it; another agency's staff do not see it; an admin reads no case content
    expect((await pdfOf(t, org.people['city.supervisor'], receipt.id)).status).toBe(200);
    expect((await pdfOf(t, org.people['dept.auditor'], receipt.id)).status).toBe(200);
    for (const who of ['other.clerk', 'district.supervisor', 'other.auditor'] as const) {
      const res = await pdfOf(t, org.people[who], receipt.id);
      expect(res.status).toBe(404);
    }
    expect((await pdfOf(t, org.people.admin, receipt.id)).status).toBe(403);
    expect((await pdfOf(t, clerk, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // an issued letter's PDF never changes
    await expect(t.ds.query(`UPDATE letter_pdfs SET size = size + 1 WHERE letter_id = $1`, [receipt.id])).rejects.toThrow(/immutable/);
    await expect(t.ds.query(`DELETE FROM letter_pdfs WHERE letter_id = $1`, [receipt.id])).rejects.toThrow(/immutable/);
    await expect(t.ds.query(`UPDATE letters SET facts = '{}' WHERE id = $1`, [receipt.id])).rejects.toThrow(/immutable/);
  });

  it('mails the letters of an applicant who chose e-mail, once, with the PDF whose SHA-256 is the letter’s', async () => {
    const before = smtp.mails.length;
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'email', description: '申请获取邮件送达测试信息' }, { email: 'mail-applicant@example.cn' });
    const [receipt] = await lettersOf(t, clerk, c.id);
    void before;
    const mine = () => smtp.mails.filter((m) => (m.to as { text: string }).text.includes('mail-applicant@example.cn'));
    const mail = await eventually(async () => mine()[0], 90_000, 'the letter mailed');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    // accepted, then the receipt that day recorded as the case's delivery
    const row = await eventually(async () => {
      const [r] = await t.ds.query(`SELECT sha256, mailed_at, dispatch_way, dispatch_reference, state, delivered_on::text AS delivered_on FROM letters WHERE id = $1`, [receipt.id]);
      return r.state === 'delivered' ? r : null;
    }, 30_000, 'the receipt recorded');
    expect(sha(mail.attachments[0].content)).toBe(row.sha256);
    const cs = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk));
    expect(cs.body.deliveries).toEqual([expect.objectContaining({ of: 'receipt', method: 'email', letterId: receipt.id, on: row.delivered_on })]);
    expect(row).toMatchObject({ dispatch_way: 'email', state: 'delivered', delivered_on: expect.any(String) });
    expect(row.dispatch_reference).toBe(`<letter.${receipt.id}@gk.example.cn>`);
    expect(mail.messageId).toBe(`<letter.${receipt.id}@gk.example.cn>`);
    // the sweep and a repeated job send nothing more
    await t.app.get(LetterJobs).sweepOnce();
    expect(await t.app.get(LetterJobs).sendMail(receipt.id)).toBe('already');
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine()).toHaveLength(1);
  });

  it('the portal lists each letter with an absolute link that downloads it with the query code', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online' });
    const other = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '另一申请' });
    const [receipt] = await lettersOf(t, clerk, c.id);
    const [otherReceipt] = await lettersOf(t, clerk, other.id);
    const view = await eventually(async () => {
      const res = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
      expect(res.status).toBe(200);
      return res.body.letters[0]?.url ? res.body : null;
    }, 90_000, 'the portal link');
    const url = new URL(view.letters[0].url);
    expect(url.origin).toBe('https://gk.example.cn');
    expect(url.pathname).toBe(`/api/v1/portal/applications/${c.trackingNumber}/letters/${receipt.id}/pdf`);
    const get = (code: string, path = url.pathname) => t.http().get(path).set('X-Query-Code', code).buffer(true).parse(binary as never);
    expect((await get('WRONGCODE234')).status).toBe(404);
    expect((await get(other.queryCode)).status).toBe(404);
    // another case's letter, with this case's code
    expect((await get(c.queryCode, `/api/v1/portal/applications/${c.trackingNumber}/letters/${otherReceipt.id}/pdf`)).status).toBe(404);
    const ok = await get(c.queryCode);
    expect(ok.status).toBe(200);
    const staff = await pdfOf(t, clerk, receipt.id);
    expect(sha(ok.body)).toBe(sha(staff.body));
    // the first download by an applicant who chose the portal is the letter's receipt
    const after = await lettersOf(t, clerk, c.id);
    expect(after[0]).toMatchObject({ state: 'delivered' });
    const cs = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk));
    expect(cs.body.deliveries ?? []).toEqual(expect.arrayContaining([expect.objectContaining({ of: 'receipt', method: 'online', letterId: receipt.id })]));
  });

  it('record-delivery names one letter exactly by letterId; another case’s letter is refused', async () => {
    const a = await intake(t, clerk, '2024-11-18', { delivery: 'post' });
    const b = await intake(t, clerk, '2024-11-18', { delivery: 'post' });
    const [la] = await lettersOf(t, clerk, a.id);
    const [lb] = await lettersOf(t, clerk, b.id);
    const bad = await act(t, clerk, a.id, 'record-delivery', { letterId: lb.id, method: 'post', on: '2024-11-19' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const neither = await act(t, clerk, a.id, 'record-delivery', { method: 'post', on: '2024-11-19' });
    expect(neither.status).toBe(400);
    const good = await act(t, clerk, a.id, 'record-delivery', { letterId: la.id, method: 'post', on: '2024-11-19', waybillNumber: 'EMS1000000001' });
    expect(good.status).toBe(200);
    const [row] = await t.ds.query(`SELECT state, delivered_on::text AS d, dispatch_way, dispatch_reference FROM letters WHERE id = $1`, [la.id]);
    expect(row).toEqual({ state: 'delivered', d: '2024-11-19', dispatch_way: 'post', dispatch_reference: 'EMS1000000001' });
  });

  it('consult takes the party’s postal address and e-mail, and its letter is addressed with them', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '征求意见地址测试' });
    const bad = await act(t, clerk, c.id, 'consult', { on: '2024-11-19', party: 'third_party', name: '盘锦某置业有限公司', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    const ok = await act(t, clerk, c.id, 'consult', { on: '2024-11-19', party: 'third_party', name: '盘锦某置业有限公司', address: '辽宁省盘锦市兴隆台区某路1号', email: 'party@example.cn' });
    expect(ok.status).toBe(200);
    const [row] = await t.ds.query(`SELECT facts FROM letters WHERE case_id = $1 AND code = 'third_party_consultation'`, [c.id]);
    expect(row.facts).toMatchObject({ addresseeName: '盘锦某置业有限公司', addresseeAddress: '辽宁省盘锦市兴隆台区某路1号', deliveryMethod: 'post', consultedInformation: '征求意见地址测试' });
    expect(row.facts.answerDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('records the reply’s sign-off by the agency’s step names, the 保密审查 as a fact of its own, and the fee notice’s decider', async () => {
    const admin = org.people.admin;
    const sup = org.people['dept.supervisor'];
    const set = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ approvalSteps: 2, approvalStepNames: ['科室负责人审核', '分管领导签发'] });
    expect(set.status).toBe(200);
    expect(set.body.approvalStepNames).toEqual(['科室负责人审核', '分管领导签发']);
    try {
      const c = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '签批记录测试' });
      expect((await act(t, clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '经查，现予公开。' })).status).toBe(200);
      expect((await act(t, sup, c.id, 'approve-reply', { step: 1 })).status).toBe(200);
      expect((await act(t, sup, c.id, 'approve-reply', { step: 2, confidentialityReviewed: true })).status).toBe(200);
      const issued = await act(t, clerk, c.id, 'issue-reply', {});
      expect(issued.status).toBe(200);
      const reply = (await t.http().get(`/api/v1/cases/${c.id}/letters`).set(bearer(clerk))).body.items.find((l: { code: string }) => l.code === 'reply');
      expect(reply.signOffs.map((s: { step: number; name: string; by: string }) => [s.step, s.name, s.by])).toEqual([
        [1, '科室负责人审核', sup.id],
        [2, '分管领导签发', sup.id],
      ]);
      expect(reply.confidentialityReviewedBy).toBe(sup.id);
      expect(reply.confidentialityReviewedAt).toEqual(reply.signOffs[1].at);
      // the fee notice names who decided the fee
      const f = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '收费决定人测试' });
      const fee = await act(t, clerk, f.id, 'notify-fee', { on: '2024-11-19', tariff: 'per_page', pages: 150 });
      expect(fee.status).toBe(200);
      const notice = (await t.http().get(`/api/v1/cases/${f.id}/letters`).set(bearer(clerk))).body.items.find((l: { code: string }) => l.code === 'fee_notice');
      expect(notice.approvedBy).toBe(clerk.id);
    } finally {
      await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ approvalSteps: 1, approvalStepNames: [] });
    }
  });

  it('refuses a step whose letter would print a blank (LETTER_DATA_MISSING), writing nothing', async () => {
    // the district has no reconsideration body or court: a reply's remedies sentence cannot name them
    const dclerk = org.people['district.clerk'];
    const c = await intake(t, dclerk, '2024-11-18', { delivery: 'post' });
    const before = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(dclerk));
    const lettersBefore = await lettersOf(t, dclerk, c.id);
    const res = await act(t, dclerk, c.id, 'draft-reply', { outcome: 'unavailable.needs_creation', reasons: '需要另行加工。' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LETTER_DATA_MISSING');
    expect(res.body.details.missing).toEqual(expect.arrayContaining(['reconsiderationBody']));
    expect(res.body.message).toContain('行政复议机关');
    const after = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(dclerk));
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.state).toBe(before.body.state);
    // the same letters (the receipt may have been rendered meanwhile), no draft reply
    const ids = (xs: { id: string; code: string; state: string }[]) => xs.map((l) => `${l.id} ${l.code} ${l.state}`);
    expect(ids(await lettersOf(t, dclerk, c.id))).toEqual(ids(lettersBefore));
    // a postal receipt needs the applicant's address
    const noAddress = await t.http().post('/api/v1/cases').set(bearer(clerk)).send({
      applicant: { type: 'natural_person', name: '李四', idType: 'resident_id', idNumber: '11010519491231002X', email: 'li@example.cn' },
      description: '无地址的邮寄申请',
      form: 'paper',
      delivery: 'post',
      channel: 'in_person',
      receiptDate: '2024-11-18',
    });
    expect(noAddress.status).toBe(409);
    expect(noAddress.body.code).toBe('LETTER_DATA_MISSING');
    expect(noAddress.body.details.missing).toEqual(['addresseeAddress']);
    const [n] = await t.ds.query(`SELECT count(*)::int AS n FROM cases WHERE description = '无地址的邮寄申请'`);
    expect(n.n).toBe(0);
  });
});

describe('letter documents without a live queue', () => {
  let down: TestApp;
  let org: TestOrg;
  let clerk: Person;
  const workers: TestApp[] = [];
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    // Redis unreachable for this app: its after-commit enqueue fails, the step still succeeds
    down = await createTestApp({ workers: false, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    org = await seedOrg(down);
    clerk = org.people['dept.clerk'];
  });
  // a worker app's sweep (its clock ahead) would take the next test's letters: each test closes its own
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = null;
    for (const w of workers.splice(0)) await w.close();
  });
  afterAll(async () => {
    await down?.close();
  });

  const workerApp = async (now?: string) => {
    const w = await createTestApp({ workers: true, databaseUrl: down.databaseUrl, now, env: { QUEUE_PREFIX: down.config.queuePrefix } });
    workers.push(w);
    return w;
  };

  it('a letter issued while Redis is down answers 409 LETTER_NOT_RENDERED, and is rendered by the sweep once Redis is back', async () => {
    const c = await intake(down, clerk, '2024-11-18', { delivery: 'post' });
    const [receipt] = await lettersOf(down, clerk, c.id);
    const res = await pdfOf(down, clerk, receipt.id);
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body.toString()).code).toBe('LETTER_NOT_RENDERED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // a worker with Redis, its clock past the sweep's grace
    const w = await workerApp(new Date(Date.now() + 5 * 60_000).toISOString());
    await eventually(async () => (await pdfOf(down, clerk, receipt.id)).status === 200, 90_000, 'rendered by the sweep');
    void w;
    expectConsistent(await storedRows(down));
  });

  it('two workers rendering the same letters at once store each PDF once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await intake(down, clerk, '2024-11-18', { delivery: 'post', description: `并发生成测试${i}` });
      ids.push((await lettersOf(down, clerk, c.id))[0].id);
    }
    const [a, b] = [await workerApp(), await workerApp()];
    const results = await Promise.all(ids.flatMap((id) => [a.app.get(LetterJobs).render(id), b.app.get(LetterJobs).render(id)]));
    for (let i = 0; i < ids.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]].sort();
      // both may find it already rendered when a worker's own job was quicker; never both render it
      expect(pair.filter((r) => r === 'rendered').length).toBeLessThanOrEqual(1);
    }
    const rows = await down.ds.query(`SELECT letter_id, count(*)::int AS n FROM letter_pdfs WHERE letter_id = ANY($1::uuid[]) GROUP BY letter_id`, [ids]);
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) expect(r.n).toBe(1);
    expectConsistent(await storedRows(down));
  });

  it('a worker killed mid-render leaves nothing half-stored, and the letters are rendered later', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await intake(down, clerk, '2024-11-18', { delivery: 'post', description: `崩溃测试${i}` });
      ids.push((await lettersOf(down, clerk, c.id))[0].id);
    }
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: down.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: `${down.config.queuePrefix}k`,
      JWT_SECRET: down.config.jwtSecret,
      ENCRYPTION_KEY: down.config.encryptionKey.toString('hex'),
      HASH_KEY: down.config.hashKey.toString('hex'),
      DEMO_DATA: 'off',
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'off',
    };
    // the child's queue gets the jobs (its own prefix, so the other workers of this file do not take them)
    const producer = await createTestApp({ workers: false, databaseUrl: down.databaseUrl, env: { QUEUE_PREFIX: env.QUEUE_PREFIX } });
    workers.push(producer);
    const jobs = producer.app.get(LetterJobs);
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/worker.ts'], { cwd: join(__dirname, '..'), env, stdio: 'ignore' });
    const caseIds = (await down.ds.query(`SELECT case_id FROM letters WHERE id = ANY($1::uuid[])`, [ids])).map((r: { case_id: string }) => r.case_id);
    for (const id of caseIds) await jobs.renderCase(id);
    // kill it while a render is in flight (a job active in BullMQ, its PDF not stored yet)
    const q = producer.app.get(QueueService).queue('letters');
    await eventually(async () => (await q.getActiveCount()) > 0, 120_000, 'a render in flight');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = null;
    expectConsistent(await storedRows(down));
    // another worker's sweep renders what is left
    await workerApp(new Date(Date.now() + 5 * 60_000).toISOString());
    await eventually(async () => {
      const rows = await down.ds.query(`SELECT count(*)::int AS n FROM letters WHERE id = ANY($1::uuid[]) AND rendered_at IS NOT NULL`, [ids]);
      return rows[0].n === ids.length;
    }, 120_000, 'all rendered');
    expectConsistent(await storedRows(down));
  });

  it('reset-query-code: a supervisor issues a new code on a new receipt, the old code stops working, the clear code is erased once printed', async () => {
    const c = await intake(down, clerk, '2024-11-18', { delivery: 'post', description: '重置查询码测试' });
    const sup = org.people['dept.supervisor'];
    expect((await act(down, clerk, c.id, 'reset-query-code', {})).status).toBe(403);
    expect((await act(down, org.people['other.supervisor'], c.id, 'reset-query-code', {}, c.version)).status).toBe(404);
    const res = await act(down, sup, c.id, 'reset-query-code', {});
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/queryCode/);
    const receipts: { id: string; sealed_query_code: string | null; number: string }[] = await down.ds.query(
      `SELECT id, sealed_query_code, number FROM letters WHERE case_id = $1 AND code = 'receipt' ORDER BY issued_at`,
      [c.id],
    );
    expect(receipts).toHaveLength(2);
    expect(receipts[0].number).not.toBe(receipts[1].number);
    const cipher = down.app.get(PersonalDataCipher);
    const newCode = cipher.decrypt(receipts[1].sealed_query_code!);
    expect(newCode).not.toBe(c.queryCode);
    const track = (code: string) => down.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', code);
    expect((await track(c.queryCode)).status).toBe(404);
    expect((await track(newCode)).status).toBe(200);
    // never in the history
    const hist = await down.ds.query(`SELECT payload::text AS p FROM case_history WHERE case_id = $1`, [c.id]);
    for (const h of hist) expect(h.p).not.toContain(newCode);
    // printed, then gone
    const jobs = down.app.get(LetterJobs);
    for (const r of receipts) expect(await jobs.render(r.id)).toBe('rendered');
    const after = await down.ds.query(`SELECT count(*)::int AS n FROM letters WHERE case_id = $1 AND sealed_query_code IS NOT NULL`, [c.id]);
    expect(after[0].n).toBe(0);
    const [hit] = await down.ds.query(`SELECT count(*)::int AS n FROM letters WHERE row_to_json(letters)::text LIKE '%' || $1 || '%'`, [newCode]);
    expect(hit.n).toBe(0);
  });

  it('e-mail refused by the server is retried, and sent once', async () => {
    const smtp = await startSmtpSink();
    try {
      const m = await createTestApp({ workers: false, databaseUrl: down.databaseUrl, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false' } });
      workers.push(m);
      const c = await intake(m, clerk, '2024-11-18', { delivery: 'email', description: '拒收重试测试' }, { email: 'refused@example.cn' });
      const [receipt] = await lettersOf(m, clerk, c.id);
      const jobs = m.app.get(LetterJobs);
      expect(await jobs.render(receipt.id)).toBe('rendered');
      smtp.refuse = true;
      await expect(jobs.sendMail(receipt.id)).rejects.toThrow();
      const [failed] = await m.ds.query(`SELECT mailed_at, mail_error FROM letters WHERE id = $1`, [receipt.id]);
      expect(failed.mailed_at).toBeNull();
      expect(failed.mail_error).toBeTruthy();
      smtp.refuse = false;
      expect(await jobs.sendMail(receipt.id)).toBe('sent');
      expect(await jobs.sendMail(receipt.id)).toBe('already');
      await smtp.waitFor(1);
      expect(smtp.mails).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });
});
