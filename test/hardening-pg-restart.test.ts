/**
 * PostgreSQL restarted in the middle of a burst (issue 14), on a PRIVATE embedded PostgreSQL (its own port and data
 * directory; the machine's server on 5432, which the other test files use, is never touched). An API process and a
 * worker (real child processes, as `node dist/…` runs them) serve a burst of intakes and assignments from several
 * clients; PostgreSQL is stopped (a fast shutdown: sessions cut, open transactions rolled back) and started again
 * while the burst runs. While it is down the API answers 503 in the error shape at once (the health check too),
 * never a 500 and never a hang; once it is back the same processes serve again by themselves. Then the database:
 * every case's history is whole (versions 1..n, the last row's state the case's), every answer the clients saw
 * succeed has its history row, every intake retried with its Idempotency-Key is one case, and the worker rendered
 * every letter (its jobs that failed meanwhile retried).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Client } from 'pg';
import { freePort } from '../src/infra/database/embedded-postgres';
import { applicationBody, residentId } from './support/cases';
import { exampleEnv, REDIS_URL } from './support/env';
import { startEntry, stopAll } from './support/child-processes';
import { startPrivatePostgres, type PrivatePostgres } from './support/embedded-pg-server';
import { ResponseChecker, type OpenApiDocument } from './support/openapi-check';
import { eventually } from './support/smtp';

/** concurrent clients, each acting on cases of its own */
const CLIENTS = 6;
/** a request that takes longer than this counts as a hang */
const HANG_MS = 12_000;

interface Answer {
  client: number;
  route: string;
  status: number;
  body: Record<string, unknown>;
  retryAfter?: string;
  ms: number;
  sentAt: number;
  /** PostgreSQL's state when the request was sent and when it was answered */
  sentWhile: Phase;
  answeredWhile: Phase;
}
type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';

describe('hardening: PostgreSQL restarted during a burst (private embedded server)', () => {
  let dir = '';
  let server: PrivatePostgres;
  let url = '';
  const procs: ChildProcess[] = [];
  const output: string[] = [];
  let port = 0;
  let pg: Client;
  let checker: ResponseChecker;
  let phase: Phase = 'up';

  const start = (entry: 'main' | 'worker', env: Record<string, string>) => {
    const base = { ...exampleEnv(), NODE_ENV: 'test', DEMO_DATA: 'off', DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', VAR_DIR: join(dir, 'var'), JOB_BACKOFF_MS: '500', JOB_ATTEMPTS: '8' };
    return startEntry(entry, { ...base, ...env }, procs, output);
  };
  let prefix = '';
  const api = () => request(`http://127.0.0.1:${port}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gi-pg-restart-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach the data directory
    server = await startPrivatePostgres(dir);
    url = server.url;
    prefix = `r${randomBytes(5).toString('hex')}`;
    port = await freePort();
    start('main', { PORT: String(port), WORKERS: 'off', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-password-1' });
    await eventually(() => api().get('/health').then((r) => r.status === 200, () => false), 120_000, `the API:\n${output.join('')}`);
    // the worker is ready once it says so (a worker that cannot reach the database while starting exits 1)
    start('worker', { LOG_LEVEL: 'info' });
    await eventually(async () => output.join('').includes('worker started'), 120_000, `the worker:\n${output.join('')}`);
    checker = new ResponseChecker((await api().get('/api/docs-json')).body as OpenApiDocument);
  }, 180_000);

  afterAll(async () => {
    await pg?.end().catch(() => undefined);
    await stopAll(procs);
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers 503 while PostgreSQL is down, recovers by itself, and loses or half-writes nothing', async () => {
    const admin = (await api().post('/api/v1/auth/login').send({ username: 'admin', password: 'admin-password-1' })).body.accessToken as string;
    const agency = await api().post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send({ code: 'pg-restart', name: '重启测试局' });
    expect(agency.status).toBe(201);
    for (const [username, role] of [['pr.clerk', 'clerk'], ['pr.sup', 'supervisor']]) {
      const u = await api().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send({ username, password: 'long-enough-password', displayName: username, role, agencyId: agency.body.id, email: `${username}@example.cn` });
      expect(u.status).toBe(201);
    }
    const signIn = async (username: string) => ({ Authorization: `Bearer ${(await api().post('/api/v1/auth/login').send({ username, password: 'long-enough-password' })).body.accessToken as string}` });
    const clerk = await signIn('pr.clerk');
    const sup = await signIn('pr.sup');
    const clerkId = (await api().get('/api/v1/auth/me').set(clerk)).body.id as string;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

    const answers: Answer[] = [];
    const problems: string[] = [];
    /** every intake sent: its Idempotency-Key and body, to send again once PostgreSQL is back */
    const intakes = new Map<string, Record<string, unknown>>();
    /** the versions the clients saw an assignment answered with (2xx) */
    const assigned: { caseId: string; version: number }[] = [];
    const send = async (client: number, route: string, req: request.Test): Promise<Answer> => {
      const sentWhile = phase;
      const t0 = Date.now();
      const res = await req.timeout(HANG_MS).then(
        (r) => r,
        (e: Error & { timeout?: number }) => {
          problems.push(`${route}: ${e.timeout ? `no answer within ${HANG_MS} ms` : e.message} (sent while ${sentWhile})`);
          return null;
        },
      );
      const a: Answer = { client, route, status: res?.status ?? 0, body: (res?.body ?? {}) as Record<string, unknown>, retryAfter: res?.headers['retry-after'] as string | undefined, ms: Date.now() - t0, sentAt: t0, sentWhile, answeredWhile: phase };
      if (res) {
        const method = route.split(' ')[0];
        const problem = checker.check(method, route.split(' ')[1], res.status, res.headers['content-type'] as string | undefined, res.text);
        if (problem) problems.push(problem);
      }
      answers.push(a);
      return a;
    };
    let serial = 0;
    const intakeOne = async (client: number): Promise<string | null> => {
      const key = `c${client}-${serial++}`;
      const body = { ...applicationBody({ description: `重启测试申请 ${key}` }, { idNumber: residentId(`11010519900101${String(serial % 1000).padStart(3, '0')}`) }), channel: 'in_person', receiptDate: today };
      intakes.set(key, body);
      const a = await send(client, 'POST /api/v1/cases', api().post('/api/v1/cases').set(clerk).set('Idempotency-Key', key).send(body));
      return a.status === 201 ? (a.body.id as string) : null;
    };

    // each client: two cases of its own, then intakes and assignments until told to stop
    let running = true;
    const successesAfter = new Array<number>(CLIENTS).fill(0);
    const clientLoop = async (client: number) => {
      const mine = new Map<string, number | null>();
      while (mine.size < 2) {
        const id = await intakeOne(client);
        if (id) mine.set(id, 1);
      }
      for (let i = 0; running; i++) {
        if (i % 4 === 0) {
          const id = await intakeOne(client);
          if (id) mine.set(id, 1);
        } else {
          const ids = [...mine.keys()];
          const id = ids[i % ids.length];
          let version = mine.get(id) ?? null;
          if (version === null) {
            // the last answer left it open whether the step was taken: read the case again
            const cur = await send(client, 'GET /api/v1/cases/:id', api().get(`/api/v1/cases/${id}`).set(sup));
            if (cur.status !== 200) {
              await new Promise((r) => setTimeout(r, 100));
              continue;
            }
            version = cur.body.version as number;
          }
          const a = await send(client, 'POST /api/v1/cases/:id/assign', api().post(`/api/v1/cases/${id}/assign`).set(sup).send({ expectedVersion: version, assigneeId: clerkId }));
          if (a.status === 200) {
            assigned.push({ caseId: id, version: a.body.version as number });
            mine.set(id, a.body.version as number);
            if (phase === 'back') successesAfter[client]++;
          } else mine.set(id, null);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const loops = Array.from({ length: CLIENTS }, (_, c) => clientLoop(c));

    // the burst runs; PostgreSQL is stopped in the middle of it
    await eventually(async () => assigned.length >= 3 * CLIENTS, 30_000, 'the burst under way');
    phase = 'stopping';
    await server.stop();
    phase = 'down';
    const downAt = Date.now();
    // while it is down: a read and the health check answer 503 in the error shape, at once
    const read = await send(-1, 'GET /api/v1/cases', api().get('/api/v1/cases').set(clerk));
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', correlationId: expect.any(String) });
    expect(read.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(read.retryAfter).toMatch(/^\d+$/);
    expect(read.ms).toBeLessThan(6000);
    const health = await send(-1, 'GET /health', api().get('/health'));
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', details: { error: { database: { status: 'down' } } } });
    expect(health.ms).toBeLessThan(4000);
    await new Promise((r) => setTimeout(r, Math.max(0, 3000 - (Date.now() - downAt))));
    phase = 'starting';
    await server.start();
    phase = 'back';
    const backAt = Date.now();
    // the same processes serve again by themselves
    await eventually(async () => successesAfter.every((n) => n >= 3), 30_000, `every client served again after the restart (${successesAfter.join(', ')})`);
    running = false;
    await Promise.all(loops);

    // what the clients saw: no 500, no hang, nothing but 2xx, 409 and 503s
    expect(problems).toEqual([]);
    expect(answers.filter((a) => ![200, 201, 409, 503].includes(a.status)).map((a) => `${a.route} ${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable) {
      expect(a.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      // 'overloaded' (load shedding) would be a different story; here only the database may be the reason
      if (a.route !== 'GET /health') expect(String((a.body.details as { reason?: string }).reason)).toMatch(/^database_/);
      // Retry-After exactly when nothing was done; a connection lost in use may have committed
      if (a.route !== 'GET /health') expect(a.retryAfter === undefined).toBe((a.body.details as { reason?: string }).reason === 'database_connection_lost');
    }
    // PostgreSQL back, the pool holds no broken connection: nothing sent a second later is refused
    expect(answers.filter((a) => a.status === 503 && a.sentAt > backAt + 1000).map((a) => `${a.route} ${JSON.stringify(a.body)}`)).toEqual([]);
    // and nothing answered before the stop was refused either
    expect(answers.filter((a) => a.status === 503 && a.answeredWhile === 'up').map((a) => `${a.route} ${a.ms} ms ${JSON.stringify(a.body)}`)).toEqual([]);
    // a version taken meanwhile: by the worker recording a receipt's delivery by mail
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('CASE_VERSION_CONFLICT');

    pg = new Client({ connectionString: url });
    await pg.connect();
    // every intake sent again with its key: one case each (201), whether or not the first try went through
    const byKey = new Map<string, string>();
    const keys = [...intakes.keys()];
    for (let i = 0; i < keys.length; i += CLIENTS) {
      await Promise.all(
        keys.slice(i, i + CLIENTS).map(async (key) => {
          const a = await send(-1, 'POST /api/v1/cases', api().post('/api/v1/cases').set(clerk).set('Idempotency-Key', key).send(intakes.get(key)!));
          expect(a.status).toBe(201);
          byKey.set(key, a.body.id as string);
        }),
      );
    }
    expect(problems).toEqual([]);
    for (const a of answers.filter((x) => x.route === 'POST /api/v1/cases' && x.status === 201)) expect([...byKey.values()]).toContain(a.body.id);
    const cases = (await pg.query(`SELECT id, state, version FROM cases`)).rows as { id: string; state: string; version: number }[];
    expect(cases.map((c) => c.id).sort()).toEqual([...new Set(byKey.values())].sort());
    expect(cases.length).toBe(intakes.size);

    // no half-written case: the history of each runs 1..version, once each, and ends in the case's state
    const history = (await pg.query(`SELECT case_id, action, version_after, to_state FROM case_history ORDER BY id`)).rows as { case_id: string; action: string; version_after: number; to_state: string }[];
    for (const c of cases) {
      const rows = history.filter((h) => h.case_id === c.id);
      expect(rows.map((h) => h.version_after)).toEqual(Array.from({ length: c.version }, (_, i) => i + 1));
      expect(rows[0].action).toBe('intake');
      // the clients' assignments, and the worker's record of the receipt's delivery once the mail went out
      expect(rows.slice(1).filter((h) => h.action !== 'assign' && h.action !== 'record-delivery')).toEqual([]);
      expect(rows[rows.length - 1].to_state).toBe(c.state);
    }
    // no lost history row: every assignment answered 200 is in the history with the version it answered
    for (const s of assigned) expect(history.some((h) => h.case_id === s.caseId && h.action === 'assign' && h.version_after === s.version)).toBe(true);
    // the worker recovered too: every receipt letter rendered (jobs that failed while the database was down retried)
    await eventually(
      async () => (await pg.query(`SELECT count(*)::int AS n FROM letters l WHERE NOT EXISTS (SELECT 1 FROM letter_pdfs p WHERE p.letter_id = l.id)`)).rows[0].n === 0,
      45_000,
      'every letter rendered',
    );
    expect((await pg.query(`SELECT count(*)::int AS n FROM letters`)).rows[0].n).toBe(cases.length);
    // neither process was restarted
    expect(procs.every((p) => p.exitCode === null)).toBe(true);
    const logged = output.join('');
    expect(logged).not.toMatch(/unhandled error|UnhandledPromiseRejection|start-up failed/);
  }, 150_000);
});
