import { SmtpMailer } from '../src/notifications/mail/smtp-mailer';
import { startSmtpSink, type SmtpSink } from './support/smtp';

/** The SMTP mailer against a real SMTP server: composed messages, pooled connections, failures. */
describe('SmtpMailer (real SMTP server in-process)', () => {
  let smtp: SmtpSink;
  let mailer: SmtpMailer;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    mailer = new SmtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: '"政府信息公开平台" <noreply@gov.example>' });
  });
  afterAll(async () => {
    await mailer?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.mails.length = 0;
    smtp.refuse = false;
  });

  const message = (i: number) => ({
    to: [`clerk${i}@gov.example`, 'sup@gov.example'],
    subject: `【提醒】申请 Y2026${String(i).padStart(6, '0')} 将于 2026-12-01 到期`,
    text: `第 ${i} 件：请及时答复。`,
    html: `<p>第 ${i} 件：请及时<b>答复</b>。</p>`,
    messageId: `<deadline_reminder.${i}@gov.example>`,
  });

  it('delivers many messages in parallel, each intact, over a bounded set of connections', async () => {
    const before = smtp.connectionCount;
    await Promise.all(Array.from({ length: 60 }, (_, i) => mailer.send(message(i))));
    const mails = await smtp.waitFor(60);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(60);
    const m7 = mails.find((m) => m.messageId === '<deadline_reminder.7@gov.example>')!;
    expect(m7.subject).toBe('【提醒】申请 Y2026000007 将于 2026-12-01 到期');
    expect(m7.from?.value[0]).toEqual({ address: 'noreply@gov.example', name: '政府信息公开平台' });
    expect(m7.to && !Array.isArray(m7.to) ? m7.to.value.map((a) => a.address) : []).toEqual(['clerk7@gov.example', 'sup@gov.example']);
    expect(m7.text?.trim()).toBe('第 7 件：请及时答复。');
    expect(m7.html).toContain('<b>答复</b>');
    // pooled: 60 messages never open more than the pool's 25 connections
    expect(smtp.connectionCount - before).toBeLessThanOrEqual(25);
    // and the next message reuses one of them
    const opened = smtp.connectionCount;
    await mailer.send(message(100));
    expect(smtp.connectionCount).toBe(opened);
  });

  it('throws when the server refuses a message, and sends the next one normally', async () => {
    smtp.refuse = true;
    await expect(mailer.send(message(200))).rejects.toMatchObject({ responseCode: 550 });
    smtp.refuse = false;
    await mailer.send(message(201));
    const [m] = await smtp.waitFor(1);
    expect(m.messageId).toBe('<deadline_reminder.201@gov.example>');
  });

  it('replaces connections the server closed while they were idle', async () => {
    await mailer.send(message(300));
    smtp.dropConnections();
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([mailer.send(message(301)), mailer.send(message(302))]);
    const mails = await smtp.waitFor(3);
    expect(mails.map((m) => m.messageId).sort()).toEqual(['<deadline_reminder.300@gov.example>', '<deadline_reminder.301@gov.example>', '<deadline_reminder.302@gov.example>']);
  });

  it('fails a send when the server cannot be reached', async () => {
    const nowhere = new SmtpMailer({ host: '127.0.0.1', port: 1, secure: false, from: 'noreply@gov.example' });
    try {
      await expect(nowhere.send(message(400))).rejects.toThrow();
    } finally {
      await nowhere.close();
    }
  });
});
