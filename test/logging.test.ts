import { Writable } from 'node:stream';
import { applicationBody, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

/**
 * The logs at their most verbose level: one line per request with its correlation id, and no identity
 * number, phone, query code or token in any line, whatever the request carried (intake, a refused intake,
 * the portal, a track by query code, an authorised reveal).
 */
describe('logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  let t: TestApp;
  let org: TestOrg;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'trace' }, logDestination: sink });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  it('write one JSON line per request with its correlation id, and no personal data or secrets', async () => {
    const clerk = org.people['dept.clerk'];
    const idNumber = residentId('35020319900307123');
    const phone = '13977775555';
    const goodBody = { ...applicationBody({}, { idNumber, phone, name: '陈静' }), channel: 'registered_post', receiptDate: '2024-11-19' };

    const created = await t.http().post('/api/v1/cases').set(bearer(clerk)).set('X-Request-Id', 'log-test-intake-1').send(goodBody);
    expect(created.status).toBe(201);
    const wrongCheck = idNumber.slice(0, 17) + (idNumber.endsWith('0') ? '1' : '0');
    const refused = await t.http().post('/api/v1/cases').set(bearer(clerk)).send({ ...goodBody, applicant: { ...goodBody.applicant, idNumber: wrongCheck } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).not.toContain(wrongCheck.slice(0, 17));
    const portal = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.77').send(applicationBody({ agencyId: org.dept }, { idNumber, phone, name: '陈静' }));
    expect(portal.status).toBe(201);
    const tracked = await t.http().get(`/api/v1/portal/applications/${portal.body.trackingNumber}?code=${portal.body.queryCode}`).set('X-Query-Code', portal.body.queryCode);
    expect(tracked.status).toBe(200);
    const revealed = await t.http().post(`/api/v1/cases/${created.body.id}/reveal-identity`).set(bearer(clerk)).send({ reason: '核实身份' });
    expect(revealed.status).toBe(200);
    expect(revealed.body.idNumber).toBe(idNumber);

    // the request lines, as JSON, with the correlation id the caller gave or a new one
    const requests = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'request completed');
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(requests.find((l) => l.correlationId === 'log-test-intake-1')).toMatchObject({ level: 30, req: { method: 'POST', path: '/api/v1/cases' }, res: { statusCode: 201 } });
    expect(requests.find((l) => l.res.statusCode === 400)).toMatchObject({ correlationId: refused.headers['x-request-id'] });
    // the query string is not logged (it can carry names and codes)
    expect(requests.find((l) => String(l.req.path).startsWith('/api/v1/portal/applications/'))!.req.path).toBe(`/api/v1/portal/applications/${portal.body.trackingNumber}`);

    const all = lines.join('\n').toUpperCase();
    for (const secret of [idNumber, idNumber.slice(0, 17), wrongCheck.slice(0, 17), phone, created.body.queryCode, portal.body.queryCode, clerk.token]) {
      expect([secret, all.includes(String(secret).toUpperCase())]).toEqual([secret, false]);
    }
  });
});
