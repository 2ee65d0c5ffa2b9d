import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { HELMET_OPTIONS } from '../src/common/http/security-headers';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

describe('foundation: errors, auth, agencies, users', () => {
  let t: TestApp;
  let org: TestOrg;
  let openAtBoot: number;

  beforeAll(async () => {
    t = await createTestApp();
    const [row]: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gov-info-disclosure'`);
    openAtBoot = row.n;
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  it('opens the pool’s kept connections at start-up, not under the first load', () => {
    expect(openAtBoot).toBeGreaterThanOrEqual(4);
  });

  describe('error shape', () => {
    it('answers an unknown route with 404 NOT_FOUND and a correlation id', async () => {
      const res = await t.http().get('/api/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), details: {}, correlationId: expect.any(String) });
      expect(res.headers['x-request-id']).toBe(res.body.correlationId);
    });

    it('answers malformed JSON with 400 VALIDATION_FAILED naming the body', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": "a",');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields[0].field).toBe('body');
      expect(res.body.correlationId).toEqual(expect.any(String));
      expect(res.headers['x-request-id']).toBe(res.body.correlationId);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('answers unknown fields, missing fields and wrong types with the offending fields', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 5, extra: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.details.fields.map((f: { field: string }) => f.field).sort();
      expect(fields).toEqual(['extra', 'password', 'username']);
      for (const f of res.body.details.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
    });

    it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'x', password: 'y'.repeat(1024 * 1024 + 10) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.headers['x-request-id']).toBe(res.body.correlationId);
    });

    it('ends a request whose headers and body have not all arrived within five minutes', () => {
      expect(t.app.getHttpServer().requestTimeout).toBe(300_000);
    });

    it('keeps the caller’s X-Request-Id as the correlation id', async () => {
      const res = await t.http().get('/api/v1/nothing').set('X-Request-Id', 'abc-123-def-456');
      expect(res.body.correlationId).toBe('abc-123-def-456');
      expect(res.headers['x-request-id']).toBe('abc-123-def-456');
    });

    it('sets helmet’s security headers on answers and errors alike, as helmet itself sets them', async () => {
      // what helmet's own middleware, run on a real response, sets with the app's options
      const expected = await new Promise<Record<string, string>>((resolve, reject) => {
        const server = createServer((req, res) =>
          helmet(HELMET_OPTIONS)(req, res, () => res.end()),
        ).listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          fetch(`http://127.0.0.1:${port}/`)
            .then((r) => resolve(Object.fromEntries([...r.headers].filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)))))
            .catch(reject)
            .finally(() => server.close());
        });
      });
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
      expect(expected['x-content-type-options']).toBe('nosniff');
      for (const res of [await t.http().get('/health'), await t.http().get('/api/v1/nothing'), await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"broken')]) {
        for (const [name, value] of Object.entries(expected)) expect([res.status, name, res.headers[name]]).toEqual([res.status, name, value]);
      }
    });
  });

  describe('sign-in', () => {
    it('signs in, answers /auth/me, and refuses a bad password', async () => {
      const ok = await t.http().post('/api/v1/auth/login').send({ username: 'dept.clerk', password: 'correct-horse-battery' });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ accessToken: expect.any(String), expiresIn: 900, refreshToken: expect.any(String) });
      const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${ok.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: org.people['dept.clerk'].id, username: 'dept.clerk', role: 'clerk', agencyId: org.dept });
      const bad = await t.http().post('/api/v1/auth/login').send({ username: 'dept.clerk', password: 'wrong-password' });
      expect(bad.status).toBe(401);
      expect(bad.body.code).toBe('INVALID_CREDENTIALS');
      const nobody = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'wrong-password' });
      expect(nobody.status).toBe(401);
      expect(nobody.body.message).toBe(bad.body.message);
    });

    it('requires a token, and refuses a forged one', async () => {
      expect((await t.http().get('/api/v1/auth/me')).status).toBe(401);
      const forged = await t.http().get('/api/v1/auth/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA');
      expect(forged.status).toBe(401);
      expect(forged.body.code).toBe('UNAUTHENTICATED');
    });

    it('expires access tokens after their lifetime', async () => {
      const p = org.people['city.auditor'];
      const login = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
      const token = login.body.accessToken;
      expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      t.clock.advance(901 * 1000);
      try {
        const late = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
        expect(late.status).toBe(401);
      } finally {
        t.clock.advance(-901 * 1000);
      }
    });

    it('rotates refresh tokens and revokes the family when a spent one is replayed', async () => {
      const p = org.people['city.clerk'];
      const login = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
      const r1 = login.body.refreshToken;
      const first = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: r1 });
      expect(first.status).toBe(200);
      const r2 = first.body.refreshToken;
      expect(r2).not.toBe(r1);
      expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`)).status).toBe(200);
      // replaying the spent r1 revokes the family: r2 is dead too
      const replay = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: r1 });
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_INVALID');
      expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: r2 })).status).toBe(401);
    });

    it('logs out by revoking the refresh token family', async () => {
      const p = org.people['district.clerk'];
      const login = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
      expect((await t.http().post('/api/v1/auth/logout').send({ refreshToken: login.body.refreshToken })).status).toBe(204);
      expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken })).status).toBe(401);
    });

    it('throttles repeated failures with 429 and Retry-After, even for the right password', async () => {
      const p = org.people['other.auditor'];
      for (let i = 0; i < 5; i++) {
        expect((await t.http().post('/api/v1/auth/login').send({ username: p.username, password: 'nope-nope' })).status).toBe(401);
      }
      const res = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // the window passes
      t.clock.advance(16 * 60 * 1000);
      try {
        expect((await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password })).status).toBe(200);
      } finally {
        t.clock.advance(-16 * 60 * 1000);
      }
    });
  });

  describe('agencies and users', () => {
    it('lets an administrator create an agency and a user; never returns a password', async () => {
      const admin = org.people.admin;
      const a = await t.http().post('/api/v1/agencies').set(bearer(admin)).send({ name: '测试市卫生健康委员会', code: 'health', parentId: org.city });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ id: expect.any(String), name: '测试市卫生健康委员会', code: 'health', parentId: org.city, correctionPeriodDays: 15 });
      const u = await t
        .http()
        .post('/api/v1/users')
        .set(bearer(admin))
        .send({ username: 'health.clerk', password: 'long-enough-pw', displayName: '李四', email: 'li@example.cn', role: 'clerk', agencyId: a.body.id });
      expect(u.status).toBe(201);
      expect(u.body).toMatchObject({ id: expect.any(String), username: 'health.clerk', role: 'clerk', agencyId: a.body.id });
      expect(JSON.stringify(u.body)).not.toMatch(/password|argon/i);
      const dup = await t.http().post('/api/v1/agencies').set(bearer(admin)).send({ name: '重复', code: 'health' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('AGENCY_CODE_TAKEN');
    });

    it('two requests racing for one agency code or username: one is created, the others get 409, never a 500', async () => {
      const admin = org.people.admin;
      const agencies = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.http().post('/api/v1/agencies').set(bearer(admin)).send({ name: `竞争机关${i}`, code: 'race-code' })),
      );
      expect(agencies.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
      for (const r of agencies.filter((x) => x.status === 409)) expect([r.body.code, r.body.message]).toEqual(['AGENCY_CODE_TAKEN', '机关代码已被使用']);
      const users = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.http().post('/api/v1/users').set(bearer(admin)).send({ username: i % 2 ? 'Race.User' : 'race.user', password: 'long-enough-pw', displayName: `用户${i}`, role: 'auditor', agencyId: org.city }),
        ),
      );
      expect(users.map((r) => r.status).sort()).toEqual([201, ...Array(5).fill(409)]);
      for (const r of users.filter((x) => x.status === 409)) expect(r.body.code).toBe('USERNAME_TAKEN');
    });

    it('an access token stops working once its account is disabled, or given another role or agency', async () => {
      const admin = org.people.admin;
      const signIn = async (username: string, password: string) => {
        const r = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.90').send({ username, password });
        expect(r.status).toBe(200);
        return { Authorization: `Bearer ${r.body.accessToken}` };
      };
      const make = async (username: string) => {
        const r = await t.http().post('/api/v1/users').set(bearer(admin)).send({ username, password: 'account-pw-123', displayName: username, role: 'clerk', agencyId: org.dept });
        expect(r.status).toBe(201);
        return { id: r.body.id as string, auth: await signIn(username, 'account-pw-123') };
      };
      const me = (auth: Record<string, string>) => t.http().get('/api/v1/auth/me').set(auth);
      // through the API: at once
      const a = await make('acct.disabled');
      expect((await me(a.auth)).status).toBe(200);
      expect((await t.http().patch(`/api/v1/users/${a.id}`).set(bearer(admin)).send({ active: false })).status).toBe(200);
      expect([(await me(a.auth)).status, (await me(a.auth)).body.code]).toEqual([401, 'UNAUTHENTICATED']);
      const b = await make('acct.promoted');
      expect((await t.http().patch(`/api/v1/users/${b.id}`).set(bearer(admin)).send({ role: 'supervisor' })).status).toBe(200);
      expect((await me(b.auth)).status).toBe(401);
      expect((await me(await signIn('acct.promoted', 'account-pw-123'))).body.role).toBe('supervisor');
      // written elsewhere (another process, the database): within ACCOUNT_STATE_TTL_MS
      const c = await make('acct.moved');
      expect((await me(c.auth)).status).toBe(200);
      await t.ds.query(`UPDATE users SET agency_id = $1 WHERE id = $2`, [org.other, c.id]);
      const before = t.clock.now();
      t.clock.set(new Date(before.getTime() + 11_000).toISOString());
      try {
        expect((await me(c.auth)).status).toBe(401);
      } finally {
        t.clock.set(before.toISOString());
      }
    });

    it('the queue board checks passwords as sign-in does: failures count against the same limit, then 429', async () => {
      const admin = org.people.admin;
      const created = await t.http().post('/api/v1/users').set(bearer(admin)).send({ username: 'board.admin', password: 'board-admin-pw-1', displayName: '队列管理员', role: 'admin' });
      expect(created.status).toBe(201);
      const basic = (p: string) => `Basic ${Buffer.from(`board.admin:${p}`).toString('base64')}`;
      const board = (p: string) => t.http().get('/admin/queues').set('Authorization', basic(p)).set('X-Forwarded-For', '203.0.113.77');
      for (let i = 0; i < 5; i++) expect((await board(`wrong-${i}`)).status).toBe(401);
      const limited = await board('wrong-again');
      expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // even the right password waits, and sign-in shares the limit
      expect((await board('board-admin-pw-1')).status).toBe(429);
      const login = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.78').send({ username: 'board.admin', password: 'board-admin-pw-1' });
      expect(login.status).toBe(429);
    });

    it('PATCH refuses null for what cannot be empty, naming the field, and writes nothing', async () => {
      const admin = org.people.admin;
      const clerk = org.people['dept.clerk'];
      for (const [field, value] of [['role', null], ['active', null], ['displayName', null], ['password', null], ['agencyId', null]] as const) {
        const r = await t.http().patch(`/api/v1/users/${clerk.id}`).set(bearer(admin)).send({ [field]: value });
        expect([field, r.status, r.body.code]).toEqual([field, 400, 'VALIDATION_FAILED']);
        expect(JSON.stringify(r.body.details)).toContain(field);
      }
      const still = await t.http().get(`/api/v1/users/${clerk.id}`).set(bearer(admin));
      expect(still.body).toMatchObject({ role: 'clerk', active: true, agencyId: org.dept });
      for (const field of ['name', 'correctionPeriodDays', 'approvalSteps', 'letterPrefixes']) {
        const r = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ [field]: null });
        expect([field, r.status, r.body.code]).toEqual([field, 400, 'VALIDATION_FAILED']);
      }
      // where empty is a value, null clears it
      const cleared = await t.http().patch(`/api/v1/users/${clerk.id}`).set(bearer(admin)).send({ email: null });
      expect([cleared.status, cleared.body.email]).toEqual([200, null]);
    });

    it('lists users and agencies a page at a time (?limit=&cursor=, nextCursor), as the contract’s lists', async () => {
      const admin = org.people.admin;
      for (const path of ['/api/v1/users', '/api/v1/agencies']) {
        const all = await t.http().get(path).set(bearer(admin));
        expect(all.status).toBe(200);
        expect(all.body.nextCursor).toBeNull();
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get(path).query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(bearer(admin));
          expect([path, r.status]).toEqual([path, 200]);
          expect(r.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...r.body.items.map((x) => x.id));
          cursor = r.body.nextCursor;
          pages++;
        } while (cursor && pages < 100);
        expect(seen).toEqual(all.body.items.map((x: { id: string }) => x.id));
        const bad = await t.http().get(path).query({ cursor: 'nope' }).set(bearer(admin));
        expect([bad.status, bad.body.details.fields[0].field]).toEqual([400, 'cursor']);
        const tooMany = await t.http().get(path).query({ limit: 1000 }).set(bearer(admin));
        expect([tooMany.status, tooMany.body.details.fields[0].field]).toEqual([400, 'limit']);
      }
    });

    it('GET /users?agencyId= answers 400 for what is not an id, and takes an id in capitals', async () => {
      const admin = org.people.admin;
      for (const bad of ['a'.repeat(36), '------------------------------------', 'not-an-id']) {
        const r = await t.http().get('/api/v1/users').query({ agencyId: bad }).set(bearer(admin));
        expect([bad, r.status, r.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
      }
      const sup = org.people['city.supervisor'];
      const upper = await t.http().get('/api/v1/users').query({ agencyId: org.city.toUpperCase() }).set(bearer(sup));
      expect(upper.status).toBe(200);
      expect(upper.body.items.length).toBeGreaterThan(0);
    });

    it('honours Idempotency-Key: same body → same answer, nothing more; other body → 422', async () => {
      const admin = org.people.admin;
      const body = { name: '测试市民政局', code: 'civil', parentId: org.city };
      const one = await t.http().post('/api/v1/agencies').set(bearer(admin)).set('Idempotency-Key', 'k-civil-1').send(body);
      const two = await t.http().post('/api/v1/agencies').set(bearer(admin)).set('Idempotency-Key', 'k-civil-1').send(body);
      expect(one.status).toBe(201);
      expect(two.status).toBe(201);
      expect(two.body.id).toBe(one.body.id);
      const other = await t.http().post('/api/v1/agencies').set(bearer(admin)).set('Idempotency-Key', 'k-civil-1').send({ ...body, name: '别的' });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const count = await t.ds.query(`SELECT count(*)::int AS n FROM agencies WHERE code = 'civil'`);
      expect(count[0].n).toBe(1);
    });

    it.each(['clerk', 'supervisor', 'auditor'])('refuses agency and user management to a %s (403)', async (role) => {
      const p = org.people[`city.${role}`];
      const a = await t.http().post('/api/v1/agencies').set(bearer(p)).send({ name: 'x', code: `x-${role}` });
      expect(a.status).toBe(403);
      expect(a.body.code).toBe('FORBIDDEN');
      const u = await t.http().post('/api/v1/users').set(bearer(p)).send({ username: `u-${role}`, password: 'long-enough-pw', displayName: 'x', role: 'clerk', agencyId: org.city });
      expect(u.status).toBe(403);
      expect((await t.http().patch(`/api/v1/agencies/${org.city}`).set(bearer(p)).send({ court: 'x' })).status).toBe(403);
    });

    it('scopes agency reads to the caller’s subtree', async () => {
      const list = await t.http().get('/api/v1/agencies').set(bearer(org.people['city.supervisor']));
      const ids = list.body.items.map((a: { id: string }) => a.id);
      expect(ids).toEqual(expect.arrayContaining([org.city, org.dept, org.district]));
      expect(ids).not.toContain(org.other);
      const deptView = await t.http().get('/api/v1/agencies').set(bearer(org.people['dept.clerk']));
      expect(deptView.body.items.map((a: { id: string }) => a.id)).toEqual([org.dept]);
      expect((await t.http().get(`/api/v1/agencies/${org.other}`).set(bearer(org.people['city.clerk']))).status).toBe(404);
      expect((await t.http().get(`/api/v1/agencies/${org.city}`).set(bearer(org.people['dept.clerk']))).status).toBe(404);
    });

    it('lets a supervisor list the people of their agency but not of another tree', async () => {
      const sup = org.people['dept.supervisor'];
      const own = await t.http().get('/api/v1/users').set(bearer(sup));
      expect(own.status).toBe(200);
      expect(own.body.items.every((u: { agencyId: string }) => u.agencyId === org.dept)).toBe(true);
      expect((await t.http().get(`/api/v1/users?agencyId=${org.other}`).set(bearer(sup))).status).toBe(404);
      expect((await t.http().get('/api/v1/users').set(bearer(org.people['dept.clerk']))).status).toBe(403);
    });

    it('lets an administrator update agency settings, validated', async () => {
      const admin = org.people.admin;
      const ok = await t
        .http()
        .patch(`/api/v1/agencies/${org.dept}`)
        .set(bearer(admin))
        .send({ correctionPeriodDays: 10, letterPrefixes: { reply: '测教依复' }, reminderRules: { beforeDue: [3, 1], onDueDay: true, escalateOverdue: true, dailyDigest: false } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ correctionPeriodDays: 10, letterPrefixes: { reply: '测教依复' } });
      const bad = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ correctionPeriodDays: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields[0].field).toBe('correctionPeriodDays');
    });
  });

  describe('docs and health', () => {
    it('serves the OpenAPI document listing the endpoints', async () => {
      const res = await t.http().get('/api/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/agencies', '/api/v1/users', '/health']));
    });

    it('answers /health 200 with the database and the queue up', async () => {
      const res = await t.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body.info).toMatchObject({ database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } });
    });
  });
});
