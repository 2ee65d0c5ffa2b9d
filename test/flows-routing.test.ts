/**
 * 分办 over HTTP: a portal submission forwarded, unconfirmed, to another agency of the platform; confirmed
 * there with the clock from the confirmation; the portal naming the agency now handling it; every refusal
 * with its code and nothing written; who reads the case after the move; the directory of agencies.
 */
import { applicationBody } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const NOW = '2024-11-11T02:00:00Z'; // Monday 10:00 in Shanghai

describe('flows: routing a portal submission (分办)', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  let ip = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    org = await seedOrg(t);
    P = org.people;
  });
  afterAll(async () => t?.close());

  async function submit(over: Record<string, unknown> = {}) {
    const r = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', `198.51.100.${++ip}`).send(applicationBody(over));
    expect(r.status).toBe(201);
    const rows: { id: string; version: number; agency_id: string }[] = await t.ds.query(`SELECT id, version, agency_id FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]);
    return { ...rows[0], trackingNumber: r.body.trackingNumber as string, queryCode: r.body.queryCode as string };
  }
  const post = (p: Person, id: string, action: string, body: Record<string, unknown>) => t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send(body);
  const get = (p: Person, id: string) => t.http().get(`/api/v1/cases/${id}`).set(bearer(p));
  const history = async (id: string) => (await t.http().get(`/api/v1/cases/${id}/history`).set(bearer(P['city.supervisor']))).body.items as { action: string; payload: Record<string, unknown>; fromState: string; toState: string }[];
  const portal = (c: { trackingNumber: string; queryCode: string }) => t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
  const rowOf = async (id: string) => (await t.ds.query(`SELECT version, agency_id, state, forwarded, updated_at FROM cases WHERE id = $1`, [id]))[0];
  const historyCount = async (id: string) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM case_history WHERE case_id = $1`, [id]))[0].n);

  it('forwards a submission landing at the top-level office, confirmed at the new agency with the clock from the confirmation', async () => {
    const c = await submit(); // no agencyId: the platform's top-level office
    expect(c.agency_id).toBe(org.city);
    expect((await portal(c)).body.agency).toEqual({ name: '测试市人民政府办公室' });

    const f = await post(P['city.clerk'], c.id, 'forward', { expectedVersion: c.version, agencyId: org.dept, reason: '所申请信息由市教育局制作保存' });
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ state: 'submitted', agencyId: org.dept, version: c.version + 1, receiptDate: null, assigneeId: null });
    expect(f.body.availableActions).toEqual([]); // no longer the city's to act on
    expect(f.body.forwarded).toMatchObject({ fromAgencyId: org.city, toAgencyId: org.dept, on: '2024-11-11', reason: '所申请信息由市教育局制作保存', by: P['city.clerk'].id });

    // the history names both agencies
    const h = (await history(c.id)).at(-1)!;
    expect(h).toMatchObject({ action: 'forward', fromState: 'submitted', toState: 'submitted' });
    expect(h.payload).toEqual({ fromAgencyId: org.city, fromAgencyName: '测试市人民政府办公室', toAgencyId: org.dept, toAgencyName: '测试市教育局', reason: '所申请信息由市教育局制作保存' });

    // the portal names the agency now handling it
    const seen = await portal(c);
    expect(seen.status).toBe(200);
    expect(seen.body.agency).toEqual({ name: '测试市教育局' });
    expect(seen.body.state).toBe('submitted');

    // the unconfirmed-submission reminder is the new agency's; the old one's is cancelled
    const reminders: { dedupe_key: string; agency_id: string; status: string }[] = await t.ds.query(
      `SELECT dedupe_key, agency_id, status FROM scheduled_actions WHERE case_id = $1 AND kind = 'unconfirmed_submission' ORDER BY created_at`,
      [c.id],
    );
    expect(reminders).toEqual([
      { dedupe_key: `unconfirmed:${c.id}`, agency_id: org.city, status: 'cancelled' },
      { dedupe_key: `unconfirmed:${c.id}:${org.dept}`, agency_id: org.dept, status: 'pending' },
    ]);

    // the new agency's clerk sees it in the queue and confirms; the clock runs from the confirmation date
    const list = await t.http().get('/api/v1/cases?state=submitted').set(bearer(P['dept.clerk']));
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const ok = await post(P['dept.clerk'], c.id, 'confirm-receipt', { expectedVersion: f.body.version, on: '2024-11-11' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'in_progress', receiptDate: '2024-11-11', agencyId: org.dept });
    expect(ok.body.deadline.due).toBe('2024-12-09'); // 20 working days after 2024-11-11
    const letters = await t.http().get(`/api/v1/cases/${c.id}/letters`).set(bearer(P['dept.clerk']));
    expect(letters.body.items.map((l: { code: string }) => l.code)).toEqual(['receipt']);

    // confirmed: no more forward (answered under Art 36(五) instead)
    const late = await post(P['dept.clerk'], c.id, 'forward', { expectedVersion: ok.body.version, agencyId: org.district, reason: '再转' });
    expect([late.status, late.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
  });

  it('refuses a second forward, the same agency, an unknown agency, a malformed body, and writes nothing', async () => {
    const c = await submit({ agencyId: org.dept });
    const same = await post(P['dept.clerk'], c.id, 'forward', { expectedVersion: c.version, agencyId: org.dept, reason: '误转' });
    expect([same.status, same.body.code, same.body.details.fields]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'agencyId', message: '不能转送给本机关' }]]);
    const unknown = await post(P['dept.clerk'], c.id, 'forward', { expectedVersion: c.version, agencyId: '00000000-0000-4000-8000-000000000000', reason: '转送' });
    expect([unknown.status, unknown.body.code, unknown.body.details.fields[0].field]).toEqual([400, 'VALIDATION_FAILED', 'agencyId']);
    for (const body of [{ agencyId: 'dept', reason: 'x' }, { agencyId: org.district }, { agencyId: org.district, reason: '' }, { agencyId: org.district, reason: 'x'.repeat(2001) }, { agencyId: org.district, reason: 'x', extra: 1 }]) {
      const r = await post(P['dept.clerk'], c.id, 'forward', { expectedVersion: c.version, ...body });
      expect([JSON.stringify(body).slice(0, 60), r.status, r.body.code]).toEqual([JSON.stringify(body).slice(0, 60), 400, 'VALIDATION_FAILED']);
    }
    // an auditor may not; a clerk of another agency does not see it
    const aud = await post(P['dept.auditor'], c.id, 'forward', { expectedVersion: c.version, agencyId: org.district, reason: '转送' });
    expect([aud.status, aud.body.code]).toEqual([403, 'FORBIDDEN']);
    const stranger = await post(P['other.clerk'], c.id, 'forward', { expectedVersion: c.version, agencyId: org.district, reason: '转送' });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'NOT_FOUND']);
    const stale = await post(P['dept.clerk'], c.id, 'forward', { expectedVersion: c.version + 5, agencyId: org.district, reason: '转送' });
    expect([stale.status, stale.body.code]).toEqual([409, 'CASE_VERSION_CONFLICT']);
    const before = await rowOf(c.id);
    expect(before).toMatchObject({ version: c.version, agency_id: org.dept, forwarded: null });
    expect(await historyCount(c.id)).toBe(1);

    // a supervisor forwards once, to an agency of another tree of the platform
    const first = await post(P['dept.supervisor'], c.id, 'forward', { expectedVersion: c.version, agencyId: org.other, reason: '属另一机关职责' });
    expect(first.status).toBe(200);
    const again = await post(P['other.clerk'], c.id, 'forward', { expectedVersion: first.body.version, agencyId: org.city, reason: '再转' });
    expect([again.status, again.body.code]).toEqual([409, 'FORWARD_ALREADY_USED']);
    const after = await rowOf(c.id);
    expect(after).toMatchObject({ version: first.body.version, agency_id: org.other });
    expect(after.updated_at).toEqual((await rowOf(c.id)).updated_at);
    expect(await historyCount(c.id)).toBe(2);
    // a discarded submission cannot be forwarded either
    const d = await submit({ agencyId: org.dept });
    const dis = await post(P['dept.clerk'], d.id, 'discard', { expectedVersion: d.version, reason: '重复提交' });
    const fwd = await post(P['dept.clerk'], d.id, 'forward', { expectedVersion: dis.body.version, agencyId: org.district, reason: '转送' });
    expect([fwd.status, fwd.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
  });

  it('after the move the old agency reads the case only if it is above the new one', async () => {
    // down the tree: city → dept; the city's supervisor and auditor still read (above), its clerk does not
    const down = await submit();
    const f1 = await post(P['city.supervisor'], down.id, 'forward', { expectedVersion: down.version, agencyId: org.dept, reason: '转市教育局' });
    expect(f1.status).toBe(200);
    expect((await get(P['city.supervisor'], down.id)).status).toBe(200);
    expect((await get(P['city.supervisor'], down.id)).body.availableActions).toEqual([]);
    expect((await get(P['city.auditor'], down.id)).status).toBe(200);
    expect((await get(P['city.clerk'], down.id)).status).toBe(404);
    expect((await get(P['dept.clerk'], down.id)).status).toBe(200);
    // the old agency can no longer act on it
    const act = await post(P['city.supervisor'], down.id, 'discard', { expectedVersion: f1.body.version, reason: 'x' });
    expect([act.status, act.body.code]).toEqual([403, 'FORBIDDEN']);

    // sideways: dept → district; dept is not above district, so nobody of dept reads it any more
    const side = await submit({ agencyId: org.dept });
    const f2 = await post(P['dept.clerk'], side.id, 'forward', { expectedVersion: side.version, agencyId: org.district, reason: '属区政府职责' });
    expect(f2.status).toBe(200);
    for (const who of ['dept.clerk', 'dept.supervisor', 'dept.auditor']) expect([who, (await get(P[who], side.id)).status]).toEqual([who, 404]);
    for (const who of ['district.clerk', 'district.supervisor', 'city.supervisor']) expect([who, (await get(P[who], side.id)).status]).toEqual([who, 200]);
    const list = await t.http().get('/api/v1/cases?state=submitted').set(bearer(P['dept.supervisor']));
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(side.id);
    const hist = await t.http().get(`/api/v1/cases/${side.id}/history`).set(bearer(P['dept.supervisor']));
    expect(hist.status).toBe(404);
  });

  it('the directory: every agency of the platform, id, name, code and parent only, for every signed-in user', async () => {
    const want = [
      { id: org.city, name: '测试市人民政府办公室', code: 'city', parentId: null },
      { id: org.dept, name: '测试市教育局', code: 'dept', parentId: org.city },
      { id: org.district, name: '测试区人民政府', code: 'district', parentId: org.city },
      { id: org.other, name: '另一市人民政府办公室', code: 'other', parentId: null },
    ];
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    for (const who of ['dept.clerk', 'district.auditor', 'other.supervisor', 'admin']) {
      const r = await t.http().get('/api/v1/agencies/directory').set(bearer(P[who]));
      expect([who, r.status]).toEqual([who, 200]);
      expect([...r.body.items].sort(byId)).toEqual([...want].sort(byId));
      for (const item of r.body.items) expect(Object.keys(item).sort()).toEqual(['code', 'id', 'name', 'parentId']);
    }
    const anon = await t.http().get('/api/v1/agencies/directory');
    expect(anon.status).toBe(401);
    // and it is documented with exactly these fields
    const doc = await t.http().get('/api/docs-json');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/agencies/directory');
    expect(Object.keys(doc.body.components.schemas.AgencyDirectoryEntryDto.properties).sort()).toEqual(['code', 'id', 'name', 'parentId']);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/cases/{id}/forward');
    // the other new points are documented with their bodies and answers
    const quote = doc.body.paths['/api/v1/cases/{id}/fee-quote'].get;
    expect(quote.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'pages', 'tariff']));
    expect(quote.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/FeeQuoteDto');
    const schemas = doc.body.components.schemas;
    expect(Object.keys(schemas.FeeQuoteDto.properties).sort()).toEqual(['amount', 'band', 'breakdown', 'month', 'pages', 'position', 'tariff', 'wording']);
    expect(schemas.ForwardDto.required.sort()).toEqual(['agencyId', 'expectedVersion', 'reason']);
    expect(schemas.RecordReasonsDto.required.sort()).toEqual(['content', 'expectedVersion', 'reasonable']);
    expect(schemas.RecordPaymentDto.required.sort()).toEqual(['amount', 'expectedVersion', 'receiptNumber']);
    expect(Object.keys(schemas.NotifyFeeDto.properties)).toContain('basis');
    expect(Object.keys(schemas.EarlierReplyDto.properties).sort()).toEqual(['beforeSystem', 'caseId', 'date', 'documentNumber']);
    expect(Object.keys(schemas.CaseDto.properties)).toEqual(expect.arrayContaining(['forwarded', 'reasonsRequest', 'art35Flag']));
    expect(Object.keys(schemas.PortalApplicationDto.properties)).toContain('agency');
    for (const path of ['/api/v1/cases/{id}/request-reasons', '/api/v1/cases/{id}/record-reasons']) expect(doc.body.paths[path].post.responses['200']).toBeDefined();
  });
});
