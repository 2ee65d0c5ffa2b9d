/**
 * GET /metrics (issue 14): Prometheus text with HTTP latency by route, queue depths, scheduled actions by status
 * and the pool, only with `Authorization: Bearer $METRICS_TOKEN`; absent (404) when METRICS_TOKEN is unset.
 */
import { intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';

const TOKEN = 'metrics-token-0123456789';

// slow under load (argon2 sign-ins, two apps): a timeout detects a hang, it measures nothing
jest.setTimeout(180_000);

describe('hardening: /metrics', () => {
  let t: TestApp;
  let off: TestApp;
  let P: Record<string, Person>;

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-10-29T02:00:00Z', env: { METRICS_TOKEN: TOKEN } });
    P = (await seedOrg(t)).people;
    off = await createTestApp({ databaseUrl: t.databaseUrl });
  }, 240_000);
  afterAll(async () => {
    await off?.close();
    await t?.close();
  }, 240_000);

  it('refuses without the token or with another, in the error shape', async () => {
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`, `Bearer ${P.admin.token}`]) {
      const req = t.http().get('/metrics');
      if (auth) req.set('Authorization', auth);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.text).not.toContain('gi_');
    }
  });

  it('answers the Prometheus text: latency by route, queue depths, scheduled actions, the pool', async () => {
    await intake(t, P['dept.clerk'], '2024-09-27'); // due tomorrow: a reminder is planned
    expect((await t.http().get('/api/v1/agencies').set(bearer(P.admin))).status).toBe(200);
    await t.http().get('/api/v1/no-such-path');
    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toMatch(/^gi_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/agencies",status_code="200"\} 1$/m);
    expect(text).toMatch(/^gi_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/cases",status_code="201"\} 1$/m);
    // an unknown path is one label, not one per path asked for
    expect(text).toMatch(/^gi_http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m);
    expect(text).not.toContain('no-such-path');
    for (const q of ['notifications', 'maintenance']) for (const s of ['waiting', 'active', 'delayed', 'failed']) expect(text).toMatch(new RegExp(`^gi_queue_jobs\\{queue="${q}",state="${s}"\\} \\d+$`, 'm'));
    expect(text).toMatch(/^gi_scheduled_actions\{kind="deadline_reminder",status="pending"\} [1-9]\d*$/m);
    expect(text).toMatch(/^gi_db_pool_connections\{state="max"\} 20$/m);
    expect(text).toMatch(/^gi_db_pool_connections\{state="in_use"\} \d+$/m);
    expect(text).toMatch(/^gi_process_cpu_seconds_total /m);
  });

  it('does not exist without METRICS_TOKEN', async () => {
    const res = await off.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
