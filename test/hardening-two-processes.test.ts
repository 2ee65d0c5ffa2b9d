/**
 * Two API processes and two workers side by side (issue 14): real processes (src/main.ts and src/worker.ts, as
 * `node dist/…` runs them) on one PostgreSQL database and one Redis prefix. A burst of concurrent requests spread
 * over both APIs: the same idempotent intake sent to both creates one case; the same step sent to both is taken
 * once (the other 409); letters numbered at once by both never share a number nor leave a gap; every history row
 * is there once. Then reminders due at once (cases received weeks ago, taken in on both APIs) go to a real SMTP
 * server (in-process `smtp-server`): each sent once across the two workers, none lost, and no message twice.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Client } from 'pg';
import { freePort } from '../src/infra/database/embedded-postgres';
import { applicationBody } from './support/cases';
import { startEntry, stopAll } from './support/child-processes';
import { createTestDatabase } from './support/database';
import { exampleEnv, REDIS_URL } from './support/env';
import { eventually, startSmtpSink, type SmtpSink } from './support/smtp';

const N = 16;

describe('hardening: two APIs and two workers on one database and Redis', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const procs: ChildProcess[] = [];
  const output: string[] = [];
  let ports: number[] = [];
  let pg: Client;
  let smtp: SmtpSink;
  let varDir = '';

  const start = (entry: 'main' | 'worker', env: Record<string, string>) => {
    return startEntry(entry, { ...base(), ...env }, procs, output);
  };
  let prefix = '';
  const base = () => ({
    ...exampleEnv(),
    NODE_ENV: 'test',
    DEMO_DATA: 'off',
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'on',
    VAR_DIR: varDir,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_SECURE: 'false',
  });
  const up = async (port: number) => {
    for (let i = 0; i < 600; i++) {
      const ok = await request(`http://127.0.0.1:${port}`)
        .get('/health')
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`API on ${port} did not start:\n${output.join('')}`);
  };
  const api = (i: number) => request(`http://127.0.0.1:${ports[i % 2]}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    varDir = await mkdtemp(join(tmpdir(), 'gi-two-processes-'));
    prefix = `t${randomBytes(5).toString('hex')}`;
    ports = [await freePort(), await freePort()];
    // the first API creates the administrator; then the second API and two workers
    start('main', { PORT: String(ports[0]), WORKERS: 'off', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1' });
    await up(ports[0]);
    start('main', { PORT: String(ports[1]), WORKERS: 'off' });
    start('worker', {});
    start('worker', {});
    await up(ports[1]);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 300_000);

  afterAll(async () => {
    await pg?.end();
    await stopAll(procs, 20_000);
    await db?.drop();
    await smtp?.close();
    if (varDir) await rm(varDir, { recursive: true, force: true });
  }, 60_000);

  it('nothing is duplicated or lost under a burst spread over both APIs', async () => {
    const admin = (await api(0).post('/api/v1/auth/login').send({ username: 'admin', password: 'admin-password-1' })).body.accessToken as string;
    const agency = await api(0).post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send({ code: 'two-proc', name: '双进程测试局' });
    expect(agency.status).toBe(201);
    for (const [username, role] of [['tp.clerk', 'clerk'], ['tp.sup', 'supervisor']]) {
      const u = await api(1).post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send({ username, password: 'long-enough-password', displayName: username, role, agencyId: agency.body.id, email: `${username}@example.cn` });
      expect(u.status).toBe(201);
    }
    // the clerk and the supervisor signed in on both APIs
    const signIn = (username: string) => Promise.all([0, 1].map(async (i) => (await api(i).post('/api/v1/auth/login').send({ username, password: 'long-enough-password' })).body.accessToken as string));
    const tokens = await signIn('tp.clerk');
    const supTokens = await signIn('tp.sup');
    const clerkId = (await api(0).get('/api/v1/auth/me').set('Authorization', `Bearer ${tokens[0]}`)).body.id as string;
    const as = (i: number) => ({ Authorization: `Bearer ${tokens[i % 2]}` });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

    // 1. the same idempotent intake sent to both APIs at once: one case each
    const intakes = await Promise.all(
      Array.from({ length: N }, (_, k) => {
        // letters collected in person: no worker records a mailed letter's delivery (a version) under the burst's steps
        const body = { ...applicationBody({ description: `双进程测试申请 第${k}件`, delivery: 'collect' }), channel: 'in_person', receiptDate: today };
        return Promise.all([0, 1].map((i) => api(i).post('/api/v1/cases').set(as(i)).set('Idempotency-Key', `burst-${k}`).send(body)));
      }),
    );
    for (const [a, b] of intakes) {
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(b.body.queryCode).toBe(a.body.queryCode);
    }
    const ids = intakes.map(([a]) => a.body.id as string);
    expect((await pg.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n).toBe(N);

    // 2. the same step, at the same version, on both APIs at once: taken once, the other refused
    const assigns = await Promise.all(ids.map((id) => Promise.all([0, 1].map((i) => api(i).post(`/api/v1/cases/${id}/assign`).set({ Authorization: `Bearer ${supTokens[i]}` }).send({ expectedVersion: 1, assigneeId: clerkId })))));
    for (const pair of assigns) expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);

    // 3. a step that numbers a letter, on every case at once, spread over both APIs
    const corrections = await Promise.all(ids.map((id, k) => api(k).post(`/api/v1/cases/${id}/request-correction`).set(as(k)).send({ expectedVersion: 2, items: ['请补充申请内容的描述'] })));
    for (const r of corrections) expect(r.status).toBe(200);

    // every history row once: intake, assign, request-correction per case, and nothing else
    const history = await pg.query(`SELECT case_id, action, count(*)::int AS n FROM case_history GROUP BY case_id, action`);
    for (const id of ids) {
      const mine = history.rows.filter((r) => r.case_id === id);
      expect(mine.every((r) => r.n === 1)).toBe(true);
      expect(mine.map((r) => r.action)).toEqual(expect.arrayContaining(['assign', 'request-correction']));
    }
    expect((await pg.query(`SELECT count(*)::int AS n FROM cases WHERE version = 3 AND state = 'awaiting_correction'`)).rows[0].n).toBe(N);
    // letter numbers: none twice, and each series runs 1..k without a gap
    const letters = await pg.query(`SELECT number FROM letters WHERE number IS NOT NULL`);
    const numbers = letters.rows.map((r) => r.number as string);
    expect(new Set(numbers).size).toBe(numbers.length);
    const series = new Map<string, number[]>();
    for (const n of numbers) {
      const m = /^(.*〔\d{4}〕)(\d+)号$/.exec(n);
      expect(m).not.toBeNull();
      series.set(m![1], [...(series.get(m![1]) ?? []), Number(m![2])]);
    }
    expect(numbers.length).toBeGreaterThanOrEqual(N);
    for (const ns of series.values()) expect(ns.sort((a, b) => a - b)).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
    // the scheduled actions planned by both APIs: one row per dedupe key, and both workers still running
    const dupes = await pg.query(`SELECT dedupe_key FROM scheduled_actions GROUP BY dedupe_key HAVING count(*) > 1`);
    expect(dupes.rows).toEqual([]);
    expect(procs.every((p) => p.exitCode === null)).toBe(true);
  }, 300_000);

  it('reminders due during the test are mailed once across both workers, none lost, no message twice', async () => {
    const tokens = await Promise.all([0, 1].map(async (i) => (await api(i).post('/api/v1/auth/login').send({ username: 'tp.clerk', password: 'long-enough-password' })).body.accessToken as string));
    // received 24 to 38 days ago: due within days (a reminder due at once) or overdue (the escalation, at once)
    const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, k) =>
        api(k)
          .post('/api/v1/cases')
          .set({ Authorization: `Bearer ${tokens[k % 2]}` })
          .send({ ...applicationBody({ description: `双进程提醒测试申请 第${k}件` }), channel: 'in_person', receiptDate: daysAgo(24 + 2 * k) }),
      ),
    );
    for (const r of created) expect(r.status).toBe(201);
    const ids = created.map((r) => r.body.id as string);
    const dueNow = async () =>
      (await pg.query(`SELECT id, kind, case_id, status, message_id FROM scheduled_actions WHERE case_id = ANY($1::uuid[]) AND due_at <= now() AND status <> 'cancelled'`, [ids])).rows as { id: string; kind: string; case_id: string; status: string; message_id: string | null }[];
    expect((await dueNow()).length).toBeGreaterThanOrEqual(4);
    // each is marked sent only after the SMTP server accepted its mail
    const due = await eventually(async () => {
      const rows = await dueNow();
      return rows.every((r) => r.status === 'sent') && rows;
    }, 30_000, 'every due reminder sent');
    // every receipt mailed to its applicant too
    await eventually(async () => smtp.mails.filter((m) => /^<letter\./.test(m.messageId ?? '')).length >= ids.length, 30_000, 'the receipts mailed');
    // a moment for a second copy from the other worker to arrive, if there were one
    await new Promise((r) => setTimeout(r, 1500));

    const ofId = (messageId: string) => smtp.mails.filter((m) => m.messageId === messageId);
    for (const r of due) {
      expect(r.message_id?.startsWith(`<${r.kind}.${r.id}@`)).toBe(true);
      expect(ofId(r.message_id!)).toHaveLength(1);
    }
    // no message twice (reminders and letters), and no reminder mailed that is not marked sent (every process's)
    const messageIds = smtp.mails.map((m) => m.messageId);
    expect(messageIds.filter((id, i) => messageIds.indexOf(id) !== i)).toEqual([]);
    const sentRows = (await pg.query(`SELECT message_id FROM scheduled_actions WHERE status = 'sent'`)).rows.map((r: { message_id: string }) => r.message_id);
    const reminderMails = smtp.mails.filter((m) => !/^<letter\./.test(m.messageId ?? ''));
    expect(reminderMails.map((m) => m.messageId).sort()).toEqual([...sentRows].sort());
    // one mail per recipient, case and kind
    const seen = reminderMails.map((m) => {
      const to = (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []).sort();
      return `${to.join(',')}|${/^<([a-z_]+)\./.exec(m.messageId ?? '')?.[1]}|${m.subject ?? ''}`;
    });
    expect(seen.filter((x, i) => seen.indexOf(x) !== i)).toEqual([]);
    expect(procs.every((p) => p.exitCode === null)).toBe(true);
  }, 120_000);
});
