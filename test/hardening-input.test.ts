/**
 * The API's edges (issue 14, items 1, 5 and 6): the three causes of 500, Fastify's and Node's own refusals in the
 * error shape, the one text rule, and CORS for every method.
 */
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { applicationBody, intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';
import { MAX_JSON_DEPTH } from '../src/common/http/request-limits';

const TODAY = '2024-11-20';
const ERROR_KEYS = ['code', 'correlationId', 'details', 'message', 'statusCode'];

/** A raw HTTP exchange (supertest would refuse to send some of these). */
function raw(port: number, head: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('end', () => {
      const [h, ...b] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(h)?.[1]), headers: h, body: b.join('\r\n\r\n') });
    });
    socket.on('error', reject);
  });
}

// slow under load (argon2 sign-ins, two apps): a timeout detects a hang, it measures nothing
jest.setTimeout(180_000);

describe('hardening: bad input never a 500, and the error shape everywhere', () => {
  let t: TestApp;
  let P: Record<string, Person>;
  let agencyId: string;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ now: `${TODAY}T02:00:00Z`, env: { CORS_ORIGINS: 'https://portal.example.cn' } });
    const org = await seedOrg(t);
    P = org.people;
    agencyId = org.dept;
    server = t.app.getHttpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  }, 240_000);

  const expectField = (res: { status: number; body: Record<string, unknown> }, field: string | RegExp) => {
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.details as { fields: { field: string }[] }).fields;
    expect(fields.map((f) => f.field)).toContainEqual(typeof field === 'string' ? field : expect.stringMatching(field));
  };
  /** A JSON text with a lone surrogate where `marker` stands (JSON.stringify writes it as the escape \ud800). */
  const withLoneSurrogate = (body: unknown) => JSON.stringify(body).replace('LONE', '\\ud800');
  const sendRaw = (method: 'post' | 'patch', url: string, text: string, who?: Person) => {
    const req = t.http()[method](url).set('Content-Type', 'application/json').set('X-Forwarded-For', '198.51.100.7');
    if (who) req.set(bearer(who));
    return req.send(text);
  };

  describe('item 1: the three 500s', () => {
    it('an e-mail with a lone surrogate is a 400 naming the field, on the portal, intake, and users (create and update)', async () => {
      expectField(await sendRaw('post', '/api/v1/portal/applications', withLoneSurrogate(applicationBody({}, { email: 'LONE' }))), 'applicant.email');
      expectField(
        await sendRaw('post', '/api/v1/cases', withLoneSurrogate({ ...applicationBody({}, { email: 'LONE' }), channel: 'in_person', receiptDate: TODAY }), P['dept.clerk']),
        'applicant.email',
      );
      const user = { username: 'new.clerk', password: 'long-enough-password', displayName: '新办事员', role: 'clerk', agencyId, email: 'LONE' };
      expectField(await sendRaw('post', '/api/v1/users', withLoneSurrogate(user), P.admin), 'email');
      expectField(await sendRaw('patch', `/api/v1/users/${P['dept.clerk'].id}`, withLoneSurrogate({ email: 'LONE' }), P.admin), 'email');
      expectField(await sendRaw('patch', `/api/v1/users/${P['dept.clerk'].id}`, withLoneSurrogate({ email: 'a\udc00LONE@example.cn' }), P.admin), 'email');
    });

    it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 400 on the portal, intake and actions; ${MAX_JSON_DEPTH} levels are parsed`, async () => {
      const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
      const deep = (n: number) => `{"applicant":${nested(n - 1)}}`;
      const c = await intake(t, P['dept.clerk'], TODAY);
      for (const [url, who] of [
        ['/api/v1/portal/applications', undefined],
        ['/api/v1/cases', P['dept.clerk']],
        [`/api/v1/cases/${c.id}/assign`, P['dept.supervisor']],
      ] as const) {
        for (const n of [MAX_JSON_DEPTH + 1, 2_000, 100_000]) {
          const res = await sendRaw('post', url, deep(n), who);
          expectField(res, 'body');
          expect(res.body.message).toContain(String(MAX_JSON_DEPTH));
        }
        // at the limit the body is parsed and refused by the validation, as any wrong body
        const atLimit = await sendRaw('post', url, deep(MAX_JSON_DEPTH), who);
        expect(atLimit.status).toBe(400);
        expect(atLimit.body.message).not.toContain('嵌套');
      }
      // brackets inside strings are text, not nesting
      const text = '['.repeat(500);
      const res = await t.http().post('/api/v1/cases').set(bearer(P['dept.clerk'])).send({ ...applicationBody({ description: `申请${text}` }), channel: 'in_person', receiptDate: TODAY });
      expect(res.status).toBe(201);
    });

    it('POST /agencies without a name is a 400 naming it, nothing stored', async () => {
      const before = await t.ds.query(`SELECT count(*)::int AS n FROM agencies`);
      expectField(await t.http().post('/api/v1/agencies').set(bearer(P.admin)).send({ code: 'no-name' }), 'name');
      expectField(await t.http().post('/api/v1/agencies').set(bearer(P.admin)).send({ code: 'null-name', name: null }), 'name');
      expect(await t.ds.query(`SELECT count(*)::int AS n FROM agencies`)).toEqual(before);
      const ok = await t.http().post('/api/v1/agencies').set(bearer(P.admin)).send({ code: 'named', name: '测试局' });
      expect(ok.status).toBe(201);
    });
  });

  describe('item 5: the text rule, bodies, and Fastify’s own errors', () => {
    it('control characters and lone surrogates are refused in every text field, naming it; line breaks only in long text', async () => {
      for (const bad of ['\x07', '\x85', '\x00', '\x1b', '\x7f', '\u009f']) {
        expectField(await t.http().patch(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin)).send({ name: `教育${bad}局` }), 'name');
        expectField(await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.8').send(applicationBody({ description: `说明${bad}` })), 'description');
      }
      expectField(await sendRaw('post', '/api/v1/cases', withLoneSurrogate({ ...applicationBody({}, { name: '张LONE' }), channel: 'in_person', receiptDate: TODAY }), P['dept.clerk']), 'applicant.name');
      expectField(await t.http().patch(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin)).send({ letterPrefixes: { reply: '依\x07复' } }), 'letterPrefixes.reply');
      // a key that is itself a control character is named without echoing it
      const res = await t.http().patch(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin)).send({ ['na\x07me']: 'x' });
      expectField(res, 'na\uFFFDme');
      // line feed, carriage return and tab: refused in a name, kept in a description
      for (const ws of ['\n', '\r', '\t']) {
        expectField(await t.http().patch(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin)).send({ name: `教育${ws}局` }), 'name');
        expectField(await t.http().post('/api/v1/cases').set(bearer(P['dept.clerk'])).send({ ...applicationBody({}, { name: `张${ws}三` }), channel: 'in_person', receiptDate: TODAY }), 'applicant.name');
      }
      const c = await intake(t, P['dept.clerk'], TODAY, { description: '第一行\r\n第二行\t（附表）' });
      const read = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(P['dept.clerk']));
      expect(read.body.description).toBe('第一行\r\n第二行\t（附表）');
      // a query parameter follows the same rule
      expectField(await t.http().get('/api/v1/cases').query({ cursor: 'a\x07b' }).set(bearer(P['dept.clerk'])), 'cursor');
    });

    it('a body that is not an object (null, an array, a number) is a 400 where the route takes one', async () => {
      for (const text of ['null', '[]', '1', '"x"']) {
        expectField(await sendRaw('patch', `/api/v1/agencies/${agencyId}`, text, P.admin), 'body');
      }
      const a = await t.http().get(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin));
      expect(a.status).toBe(200);
    });

    it('an unsupported method on a known path is 405 with Allow; an unknown path stays 404', async () => {
      const r1 = await t.http().delete('/api/v1/agencies').set(bearer(P.admin));
      expect(r1.status).toBe(405);
      expect(r1.body.code).toBe('METHOD_NOT_ALLOWED');
      expect(Object.keys(r1.body).sort()).toEqual(ERROR_KEYS);
      expect(r1.headers.allow).toBe('GET, HEAD, POST');
      const r2 = await t.http().put(`/api/v1/agencies/${agencyId}`).set(bearer(P.admin));
      expect(r2.status).toBe(405);
      expect(r2.headers.allow).toBe('GET, HEAD, PATCH');
      const r3 = await t.http().delete('/api/v1/no-such-thing');
      expect(r3.status).toBe(404);
      expect(r3.body.code).toBe('NOT_FOUND');
      expect(r3.headers.allow).toBeUndefined();
    });

    it('a path parameter over 100 characters and a very long URL are 414 URI_TOO_LONG in the error shape, nothing echoed', async () => {
      const long = 'x'.repeat(150);
      const r1 = await t.http().get(`/api/v1/agencies/${long}`).set(bearer(P.admin));
      expect(r1.status).toBe(414);
      expect(r1.body.code).toBe('URI_TOO_LONG');
      expect(Object.keys(r1.body).sort()).toEqual(ERROR_KEYS);
      expect(JSON.stringify(r1.body)).not.toContain(long);
      expect(r1.headers['x-request-id']).toBe(r1.body.correlationId);
      expect(r1.headers['x-content-type-options']).toBe('nosniff');
      const r2 = await t.http().get(`/api/v1/cases?cursor=${'y'.repeat(9000)}`).set(bearer(P.admin));
      expect(r2.status).toBe(414);
      expect(r2.body.code).toBe('URI_TOO_LONG');
      expect(JSON.stringify(r2.body)).not.toContain('yyyy');
    });

    it('a 20 KB query string or header is 431 HEADERS_TOO_LARGE in the error shape', async () => {
      for (const head of [
        `GET /api/v1/cases?q=${'z'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
        `GET /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'z'.repeat(20_000)}\r\n\r\n`,
      ]) {
        const res = await raw(port, head);
        expect(res.status).toBe(431);
        const body = JSON.parse(res.body);
        expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
        expect(body.code).toBe('HEADERS_TOO_LARGE');
        expect(res.body).not.toContain('zzzz');
        expect(res.headers.toLowerCase()).toContain(`x-request-id: ${body.correlationId}`);
      }
    });
  });

  it('item 6: CORS preflight allows every method of the API and the headers it reads', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await t
        .http()
        .options(`/api/v1/agencies/${agencyId}`)
        .set('Origin', 'https://portal.example.cn')
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization,content-type,if-match,idempotency-key,x-query-code');
      expect(res.status).toBeLessThan(300);
      expect(res.headers['access-control-allow-origin']).toBe('https://portal.example.cn');
      expect(res.headers['access-control-allow-methods'].split(/,\s*/)).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
      for (const h of ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Query-Code']) expect(res.headers['access-control-allow-headers']).toContain(h);
    }
    const other = await t.http().options('/api/v1/cases').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'PATCH');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
