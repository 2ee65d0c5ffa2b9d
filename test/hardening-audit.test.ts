/**
 * The audit trail (issue 14): sign-ins, failed sign-ins, refresh-token reuse, authorisation failures and identity
 * reveals recorded; append-only in the database (no UPDATE, no TRUNCATE, no DELETE younger than 184 days); the
 * daily purge (a BullMQ job scheduler in the worker) removes what is older than AUDIT_RETENTION_DAYS.
 */
import { AUDIT_PURGE_SCHEDULER, AuditTrail } from '../src/audit/audit-trail';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { JobRegistry } from '../src/infra/queue/job-registry';
import { QueueService } from '../src/infra/queue/queue.service';
import { intake } from './support/cases';
import { exampleEnv } from './support/env';
import { eventually } from './support/smtp';
import { bearer, createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';

interface Row {
  kind: string;
  user_id: string | null;
  client_address: string | null;
  correlation_id: string | null;
  details: Record<string, unknown>;
}

// slow under load (argon2 sign-ins, two apps): a timeout detects a hang, it measures nothing
jest.setTimeout(180_000);

describe('hardening: the audit trail', () => {
  let t: TestApp;
  let P: Record<string, Person>;

  beforeAll(async () => {
    t = await createTestApp({ workers: true, now: '2024-11-20T02:00:00Z' });
    P = (await seedOrg(t)).people;
  }, 240_000);
  afterAll(async () => t?.close(), 120_000);

  const events = (kind: string): Promise<Row[]> => t.ds.query(`SELECT kind, user_id, client_address, correlation_id, details FROM audit_events WHERE kind = $1 ORDER BY occurred_at`, [kind]);
  const login = (username: string, password: string, address = '203.0.113.9') => t.http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

  it('records sign-ins and failed sign-ins (who, from where, why), never the name or password typed', async () => {
    const p = P['district.auditor'];
    expect((await login(p.username, p.password)).status).toBe(200);
    expect((await login(p.username, 'wrong-password-1')).status).toBe(401);
    expect((await login('nobody.here', 'secret-typed-as-name')).status).toBe(401);
    const ok = (await events('sign_in')).filter((r) => r.client_address === '203.0.113.9');
    expect(ok).toHaveLength(1);
    expect(ok[0].user_id).toBe(p.id);
    expect(ok[0].details.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await events('sign_in_failed');
    expect(failed.map((r) => [r.user_id, r.client_address, r.details.reason])).toEqual([
      [p.id, '203.0.113.9', 'wrong_password'],
      [null, '203.0.113.9', 'unknown_user'],
    ]);
    const all = JSON.stringify(await t.ds.query(`SELECT * FROM audit_events`));
    for (const secret of ['wrong-password-1', 'nobody.here', 'secret-typed-as-name', p.password]) expect(all).not.toContain(secret);
  });

  it('records a replayed refresh token with its session', async () => {
    const p = P['city.auditor'];
    const first = (await login(p.username, p.password)).body;
    expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken })).status).toBe(200);
    expect((await t.http().post('/api/v1/auth/refresh').set('X-Forwarded-For', '203.0.113.66').send({ refreshToken: first.refreshToken })).status).toBe(401);
    const rows = await events('refresh_token_reuse');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: p.id, client_address: '203.0.113.66' });
    expect(rows[0].details.sessionId).toBe(JSON.parse(Buffer.from(first.accessToken.split('.')[1], 'base64url').toString()).sid);
  });

  it('records authorisation failures (403) with the route, and identity reveals with the case', async () => {
    const clerk = P['dept.clerk'];
    const res = await t.http().post('/api/v1/agencies').set(bearer(clerk)).send({ code: 'x-agency', name: '某局' });
    expect(res.status).toBe(403);
    const [denied] = await eventually(async () => {
      const r = await events('authorization_failed');
      return r.length ? r : null;
    }, 10_000, 'the 403 in the audit trail');
    expect(denied).toMatchObject({ user_id: clerk.id, correlation_id: res.body.correlationId, details: { method: 'POST', route: '/api/v1/agencies', code: 'FORBIDDEN' } });
    const c = await intake(t, clerk, '2024-11-20');
    const reveal = await t.http().post(`/api/v1/cases/${c.id}/reveal-identity`).set(bearer(clerk)).send({ reason: '核实申请人身份' });
    expect(reveal.status).toBeLessThan(300);
    const reveals = await events('identity_reveal');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({ user_id: clerk.id, details: { caseId: c.id } });
    expect(JSON.stringify(reveals)).not.toContain(reveal.body.idNumber);
  });

  it('is append-only: no update, no truncate, no delete of a row younger than 184 days', async () => {
    await expect(t.ds.query(`UPDATE audit_events SET user_id = NULL`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    await t.ds.query(`INSERT INTO audit_events (kind, occurred_at) VALUES ('sign_in', now() - interval '183 days'), ('sign_in', now() - interval '185 days')`);
    await expect(t.ds.query(`DELETE FROM audit_events WHERE occurred_at < now() - interval '180 days'`)).rejects.toThrow(/append-only/);
    const [, deleted] = await t.ds.query(`DELETE FROM audit_events WHERE occurred_at < now() - interval '184 days'`);
    expect(deleted).toBe(1);
  });

  it('purges what is older than AUDIT_RETENTION_DAYS in a daily job scheduled in the worker', async () => {
    await t.ds.query(
      `INSERT INTO audit_events (kind, occurred_at) SELECT 'sign_in_failed', now() - make_interval(days => d) FROM unnest(ARRAY[1, 100, 183, 185, 190, 400, 4000]) AS d`,
    );
    const count = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE occurred_at < now() - interval '1 hour'`))[0].n as number;
    expect(await count()).toBe(8);
    // the scheduler is there (upserted by the worker at start), and its job runs the purge
    const scheduler = await eventually(() => t.app.get(QueueService).queue('maintenance').getJobScheduler(AUDIT_PURGE_SCHEDULER), 15_000, 'the purge scheduler');
    expect(scheduler).toMatchObject({ name: 'audit.purge', pattern: '17 3 * * *', tz: 'Asia/Shanghai' });
    const handler = t.app.get(JobRegistry).handler('audit.purge')!;
    expect(await handler({}, {} as never)).toEqual({ deleted: 4 });
    expect(await count()).toBe(4);
    expect(await t.app.get(AuditTrail).purge()).toBe(0);
    // the retention may be longer, never shorter than the legal six months
    expect(loadConfig({ ...exampleEnv(), AUDIT_RETENTION_DAYS: '400' }).auditRetentionDays).toBe(400);
    expect(loadConfig(exampleEnv()).auditRetentionDays).toBe(184);
    expect(() => loadConfig({ ...exampleEnv(), AUDIT_RETENTION_DAYS: '30' })).toThrow(ConfigError);
  });
});
