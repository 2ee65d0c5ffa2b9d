/**
 * Delivery the way the applicant asked: the day the receiving SMTP server accepted the e-mail (Asia/Shanghai)
 * is the letter's receipt and the case's delivery, exactly as `record-delivery` would set it, recorded once even
 * with several workers and retries; the applicant's first portal download likewise, once.
 */
import { createHash } from 'node:crypto';
import { LetterJobs } from '../src/letters/letter-jobs';
import { LetterWorkRepository } from '../src/letters/letter-work.repository';
import { act, intake } from './support/cases';
import { startSmtpSink, type SmtpSink } from './support/smtp';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(180_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface LetterItem {
  id: string;
  code: string;
  state: string;
}

describe('delivery of letters by e-mail and the portal', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // 17:30 UTC on 19 November is 01:30 on 20 November in Shanghai: the acceptance day is the 20th
    t = await createTestApp({ workers: false, now: '2024-11-19T17:30:00.000Z', env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', PUBLIC_URL: 'https://gk.example.cn' } });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const lettersOf = async (caseId: string): Promise<LetterItem[]> => (await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(clerk))).body.items;
  const caseOf = async (caseId: string) => (await t.http().get(`/api/v1/cases/${caseId}`).set(bearer(clerk))).body;
  const deliveriesOf = async (caseId: string, letterId: string) =>
    ((await caseOf(caseId)).deliveries as { letterId?: string; of: string; on: string; method: string }[]).filter((d) => d.letterId === letterId);

  it('the day the server accepted the correction notice is the case’s delivery, as record-delivery makes it, once', async () => {
    const jobs = t.app.get(LetterJobs);
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'email', description: '邮件送达补正告知书测试' }, { email: 'corr-applicant@example.cn' });
    expect((await act(t, clerk, c.id, 'request-correction', { on: '2024-11-19', items: ['请明确所需信息的时间范围'] })).status).toBe(200);
    const notice = (await lettersOf(c.id)).find((l) => l.code === 'correction_notice')!;
    expect(await jobs.render(notice.id)).toBe('rendered');

    // refused first: nothing recorded, neither dispatch nor receipt
    smtp.refuse = true;
    await expect(jobs.sendMail(notice.id)).rejects.toThrow();
    const [refused] = await t.ds.query(`SELECT mailed_at, mail_error, state FROM letters WHERE id = $1`, [notice.id]);
    expect(refused).toMatchObject({ mailed_at: null, state: 'issued' });
    expect(refused.mail_error).toBeTruthy();
    expect(await deliveriesOf(c.id, notice.id)).toEqual([]);
    smtp.refuse = false;

    // accepted; the worker stops before the receipt is recorded (the mail's own commit only)
    const mine = () => smtp.mails.filter((m) => (m.to as { text: string }).text.includes('corr-applicant@example.cn') && m.subject?.includes('补正'));
    expect(await jobs.sendMail(notice.id)).toBe('sent');
    const [mailed] = await t.ds.query(`SELECT state, dispatch_way, dispatched_on::text AS dispatched_on, dispatch_reference, sha256 FROM letters WHERE id = $1`, [notice.id]);
    expect(mailed).toMatchObject({ state: 'issued', dispatch_way: 'email', dispatched_on: '2024-11-20', dispatch_reference: `<letter.${notice.id}@gk.example.cn>` });
    expect(mine()).toHaveLength(1);
    expect(mine()[0].messageId).toBe(`<letter.${notice.id}@gk.example.cn>`);
    expect(sha(mine()[0].attachments[0].content)).toBe(mailed.sha256);
    expect(await deliveriesOf(c.id, notice.id)).toEqual([]);
    // the sweep finds it (its clock past the grace)
    expect(await t.app.get(LetterWorkRepository).mailedUndeliveredBefore(new Date(Date.now() + 10 * 365 * 86_400_000), 1000)).toContain(notice.id);

    // three workers (a retried job, the sweep's job) at once: one records it
    const outcomes = await Promise.all([jobs.receiveMailed(notice.id), jobs.receiveMailed(notice.id), jobs.receiveMailed(notice.id)]);
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already')).toHaveLength(2);
    expect(await jobs.sendMail(notice.id)).toBe('already');
    expect(await jobs.receiveMailed(notice.id)).toBe('already');
    expect(mine()).toHaveLength(1);
    expect(await t.app.get(LetterWorkRepository).mailedUndeliveredBefore(new Date(Date.now() + 10 * 365 * 86_400_000), 1000)).not.toContain(notice.id);

    const got = await deliveriesOf(c.id, notice.id);
    expect(got).toEqual([expect.objectContaining({ of: 'correction_notice', on: '2024-11-20', method: 'email', letterId: notice.id })]);
    const [row] = await t.ds.query(`SELECT state, delivered_on::text AS d, delivery_method FROM letters WHERE id = $1`, [notice.id]);
    expect(row).toEqual({ state: 'delivered', d: '2024-11-20', delivery_method: 'email' });

    // the same period as a clerk's record-delivery of that day on a case like it
    const twin = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '邮件送达补正告知书对照' });
    expect((await act(t, clerk, twin.id, 'request-correction', { on: '2024-11-19', items: ['请明确所需信息的时间范围'] })).status).toBe(200);
    const twinNotice = (await lettersOf(twin.id)).find((l) => l.code === 'correction_notice')!;
    expect((await act(t, clerk, twin.id, 'record-delivery', { letterId: twinNotice.id, method: 'post', on: '2024-11-20' })).status).toBe(200);
    const periods = (await caseOf(c.id)).periods;
    expect(periods.correctionPeriodEnds).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(periods).toEqual((await caseOf(twin.id)).periods);
    // the history tells who: the system on the applicant's side, not a clerk
    const history = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items as { action: string; payload: Record<string, unknown> }[];
    expect(history.filter((h) => h.action === 'record-delivery')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ method: 'email', letterId: notice.id }) })]);
  });

  it('the applicant’s first portal download is the receipt, recorded once even for downloads at once', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '门户下载送达测试' });
    const [receipt] = await lettersOf(c.id);
    expect(await t.app.get(LetterJobs).render(receipt.id)).toBe('rendered');
    const path = `/api/v1/portal/applications/${c.trackingNumber}/letters/${receipt.id}/pdf`;
    const res = await Promise.all([0, 1, 2].map((i) => t.http().get(path).set('X-Query-Code', c.queryCode).set('X-Forwarded-For', `10.9.0.${i + 1}`)));
    expect(res.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await t.http().get(path).set('X-Query-Code', c.queryCode)).status).toBe(200);
    expect(await deliveriesOf(c.id, receipt.id)).toEqual([expect.objectContaining({ of: 'receipt', on: '2024-11-20', method: 'online' })]);
  });
});
