import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { intake } from './support/cases';
import { REDIS_URL } from './support/env';
import { eventually, startSmtpSink, type SmtpSink } from './support/smtp';
import { createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

/**
 * A worker process killed with SIGKILL in the middle of a job (after it claimed the action,
 * before the SMTP server accepted anything): another worker sends the mail, exactly once,
 * within about a minute.
 */
describe('a worker killed mid-job', () => {
  let smtp: SmtpSink;
  let producer: TestApp;
  let org: TestOrg;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    producer = await createTestApp({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } });
    org = await seedOrg(producer);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await producer?.close();
    await smtp?.close();
  });

  it('is replaced by another worker: one mail, sent once', async () => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: producer.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: producer.config.queuePrefix,
      JWT_SECRET: producer.config.jwtSecret,
      ENCRYPTION_KEY: producer.config.encryptionKey.toString('hex'),
      HASH_KEY: producer.config.hashKey.toString('hex'),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_SECURE: 'false',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'off',
    };
    // the first SMTP connection is held: the worker is then inside the job, holding the row
    const reached = new Promise<(err?: Error) => void>((resolve) => {
      smtp.onHold = (release) => {
        smtp.onHold = null;
        resolve(release);
      };
    });
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/worker.ts'], { cwd: join(__dirname, '..'), env, stdio: 'ignore' });
    // an overdue case: its escalation is due at once
    const c = await intake(producer, org.people['dept.clerk'], '2026-09-01');
    const release = await reached;
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    release(new Error('connection dropped'));
    const [row] = await producer.ds.query(`SELECT status FROM scheduled_actions WHERE case_id = $1 AND kind = 'overdue_escalation'`, [c.id]);
    expect(row.status).toBe('pending');
    // another worker (this process) takes over: BullMQ's stalled-job check hands the job back
    const rescuer = await createTestApp({
      databaseUrl: producer.databaseUrl,
      workers: true,
      env: { QUEUE_PREFIX: producer.config.queuePrefix, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) },
    });
    try {
      const started = Date.now();
      await eventually(async () => smtp.mails.some((m) => (m.subject ?? '').includes(c.trackingNumber)), 90_000, 'the rescued mail');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(80_000);
      await new Promise((r) => setTimeout(r, 1500));
      const mails = smtp.mails.filter((m) => (m.subject ?? '').includes(c.trackingNumber));
      expect(mails).toHaveLength(1);
      const [sent] = await producer.ds.query(`SELECT status, message_id FROM scheduled_actions WHERE case_id = $1 AND kind = 'overdue_escalation'`, [c.id]);
      expect(sent.status).toBe('sent');
      expect(mails[0].messageId).toBe(sent.message_id);
    } finally {
      await rescuer.close();
    }
  }, 120_000);
});
