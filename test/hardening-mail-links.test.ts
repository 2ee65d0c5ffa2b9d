/**
 * Links in reminder and digest mails (issue 14, item 8): to the staff front-end (STAFF_URL, STAFF_CASE_PATH,
 * STAFF_BOARD_PATH), never to the API (PUBLIC_URL); none at all, only the tracking number, when STAFF_URL is unset.
 * Real PostgreSQL, Redis and SMTP.
 */
import type { ParsedMail } from 'mailparser';
import { Sweeper } from '../src/notifications/sweeper';
import { intake } from './support/cases';
import { eventually, startSmtpSink, type SmtpSink } from './support/smtp';
import { createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

/** 2024-10-29 (Tuesday) 10:00 Asia/Shanghai */
const TUESDAY_10AM = '2024-10-29T02:00:00Z';

// slow under load (argon2 sign-ins, two apps): a timeout detects a hang, it measures nothing
jest.setTimeout(180_000);

describe.each([
  ['with STAFF_URL', { STAFF_URL: 'https://staff.example.cn/gi/', STAFF_CASE_PATH: '/#/case/{id}/detail', STAFF_BOARD_PATH: '/#/board' }],
  ['without STAFF_URL', {}],
] as const)('mail links %s', (_name, staffEnv) => {
  let smtp: SmtpSink;
  let t: TestApp;
  let org: TestOrg;
  const withStaff = 'STAFF_URL' in staffEnv;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      now: TUESDAY_10AM,
      workers: true,
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', PUBLIC_URL: 'https://api.example.cn', ...staffEnv },
    });
    org = await seedOrg(t);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  }, 240_000);

  const links = (m: ParsedMail) => [...`${m.text ?? ''}${m.html || ''}`.matchAll(/https?:\/\/[^\s"<>]+/g)].map((x) => x[0]);

  it('a reminder links to the case in the staff front-end, or names only the tracking number', async () => {
    const c = await intake(t, org.people['dept.clerk'], '2024-09-27'); // due 2024-10-30: reminded at once
    const [mail] = await eventually(async () => {
      const found = smtp.mails.filter((m) => (m.subject ?? '').includes(c.trackingNumber));
      return found.length ? found : null;
    }, 20_000, 'reminder mail');
    expect(mail.text).toContain(c.trackingNumber);
    expect(links(mail).some((l) => l.startsWith('https://api.example.cn'))).toBe(false);
    if (withStaff) {
      expect(mail.text).toContain(`办理链接：https://staff.example.cn/gi/#/case/${c.id}/detail`);
      expect(mail.html).toContain(`href="https://staff.example.cn/gi/#/case/${c.id}/detail"`);
    } else {
      expect(links(mail)).toEqual([]);
      expect(mail.text).toContain(`案件编号：${c.trackingNumber}`);
    }
  });

  it('the daily digest links to the deadline board, or carries no link', async () => {
    await t.ds.query(
      `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data) VALUES ($1, 'daily_digest', NULL, $2, 'supervisors', $3, $4)`,
      [`digest:${org.dept}:2024-10-29`, org.dept, new Date(TUESDAY_10AM), { date: '2024-10-29' }],
    );
    await t.app.get(Sweeper).sweepOnce();
    const [mail] = await eventually(async () => {
      const found = smtp.mails.filter((m) => (m.subject ?? '').startsWith('【日报】'));
      return found.length ? found : null;
    }, 20_000, 'digest mail');
    expect(links(mail).some((l) => l.startsWith('https://api.example.cn'))).toBe(false);
    if (withStaff) {
      expect(mail.text).toContain('查看：https://staff.example.cn/gi/#/board');
      expect(mail.html).toContain('href="https://staff.example.cn/gi/#/board"');
    } else expect(links(mail)).toEqual([]);
  });
});
