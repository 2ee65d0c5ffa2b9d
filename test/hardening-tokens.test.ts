/**
 * Access tokens (issue 14, item 7): `exp` and `iat` required (a small skew for `iat`), and a session's access
 * tokens revoked on every process within 10 s of its logout, or of a replayed refresh token revoking its family.
 */
import { JwtService } from '@nestjs/jwt';
import { ACCOUNT_STATE_TTL_MS } from '../src/auth/account-status';
import { IAT_SKEW_SECONDS } from '../src/auth/token.service';
import { createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';

const sidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;

// slow under load (argon2 sign-ins, two apps): a timeout detects a hang, it measures nothing
jest.setTimeout(180_000);

describe('hardening: access tokens and sessions', () => {
  let a: TestApp;
  let b: TestApp;
  let P: Record<string, Person>;

  beforeAll(async () => {
    a = await createTestApp();
    P = (await seedOrg(a)).people;
    // a second API process on the same database, with its own caches and clock
    b = await createTestApp({ databaseUrl: a.databaseUrl });
  }, 240_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  }, 240_000);

  const me = (t: TestApp, token: string) => t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const login = async (t: TestApp, p: Person) => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string };
  };
  /** Lets every process's cache of sessions and accounts run out. */
  const wait = () => {
    for (const t of [a, b]) t.clock.advance(ACCOUNT_STATE_TTL_MS + 1);
  };

  it('refuses a token signed with the key but without exp, without iat, with iat in the future, or without a session', async () => {
    const p = P['dept.clerk'];
    const { accessToken } = await login(a, p);
    const sid = sidOf(accessToken);
    const jwt = a.app.get(JwtService);
    const now = Math.floor(a.clock.now().getTime() / 1000);
    const claims = { sub: p.id, usr: p.username, role: p.role, agency: p.agencyId, sid };
    // jsonwebtoken writes an iat of its own unless told not to (and then drops the one given)
    const sign = (extra: Record<string, unknown>) => jwt.sign({ ...claims, ...extra }, { algorithm: 'HS256', noTimestamp: !('iat' in extra) });
    expect((await me(a, sign({ iat: now, exp: now + 60 }))).status).toBe(200);
    expect((await me(a, sign({ iat: now + IAT_SKEW_SECONDS - 5, exp: now + 60 }))).status).toBe(200);
    for (const bad of [sign({ iat: now }), sign({ exp: now + 60 }), sign({ iat: now + IAT_SKEW_SECONDS + 60, exp: now + 600 }), sign({ iat: now, exp: now + 60, sid: undefined }), sign({ iat: now, exp: now + 60, sid: 'x' })]) {
      const res = await me(a, bad);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    // a session id that is not a session of this service
    expect((await me(a, sign({ iat: now, exp: now + 60, sid: '00000000-0000-4000-8000-000000000000' }))).status).toBe(401);
  });

  it('after logout the session’s access tokens stop at once on its process and within 10 s on every other; other sessions go on', async () => {
    const p = P['city.clerk'];
    const s1 = await login(a, p);
    const s2 = await login(b, p);
    expect((await me(a, s1.accessToken)).status).toBe(200);
    expect((await me(b, s1.accessToken)).status).toBe(200);
    expect((await a.http().post('/api/v1/auth/logout').send({ refreshToken: s1.refreshToken })).status).toBe(204);
    const here = await me(a, s1.accessToken);
    expect(here.status).toBe(401);
    expect(here.body.code).toBe('UNAUTHENTICATED');
    // the other process read the session as open a moment ago; after the cache time it reads it again
    wait();
    expect((await me(b, s1.accessToken)).status).toBe(401);
    expect((await me(a, s2.accessToken)).status).toBe(200);
    expect((await me(b, s2.accessToken)).status).toBe(200);
  });

  it('a replayed refresh token revokes its family: the access tokens of that session stop on every process within 10 s', async () => {
    const p = P['dept.supervisor'];
    const first = await login(a, p);
    const other = await login(a, p);
    const second = (await a.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken })).body as { accessToken: string; refreshToken: string };
    expect(sidOf(second.accessToken)).toBe(sidOf(first.accessToken));
    expect((await me(b, second.accessToken)).status).toBe(200);
    expect((await me(b, first.accessToken)).status).toBe(200);
    // someone replays the spent refresh token (it was stolen): the family is revoked
    const replay = await b.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect((await me(b, second.accessToken)).status).toBe(401);
    wait();
    for (const t of [a, b]) {
      expect((await me(t, first.accessToken)).status).toBe(401);
      expect((await me(t, second.accessToken)).status).toBe(401);
      expect((await me(t, other.accessToken)).status).toBe(200);
    }
  });
});
