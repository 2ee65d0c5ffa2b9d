/**
 * Who sees what, bad input, personal data, the portal, idempotency, search and lists.
 */
import { applicationBody, intake, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';
import { PORTAL_SUBMISSIONS_PER_HOUR } from '../src/portal/portal.service';
import { CASE_ACTIONS } from '../src/statute/transition-table';
import { CasesRepository } from '../src/cases/cases.repository';

const TODAY = '2024-11-20';
const CHINESE = /[\u4e00-\u9fff]/;

/** An independent GB 32100 check character (charset without I, O, S, V, Z). */
function uscc(first17: string): string {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = first17.split('').reduce((s, ch, i) => s + set.indexOf(ch) * w[i], 0);
  return first17 + set[(31 - (sum % 31)) % 31];
}
/** The same number with a wrong last character. */
function wrongCheck(id: string, set = '0123456789X'): string {
  const last = id[id.length - 1];
  return id.slice(0, -1) + [...set].find((c) => c !== last)!;
}

describe('cases: security, input and the portal', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;

  beforeAll(async () => {
    t = await createTestApp({ now: `${TODAY}T02:00:00Z` });
    org = await seedOrg(t);
    P = org.people;
  });
  afterAll(async () => t?.close());

  const counts = async () => {
    const rows: { c: number; h: number; k: number; l: number }[] = await t.ds.query(
      `SELECT (SELECT count(*) FROM cases)::int AS c, (SELECT count(*) FROM case_history)::int AS h, (SELECT count(*) FROM idempotency_keys)::int AS k, (SELECT count(*) FROM letters)::int AS l`,
    );
    return rows[0];
  };
  const clerkIntake = (p: Person, body: Record<string, unknown>, key?: string) => {
    const req = t.http().post('/api/v1/cases').set(bearer(p));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const portalSubmit = (body: Record<string, unknown>, address = '198.51.100.20', key?: string) => {
    const req = t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', address);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const post = (p: Person, id: string, action: string, body: Record<string, unknown>) => t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send(body);
  const get = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(P['dept.supervisor']))).body;
  async function listAll(p: Person, query: Record<string, string | number | boolean> = {}): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const r: { status: number; body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/v1/cases')
        .query({ ...query, limit: 100, ...(cursor ? { cursor } : {}) })
        .set(bearer(p));
      if (r.status !== 200) throw new Error(`list ${JSON.stringify(query)}: ${r.status} ${JSON.stringify(r.body)}`);
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }
  const ids = (items: Record<string, unknown>[]) => items.map((x) => x.id as string);

  /** A 400 VALIDATION_FAILED naming `field`, in Chinese. */
  function expect400(res: { status: number; body: { code: string; message: string; details: { fields?: { field: string; message: string }[] } } }, field: string) {
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.message).toMatch(CHINESE);
    const fields = res.body.details.fields ?? [];
    expect(fields.map((f) => f.field)).toContain(field);
    for (const f of fields) expect(f.message).toMatch(CHINESE);
  }

  // ------------------------------------------------------------------------------------ scope

  describe('scope of every case endpoint', () => {
    let caseId: string;
    let version: number;
    let reviewId: string;
    let queryCode: string;
    let trackingNumber: string;

    beforeAll(async () => {
      const c = await intake(t, P['dept.clerk'], '2024-11-18');
      caseId = c.id;
      queryCode = c.queryCode;
      trackingNumber = c.trackingNumber;
      const r = await post(P['dept.clerk'], caseId, 'record-review', { expectedVersion: c.version, kind: 'reconsideration', filedOn: '2024-11-19' });
      expect(r.status).toBe(200);
      reviewId = r.body.reviews[0].id;
      version = r.body.version;
    });

    /** no Authorization header at all for a person without a token */
    const auth = (p: Person) => (p.token ? bearer(p) : {});
    const readEndpoints = () => [
      { name: 'GET one', send: (p: Person) => t.http().get(`/api/v1/cases/${caseId}`).set(auth(p)) },
      { name: 'history', send: (p: Person) => t.http().get(`/api/v1/cases/${caseId}/history`).set(auth(p)) },
      { name: 'letters', send: (p: Person) => t.http().get(`/api/v1/cases/${caseId}/letters`).set(auth(p)) },
      { name: 'fee-quote', send: (p: Person) => t.http().get(`/api/v1/cases/${caseId}/fee-quote?tariff=per_page&pages=40`).set(auth(p)) },
    ];
    const writeEndpoints = () => [
      { name: 'reveal-identity', send: (p: Person) => t.http().post(`/api/v1/cases/${caseId}/reveal-identity`).set(auth(p)).send({ reason: '核实身份' }) },
      { name: 'PATCH review', send: (p: Person) => t.http().patch(`/api/v1/reviews/${reviewId}`).set(auth(p)).send({ result: 'upheld', concludedOn: TODAY }) },
      ...CASE_ACTIONS.map((a) => ({ name: a, send: (p: Person) => t.http().post(`/api/v1/cases/${caseId}/${a}`).set(auth(p)).send({ expectedVersion: version, ...minimalBody(a) }) })),
    ];
    function minimalBody(a: string): Record<string, unknown> {
      const bodies: Record<string, Record<string, unknown>> = {
        discard: { reason: 'x' },
        assign: { assigneeId: P['dept.clerk'].id },
        'request-correction': { items: ['x'] },
        'record-correction': { content: 'x' },
        consult: { party: 'third_party', name: 'x' },
        'end-consultation': { opinion: 'none' },
        'request-extension': { days: 5, reason: 'x' },
        'set-delayed-reply': { until: '2025-01-31', reason: 'x' },
        'notify-fee': { tariff: 'per_page', pages: 100 },
        'record-payment': { receiptNumber: 'x', amount: 0 },
        forward: { agencyId: P['district.clerk'].agencyId, reason: 'x' },
        'request-reasons': { items: ['x'] },
        'record-reasons': { content: 'x', reasonable: false },
        'draft-reply': { outcome: 'granted', reasons: 'x' },
        'return-reply': { reason: 'x' },
        'record-delivery': { of: 'receipt', on: TODAY, method: 'post' },
        'conclude-lapsed': { reason: 'correction' },
        withdraw: { reason: 'x' },
        'record-review': { kind: 'reconsideration', filedOn: TODAY },
      };
      return bodies[a] ?? {};
    }

    it('another agency’s clerk, supervisor or auditor gets 404 and no data from every endpoint', async () => {
      for (const who of ['other.clerk', 'other.supervisor', 'other.auditor', 'district.clerk', 'city.clerk']) {
        for (const e of [...readEndpoints(), ...writeEndpoints()]) {
          const r = await e.send(P[who]);
          // auditors are refused every write by role (403) before anything is looked up, which tells nothing either
          const want = who === 'other.auditor' && e.name === 'reveal-identity' ? 403 : 404;
          expect([who, e.name, r.status]).toEqual([who, e.name, want]);
          expect(Object.keys(r.body).sort()).toEqual(['code', 'correlationId', 'details', 'message', 'statusCode']);
          expect(JSON.stringify(r.body.details)).not.toContain(caseId);
        }
        const list = await listAll(P[who]);
        expect(ids(list)).not.toContain(caseId);
      }
      expect((await get(caseId)).version).toBe(version);
    });

    it('a parent-agency supervisor and auditors read (200) but do not act (403)', async () => {
      for (const who of ['city.supervisor', 'city.auditor', 'dept.auditor']) {
        for (const e of readEndpoints()) {
          const r = await e.send(P[who]);
          expect([who, e.name, r.status]).toEqual([who, e.name, 200]);
        }
        expect(ids(await listAll(P[who]))).toContain(caseId);
        for (const e of writeEndpoints()) {
          const r = await e.send(P[who]);
          expect([who, e.name, r.status, r.body.code]).toEqual([who, e.name, 403, 'FORBIDDEN']);
        }
      }
      const before = await counts();
      expect((await get(caseId)).version).toBe(version);
      expect(await counts()).toEqual(before);
    });

    it('an admin gets 403 for reading and acting on case contents', async () => {
      for (const e of [...readEndpoints(), ...writeEndpoints()]) {
        const r = await e.send(P.admin);
        expect([e.name, r.status, r.body.code]).toEqual([e.name, 403, 'FORBIDDEN']);
      }
      const list = await t.http().get('/api/v1/cases').set(bearer(P.admin));
      expect(list.status).toBe(403);
      const create = await clerkIntake(P.admin, { ...applicationBody(), channel: 'in_person', receiptDate: TODAY });
      expect(create.status).toBe(403);
      expect((await get(caseId)).version).toBe(version);
    });

    it('no token (or a bad one): 401 everywhere but the portal', async () => {
      for (const token of ['', 'not-a-token']) {
        const anon = { ...P['dept.clerk'], token };
        for (const e of [...readEndpoints(), ...writeEndpoints()]) {
          const r = await e.send(anon);
          expect([token, e.name, r.status, r.body.code]).toEqual([token, e.name, 401, 'UNAUTHENTICATED']);
        }
        expect((await t.http().get('/api/v1/cases').set(auth(anon))).status).toBe(401);
        expect((await t.http().post('/api/v1/cases').set(auth(anon)).send({ ...applicationBody(), channel: 'in_person', receiptDate: TODAY })).status).toBe(401);
      }
      expect((await get(caseId)).version).toBe(version);
      const track = await t.http().get(`/api/v1/portal/applications/${trackingNumber}`).set('X-Query-Code', queryCode);
      expect(track.status).toBe(200);
    });

    it('an update of a review never writes back another update’s fields from a stale copy', async () => {
      const c = await intake(t, P['dept.clerk'], '2024-11-18');
      const made = await t.http().post(`/api/v1/cases/${c.id}/record-review`).set(bearer(P['dept.clerk'])).send({ expectedVersion: c.version, kind: 'reconsideration', filedOn: TODAY });
      expect(made.status).toBe(200);
      const id = (made.body.reviews as { id: string }[])[0].id;
      // A reads the review, then B's update commits, then A goes on
      const repo = t.app.get(CasesRepository);
      const original = repo.findReview.bind(repo);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let aRead!: () => void;
      const aHasRead = new Promise<void>((r) => (aRead = r));
      const spy = jest.spyOn(repo, 'findReview').mockImplementationOnce(async (...args) => {
        const r = await original(...args);
        aRead();
        await held;
        return r;
      });
      try {
        const a = t.http().patch(`/api/v1/reviews/${id}`).set(bearer(P['dept.supervisor'])).send({ result: 'pending', note: '甲的备注' }).then((r) => r);
        await aHasRead;
        const b = await t.http().patch(`/api/v1/reviews/${id}`).set(bearer(P['dept.clerk'])).send({ result: 'pending', concludedOn: TODAY, decisionReceivedOn: TODAY });
        expect(b.status).toBe(200);
        release();
        const done = await a;
        expect([200, 409]).toContain(done.status);
        const [row] = await t.ds.query(`SELECT to_char(concluded_on, 'YYYY-MM-DD') AS c, to_char(decision_received_on, 'YYYY-MM-DD') AS d, note FROM reviews WHERE id = $1`, [id]);
        // B's dates survive A, whatever A's answer
        expect(row).toMatchObject({ c: TODAY, d: TODAY });
        if (done.status === 200) expect(row.note).toBe('甲的备注');
      } finally {
        release();
        spy.mockRestore();
      }
    });

    it('the case’s own clerk can update the review; list scope never leaks', async () => {
      const r = await t.http().patch(`/api/v1/reviews/${reviewId}`).set(bearer(P['dept.clerk'])).send({ result: 'upheld', concludedOn: TODAY });
      expect(r.status).toBe(200);
      expect(r.body.reviews[0]).toMatchObject({ id: reviewId, result: 'upheld', concludedOn: TODAY });
      const district = await intake(t, P['district.clerk'], '2024-11-18');
      const city = await intake(t, P['city.clerk'], '2024-11-18');
      const other = await intake(t, P['other.clerk'], '2024-11-18');
      const scope: Record<string, string[]> = {
        'dept.clerk': [org.dept],
        'dept.auditor': [org.dept],
        'district.clerk': [org.district],
        'city.clerk': [org.city],
        'city.supervisor': [org.city, org.dept, org.district],
        'city.auditor': [org.city, org.dept, org.district],
        'other.clerk': [org.other],
        'other.supervisor': [org.other],
      };
      for (const [who, agencies] of Object.entries(scope)) {
        const items = await listAll(P[who]);
        expect([who, items.filter((x) => !agencies.includes(x.agencyId as string)).map((x) => x.agencyId)]).toEqual([who, []]);
      }
      expect(ids(await listAll(P['city.supervisor']))).toEqual(expect.arrayContaining([caseId, district.id, city.id]));
      expect(ids(await listAll(P['city.supervisor']))).not.toContain(other.id);
      // naming an agency outside the scope finds nothing: 404, as for one that does not exist
      const outside = await t.http().get('/api/v1/cases').query({ agencyId: org.other }).set(bearer(P['dept.clerk']));
      expect([outside.status, outside.body.code]).toEqual([404, 'NOT_FOUND']);
      expect(JSON.stringify(outside.body)).not.toContain(other.id);
      const unknown = await t.http().get('/api/v1/cases').query({ agencyId: '00000000-0000-4000-8000-000000000000' }).set(bearer(P['dept.clerk']));
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  // ------------------------------------------------------------------------------------ bad input

  describe('bad input: 400 with the field, a Chinese message, nothing written', () => {
    const valid = () => ({ ...applicationBody(), channel: 'in_person', receiptDate: '2024-11-18' });
    const cases: [string, () => Record<string, unknown>, string][] = [
      ['a resident ID with a wrong check character', () => ({ ...valid(), applicant: { ...valid().applicant, idNumber: wrongCheck(residentId()) } }), 'applicant.idNumber'],
      [
        'a USCC with a wrong check character',
        () => ({ ...valid(), applicant: { type: 'commercial', name: '测试科技有限公司', idType: 'uscc', idNumber: wrongCheck(uscc('91110108MA01ABCD1'), '0123456789ABCDEFGHJKLMNPQRTUWXY') } }),
        'applicant.idNumber',
      ],
      ['a natural person with a USCC', () => ({ ...valid(), applicant: { ...valid().applicant, idType: 'uscc', idNumber: uscc('91110108MA01ABCD1') } }), 'applicant.idType'],
      ['a missing description', () => ({ ...valid(), description: undefined }), 'description'],
      ['a missing applicant', () => ({ ...valid(), applicant: undefined }), 'applicant'],
      ['a missing receipt date', () => ({ ...valid(), receiptDate: undefined }), 'receiptDate'],
      ['an unknown field', () => ({ ...valid(), priority: 'high' }), 'priority'],
      ['an unknown applicant field', () => ({ ...valid(), applicant: { ...valid().applicant, age: 30 } }), 'applicant.age'],
      ['a wrong channel', () => ({ ...valid(), channel: 'pigeon' }), 'channel'],
      ['a wrong applicant type', () => ({ ...valid(), applicant: { ...valid().applicant, type: 'alien' } }), 'applicant.type'],
      ['a wrong form', () => ({ ...valid(), form: 'stone' }), 'form'],
      ['a receipt date in the future', () => ({ ...valid(), receiptDate: '2024-11-21' }), 'receiptDate'],
      ['an impossible receipt date', () => ({ ...valid(), receiptDate: '2024-02-30' }), 'receiptDate'],
      ['a description of 5001 characters', () => ({ ...valid(), description: '申'.repeat(5001) }), 'description'],
      ['a name of 101 characters', () => ({ ...valid(), applicant: { ...valid().applicant, name: '张'.repeat(101) } }), 'applicant.name'],
      ['a wrong-type name', () => ({ ...valid(), applicant: { ...valid().applicant, name: 42 } }), 'applicant.name'],
      ['a blank name', () => ({ ...valid(), applicant: { ...valid().applicant, name: '   ' } }), 'applicant.name'],
      ['a blank description', () => ({ ...valid(), description: ' \n\t ' }), 'description'],
      ['a receipt date before the Regulation took effect', () => ({ ...valid(), receiptDate: '1900-01-01' }), 'receiptDate'],
      ['a malformed agency id', () => ({ ...valid(), agencyId: '------------------------------------' }), 'agencyId'],
    ];

    it.each(cases)('clerk intake: %s', async (_name, body, field) => {
      const before = await counts();
      for (const who of ['dept.clerk', 'city.supervisor']) {
        const r = await clerkIntake(P[who], body(), `bad-${field}-${Math.random().toString(36).slice(2)}`);
        expect400(r, field);
      }
      expect(await counts()).toEqual(before);
    });

    it('the limits themselves are accepted (description 5000, name 100), and a valid USCC', async () => {
      const r = await clerkIntake(P['dept.clerk'], { ...valid(), description: '申'.repeat(5000), applicant: { type: 'commercial', name: '公'.repeat(100), idType: 'uscc', idNumber: uscc('91110108MA01ABCD1') } });
      expect(r.status).toBe(201);
    });

    it.each([
      ['channel', { channel: 'online' }],
      ['receiptDate', { receiptDate: '2024-11-18' }],
    ])('portal intake carrying %s', async (field, extra) => {
      const before = await counts();
      const r = await portalSubmit({ ...applicationBody(), ...extra }, '198.51.100.21');
      expect400(r, field);
      expect(await counts()).toEqual(before);
    });

    it('portal intake with a wrong check character, a blank name, a malformed or unknown agency', async () => {
      const before = await counts();
      expect400(await portalSubmit(applicationBody({}, { idNumber: wrongCheck(residentId()) }), '198.51.100.21'), 'applicant.idNumber');
      expect400(await portalSubmit(applicationBody({}, { name: ' ' }), '198.51.100.21'), 'applicant.name');
      expect400(await portalSubmit(applicationBody({ agencyId: '------------------------------------' }), '198.51.100.21'), 'agencyId');
      expect400(await portalSubmit(applicationBody({ agencyId: '00000000-0000-4000-8000-000000000000' }), '198.51.100.21'), 'agencyId');
      expect(await counts()).toEqual(before);
    });

    it('actions: `on` in the future, before the receipt, before the previous step; an outcome not in the catalogue; wrong enums', async () => {
      const c = await intake(t, P['dept.clerk'], '2024-11-11');
      const ok = await post(P['dept.clerk'], c.id, 'consult', { expectedVersion: c.version, on: '2024-11-14', party: 'third_party', name: '某有限公司' });
      expect(ok.status).toBe(200);
      const v = ok.body.version;
      const bad: [string, Record<string, unknown>, string][] = [
        ['consult', { on: '2024-11-21', party: 'other_agency', name: '财政局' }, 'on'],
        ['consult', { on: '2024-11-10', party: 'other_agency', name: '财政局' }, 'on'],
        ['consult', { on: '2024-11-13', party: 'other_agency', name: '财政局' }, 'on'],
        ['end-consultation', { on: '2024-11-13', opinion: 'consent' }, 'on'],
        ['consult', { on: '2024-11-15', party: 'neighbour', name: '财政局' }, 'party'],
        ['consult', { on: '2024-11-31', party: 'other_agency', name: '财政局' }, 'on'],
        ['consult', { on: '2024-11-15', party: 'other_agency', name: '财'.repeat(101) }, 'name'],
        ['end-consultation', { on: '2024-11-15', opinion: 'maybe' }, 'opinion'],
        ['end-consultation', { on: '2024-11-15', opinion: 'consent', note: '注'.repeat(2001) }, 'note'],
        ['end-consultation', { on: '2024-11-15', opinion: 'consent', extra: 1 }, 'extra'],
      ];
      for (const [action, body, field] of bad) {
        const before = await counts();
        const r = await post(P['dept.clerk'], c.id, action, { expectedVersion: v, ...body });
        expect400(r, field);
        expect(await counts()).toEqual(before);
      }
      const back = await post(P['dept.clerk'], c.id, 'end-consultation', { expectedVersion: v, on: '2024-11-15', opinion: 'consent' });
      expect(back.status).toBe(200);
      const before = await counts();
      const outcome = await post(P['dept.clerk'], c.id, 'draft-reply', { expectedVersion: back.body.version, outcome: 'granted.maybe', reasons: '理由' });
      expect400(outcome, 'outcome');
      // the lapse outcomes are not drafted: they come from conclude-lapsed
      const lapsed = await post(P['dept.clerk'], c.id, 'draft-reply', { expectedVersion: back.body.version, outcome: 'other.fee_unpaid', reasons: '理由' });
      expect400(lapsed, 'outcome');
      expect(await counts()).toEqual(before);
      expect((await get(c.id)).version).toBe(back.body.version);
    });
  });

  // ------------------------------------------------------------------------------------ personal data

  describe('identity numbers and phones', () => {
    const idNumber = residentId('44030619880808123');
    const phone = '13912345678';
    let c: Awaited<ReturnType<typeof intake>>;

    beforeAll(async () => {
      const r = await clerkIntake(P['dept.clerk'], { ...applicationBody({}, { idNumber: idNumber.toLowerCase(), phone, name: '赵敏' }), channel: 'email', receiptDate: '2024-11-19' }, 'pii-intake-1');
      expect(r.status).toBe(201);
      c = r.body;
      const p = await portalSubmit(applicationBody({ agencyId: org.dept }, { idNumber, phone, name: '赵敏' }), '198.51.100.30', 'pii-portal-1');
      expect(p.status).toBe(201);
    });

    it('no column of cases, case_history or idempotency_keys holds the raw number or phone', async () => {
      for (const table of ['cases', 'case_history', 'idempotency_keys']) {
        for (const needle of [idNumber, idNumber.slice(0, 17), phone]) {
          const rows: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM ${table} x WHERE upper(row_to_json(x)::text) LIKE '%' || $1 || '%'`, [needle]);
          expect([table, needle, rows[0].n]).toEqual([table, needle, 0]);
        }
      }
      const stored: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM idempotency_keys`);
      expect(stored[0].n).toBeGreaterThanOrEqual(2);
    });

    it('intake, GET, list and history show only the masked form', async () => {
      const sup = P['dept.supervisor'];
      const one = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(sup));
      expect(one.body.applicant).toMatchObject({ idNumber: `${idNumber.slice(0, 3)}${'*'.repeat(13)}${idNumber.slice(-2)}`, phone: '139****5678' });
      const list = await t.http().get('/api/v1/cases').query({ limit: 100 }).set(bearer(sup));
      const history = await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(sup));
      for (const body of [c, one.body, list.body, history.body]) {
        const text = JSON.stringify(body).toUpperCase();
        expect(text).not.toContain(idNumber.slice(0, 17));
        expect(text).not.toContain(phone);
      }
    });

    it('an authorised reveal returns it and is recorded; others may not reveal', async () => {
      const before = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(P['dept.supervisor']))).body.items.length;
      const r = await post(P['dept.clerk'], c.id, 'reveal-identity', { reason: '核实申请人身份' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ idNumber, phone });
      const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(P['dept.supervisor']))).body.items;
      expect(h).toHaveLength(before + 1);
      expect(h[h.length - 1]).toMatchObject({ action: 'reveal-identity', actor: { id: P['dept.clerk'].id, role: 'clerk' }, payload: { reason: '核实申请人身份' } });
      expect(JSON.stringify(h)).not.toContain(idNumber.slice(0, 17));
      const noReason = await post(P['dept.clerk'], c.id, 'reveal-identity', {});
      expect400(noReason, 'reason');
      for (const who of ['dept.auditor', 'city.supervisor', 'admin']) expect([who, (await post(P[who], c.id, 'reveal-identity', { reason: '查看' })).status]).toEqual([who, 403]);
      expect((await post(P['other.clerk'], c.id, 'reveal-identity', { reason: '查看' })).status).toBe(404);
      // the version does not move: a reveal changes nothing of the case
      expect((await get(c.id)).version).toBe(c.version);
    });

    it('the history table refuses UPDATE and DELETE', async () => {
      await expect(t.ds.query(`UPDATE case_history SET action = 'tampered' WHERE case_id = $1`, [c.id])).rejects.toThrow();
      await expect(t.ds.query(`DELETE FROM case_history WHERE case_id = $1`, [c.id])).rejects.toThrow();
      await expect(t.ds.query(`TRUNCATE case_history`)).rejects.toThrow();
      const rows: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM case_history WHERE case_id = $1 AND action = 'tampered'`, [c.id]);
      expect(rows[0].n).toBe(0);
    });
  });

  // ------------------------------------------------------------------------------------ portal

  describe('portal', () => {
    it('submit → 201 { trackingNumber, queryCode } and a submitted case; track shows the state in words', async () => {
      const r = await portalSubmit(applicationBody({ agencyId: org.dept }), '198.51.100.40');
      expect(r.status).toBe(201);
      expect(Object.keys(r.body).sort()).toEqual(['queryCode', 'trackingNumber']);
      expect(r.body.queryCode.length).toBeGreaterThanOrEqual(10);
      const track = await t.http().get(`/api/v1/portal/applications/${r.body.trackingNumber}`).set('X-Query-Code', r.body.queryCode);
      expect(track.status).toBe(200);
      expect(track.body).toMatchObject({ trackingNumber: r.body.trackingNumber, state: 'submitted', stateLabel: '待确认', receiptDate: null });
      // neither the number nor the code is case-sensitive to a user typing them
      const lower = await t.http().get(`/api/v1/portal/applications/${r.body.trackingNumber.toLowerCase()}`).set('X-Query-Code', ` ${r.body.queryCode.toLowerCase()} `);
      expect(lower.status).toBe(200);
      const rows: { h: string }[] = await t.ds.query(`SELECT query_code_hash AS h FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]);
      expect(rows[0].h).not.toContain(r.body.queryCode);
    });

    it('tracking never shows staff names, ids or internal notes', async () => {
      const clerk = P['dept.clerk'];
      const sup = P['dept.supervisor'];
      const c = await intake(t, clerk, '2024-11-11', {}, { name: '钱多多' });
      let v = c.version;
      const step = async (p: Person, action: string, body: Record<string, unknown>) => {
        const r = await post(p, c.id, action, { expectedVersion: v, ...body });
        expect([action, r.status]).toEqual([action, 200]);
        v = r.body.version;
      };
      await step(sup, 'assign', { assigneeId: clerk.id });
      await step(clerk, 'consult', { on: '2024-11-12', party: 'third_party', name: '内部第三方甲公司' });
      await step(clerk, 'end-consultation', { on: '2024-11-13', opinion: 'objection', note: '内部备注：第三方强烈反对' });
      await step(clerk, 'request-extension', { on: '2024-11-14', days: 10, reason: '内部延期理由乙' });
      await step(sup, 'approve-extension', { on: '2024-11-14' });
      await step(clerk, 'draft-reply', { outcome: 'granted', reasons: '内部起草理由丙' });
      await step(sup, 'return-reply', { reason: '内部退回意见丁' });
      const track = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
      expect(track.status).toBe(200);
      expect(track.body).toMatchObject({ state: 'in_progress', stateLabel: '办理中', receiptDate: '2024-11-11' });
      const text = JSON.stringify(track.body);
      for (const secret of [clerk.id, sup.id, clerk.username, sup.username, '测试dept', '内部', 'assignee', c.id, '钱多多', residentId().slice(0, 17), '13800000000']) {
        expect([secret, text.includes(secret)]).toEqual([secret, false]);
      }
    });

    it('a wrong code and an unknown number answer the same 404', async () => {
      const c = await intake(t, P['dept.clerk'], '2024-11-18');
      const wrong = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', 'ABCDEFGHJKLM');
      const unknown = await t.http().get(`/api/v1/portal/applications/Y2024999999`).set('X-Query-Code', c.queryCode);
      const missing = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`);
      const malformed = await t.http().get(`/api/v1/portal/applications/not-a-number`).set('X-Query-Code', c.queryCode);
      const strip = (b: Record<string, unknown>) => ({ ...b, correlationId: undefined });
      expect(wrong.status).toBe(404);
      for (const r of [unknown, missing, malformed]) {
        expect(r.status).toBe(404);
        expect(strip(r.body)).toEqual(strip(wrong.body));
      }
      expect(wrong.body.message).toMatch(CHINESE);
    });

    it('a correction through the portal only while one is requested; its date is the receipt of the correction', async () => {
      const clerk = P['dept.clerk'];
      const c = await intake(t, clerk, '2024-11-15');
      const url = `/api/v1/portal/applications/${c.trackingNumber}/correction`;
      const early = await t.http().post(url).set('X-Query-Code', c.queryCode).send({ content: '补正内容' });
      expect([early.status, early.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
      const asked = await post(clerk, c.id, 'request-correction', { expectedVersion: c.version, on: '2024-11-18', items: ['请写明文件名称'] });
      expect(asked.status).toBe(200);
      const tracked = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
      expect(tracked.body).toMatchObject({ state: 'awaiting_correction', correctionRequested: { requestedOn: '2024-11-18', items: ['请写明文件名称'] } });
      const wrongCode = await t.http().post(url).set('X-Query-Code', 'WRONGCODE123').send({ content: '补正内容' });
      expect(wrongCode.status).toBe(404);
      const tooLong = await t.http().post(url).set('X-Query-Code', c.queryCode).send({ content: '补'.repeat(5001) });
      expect400(tooLong, 'content');
      const done = await t.http().post(url).set('X-Query-Code', c.queryCode).send({ content: '所需文件为测政发〔2024〕8号' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ state: 'in_progress', stateLabel: '办理中' });
      const now = await get(c.id);
      expect(now.correction).toMatchObject({ receivedOn: TODAY, content: '所需文件为测政发〔2024〕8号' });
      expect(now.deadline.start).toBe(TODAY);
      const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items;
      expect(h[h.length - 1]).toMatchObject({ action: 'record-correction', actor: { id: null, role: 'applicant' }, on: TODAY });
      const again = await t.http().post(url).set('X-Query-Code', c.queryCode).send({ content: '再次补正' });
      expect([again.status, again.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
    });

    it('a portal correction is not refused for a clerk’s step recorded while it was on its way', async () => {
      const clerk = P['dept.clerk'];
      const c = await intake(t, clerk, '2024-11-15');
      const asked = await post(clerk, c.id, 'request-correction', { expectedVersion: c.version, on: '2024-11-18', items: ['请写明文件名称'] });
      expect(asked.status).toBe(200);
      // the portal reads the case, then a supervisor assigns it, then the correction is written
      const repo = t.app.get(CasesRepository);
      const original = repo.findByTrackingNumber.bind(repo);
      const spy = jest.spyOn(repo, 'findByTrackingNumber').mockImplementationOnce(async (...args) => {
        const r = await original(...args);
        const assigned = await post(P['dept.supervisor'], c.id, 'assign', { expectedVersion: r!.version, assigneeId: clerk.id });
        expect(assigned.status).toBe(200);
        return r;
      });
      try {
        const done = await t.http().post(`/api/v1/portal/applications/${c.trackingNumber}/correction`).set('X-Query-Code', c.queryCode).send({ content: '所需文件为测政发〔2024〕9号' });
        expect([done.status, done.body.state]).toEqual([200, 'in_progress']);
      } finally {
        spy.mockRestore();
      }
      expect((await get(c.id)).assigneeId).toBe(clerk.id);
    });

    it(`rate limit: after ${PORTAL_SUBMISSIONS_PER_HOUR} submissions in an hour from one address, 429 with Retry-After`, async () => {
      const address = '192.0.2.77';
      for (let i = 0; i < PORTAL_SUBMISSIONS_PER_HOUR; i++) {
        const r = await portalSubmit(applicationBody({ description: `第${i}次提交的申请` }), address);
        expect([i, r.status]).toEqual([i, 201]);
      }
      const before = await counts();
      const over = await portalSubmit(applicationBody({ description: '超出限制的申请' }), address);
      expect([over.status, over.body.code]).toEqual([429, 'RATE_LIMITED']);
      expect(over.body.message).toMatch(CHINESE);
      const retry = Number(over.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(3600);
      expect(await counts()).toEqual(before);
      // another address is not affected; the window passes
      expect((await portalSubmit(applicationBody(), '192.0.2.78')).status).toBe(201);
      t.clock.advance(retry * 1000);
      expect((await portalSubmit(applicationBody(), address)).status).toBe(201);
      t.clock.set(`${TODAY}T02:00:00Z`);
    });
  });

  // ------------------------------------------------------------------------------------ idempotency

  describe('Idempotency-Key', () => {
    it('POST /cases: the same key and body answer the first answer; another body is 422', async () => {
      const body = { ...applicationBody({ description: '幂等测试：申请获取某文件' }), channel: 'fax', receiptDate: '2024-11-19' };
      const first = await clerkIntake(P['dept.clerk'], body, 'idem-cases-1');
      expect(first.status).toBe(201);
      let before = await counts();
      const again = await clerkIntake(P['dept.clerk'], body, 'idem-cases-1');
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ id: first.body.id, trackingNumber: first.body.trackingNumber, queryCode: first.body.queryCode, version: first.body.version });
      expect(await counts()).toEqual(before);
      // the case moves on; a repeat still answers the first answer's case, as it was
      const assigned = await post(P['dept.supervisor'], first.body.id, 'assign', { expectedVersion: first.body.version, assigneeId: P['dept.clerk'].id });
      expect(assigned.status).toBe(200);
      before = await counts();
      const later = await clerkIntake(P['dept.clerk'], body, 'idem-cases-1');
      expect(later.status).toBe(201);
      const { duplicateHints: _h1, ...firstCase } = first.body;
      const { duplicateHints: _h2, ...laterCase } = later.body;
      expect(laterCase).toEqual(firstCase);
      expect(later.body.assigneeId).toBeNull();
      const other = await clerkIntake(P['dept.clerk'], { ...body, description: '另一份申请' }, 'idem-cases-1');
      expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(other.body.message).toMatch(CHINESE);
      expect(await counts()).toEqual(before);
      // the key belongs to its user: another clerk's same key is a new request
      const mine = await clerkIntake(P['dept.supervisor'], body, 'idem-cases-1');
      expect(mine.status).toBe(201);
      expect(mine.body.id).not.toBe(first.body.id);
      const badKey = await clerkIntake(P['dept.clerk'], body, 'bad key with spaces');
      expect400(badKey, 'Idempotency-Key');
    });

    it('POST /cases: ten at once with one key make one case, and every answer is its case and its query code', async () => {
      const body = { ...applicationBody({ description: '幂等测试：同时提交十次' }), channel: 'fax', receiptDate: '2024-11-19' };
      const before = await counts();
      const answers = await Promise.all(Array.from({ length: 10 }, () => clerkIntake(P['dept.clerk'], body, 'idem-cases-race')));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
      const first = answers[0].body;
      for (const a of answers) expect(a.body).toMatchObject({ id: first.id, trackingNumber: first.trackingNumber, queryCode: first.queryCode, version: first.version });
      expect(await counts()).toEqual({ c: before.c + 1, h: before.h + 1, k: before.k + 1, l: before.l + 1 });
      const rows: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM cases WHERE description = $1`, [body.description]);
      expect(rows[0].n).toBe(1);
      // the code answered is the one stored (the applicant can track with it)
      const tracked = await t.http().get(`/api/v1/portal/applications/${first.trackingNumber}`).set('X-Query-Code', first.queryCode);
      expect(tracked.status).toBe(200);
    });

    it('portal: the same key and body answer the first answer; another body is 422', async () => {
      const body = applicationBody({ description: '幂等测试：网上申请' });
      const first = await portalSubmit(body, '198.51.100.50', 'idem-portal-1');
      expect(first.status).toBe(201);
      const before = await counts();
      const again = await portalSubmit(body, '198.51.100.50', 'idem-portal-1');
      expect([again.status, again.body]).toEqual([201, first.body]);
      expect(await counts()).toEqual(before);
      const other = await portalSubmit({ ...body, description: '不同的内容' }, '198.51.100.50', 'idem-portal-1');
      expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await counts()).toEqual(before);
    });
  });

  // ------------------------------------------------------------------------------------ search and lists

  describe('search, filters, pagination, duplicate hints', () => {
    let A: string;
    let B: string;
    let C: string;

    beforeAll(async () => {
      const clerk = P['dept.clerk'];
      A = (await intake(t, clerk, '2024-11-18', { description: '申请公开麒麟湖公园改造工程的招标文件' }, { name: '王小明' })).id;
      B = (await intake(t, clerk, '2024-11-18', { description: '申请公开道路维修资金使用情况' }, { name: '麒芳' })).id;
      C = (await intake(t, clerk, '2024-11-18', { description: '申请公开湖区水质监测报告' }, { name: '孙丽' })).id;
    });

    it('q with one Chinese character finds by description and by applicant name; two characters narrow it', async () => {
      const clerk = P['dept.clerk'];
      const one = ids(await listAll(clerk, { q: '麒' }));
      expect(one).toEqual(expect.arrayContaining([A, B]));
      expect(one).not.toContain(C);
      const two = ids(await listAll(clerk, { q: '麒麟' }));
      expect(two).toContain(A);
      expect(two).not.toContain(B);
      expect(ids(await listAll(clerk, { q: '小明' }))).toEqual([A]);
      expect(ids(await listAll(clerk, { q: '湖' }))).toEqual(expect.arrayContaining([A, C]));
      expect(ids(await listAll(clerk, { q: '水质监测' }))).toEqual([C]);
      expect(ids(await listAll(clerk, { q: '麒麟湖公园' }))).toEqual([A]);
      expect(await listAll(clerk, { q: '不存在的词语' })).toEqual([]);
      // outside the scope nothing is found
      expect(await listAll(P['other.clerk'], { q: '麒' })).toEqual([]);
    });

    it('filters: state, overdue, dueBefore, agencyId (with sub-agencies), assigneeId, channel, applicantType, outcome, year', async () => {
      const clerk = P['dept.clerk'];
      const sup = P['dept.supervisor'];
      const city = P['city.supervisor'];
      const L1 = await intake(t, clerk, '2024-11-18', { description: '筛选测试一' });
      const asg = await post(sup, L1.id, 'assign', { expectedVersion: L1.version, assigneeId: clerk.id });
      expect(asg.status).toBe(200);
      const l2 = await clerkIntake(clerk, {
        ...applicationBody({ description: '筛选测试二' }, { type: 'commercial', name: '测试科技有限公司', idType: 'uscc', idNumber: uscc('91110108MA01ABCD1') }),
        channel: 'email',
        receiptDate: '2024-11-19',
      });
      expect(l2.status).toBe(201);
      const L2 = l2.body;
      const L3 = await intake(t, clerk, '2023-12-01', { description: '筛选测试三' });
      const conclude = async (outcome: string) => {
        const c = await intake(t, clerk, '2024-11-04', { description: `筛选测试${outcome}` });
        let r = await post(clerk, c.id, 'draft-reply', { expectedVersion: c.version, outcome, reasons: '予以公开' });
        r = await post(sup, c.id, 'approve-reply', { expectedVersion: r.body.version, confidentialityReviewed: true });
        r = await post(clerk, c.id, 'issue-reply', { expectedVersion: r.body.version, on: '2024-11-19' });
        expect(r.body.state).toBe('concluded');
        return r.body;
      };
      const L4 = await conclude('granted');
      const L5 = await conclude('granted.proactive');
      const L6 = await intake(t, P['district.clerk'], '2024-11-18', { description: '筛选测试六' });

      type Item = Record<string, unknown>;
      const check = async (p: Person, query: Record<string, string | number | boolean>, each: (x: Item) => boolean, inc: string[], exc: string[]) => {
        const items = await listAll(p, query);
        expect([query, items.filter((x) => !each(x)).map((x) => x.id)]).toEqual([query, []]);
        expect([query, inc.filter((id) => !ids(items).includes(id))]).toEqual([query, []]);
        expect([query, exc.filter((id) => ids(items).includes(id))]).toEqual([query, []]);
      };
      await check(clerk, { state: 'concluded' }, (x) => x.state === 'concluded', [L4.id, L5.id], [L1.id]);
      await check(clerk, { state: 'in_progress,concluded' }, (x) => ['in_progress', 'concluded'].includes(x.state as string), [L1.id, L4.id], []);
      await check(clerk, { overdue: true }, (x) => x.overdue === true && x.state !== 'concluded', [L3.id], [L1.id, L4.id]);
      await check(clerk, { overdue: false }, (x) => x.overdue === false || x.state === 'concluded', [L1.id], [L3.id]);
      await check(clerk, { dueBefore: '2024-06-30' }, (x) => x.due !== null && (x.due as string) <= '2024-06-30', [L3.id], [L1.id]);
      await check(city, { agencyId: org.city }, (x) => [org.city, org.dept, org.district].includes(x.agencyId as string), [L1.id, L6.id], []);
      await check(city, { agencyId: org.city, includeSubAgencies: false }, (x) => x.agencyId === org.city, [], [L1.id, L6.id]);
      await check(city, { agencyId: org.dept }, (x) => x.agencyId === org.dept, [L1.id], [L6.id]);
      await check(clerk, { assigneeId: clerk.id }, (x) => x.assigneeId === clerk.id, [L1.id], [L2.id]);
      await check(clerk, { channel: 'email' }, (x) => x.channel === 'email', [L2.id], [L1.id]);
      await check(clerk, { applicantType: 'commercial' }, (x) => x.applicantType === 'commercial', [L2.id], [L1.id]);
      await check(clerk, { outcome: 'granted' }, (x) => x.outcome === 'granted' || x.outcome === 'granted.proactive', [L4.id, L5.id], [L1.id]);
      await check(clerk, { outcome: 'granted.proactive' }, (x) => x.outcome === 'granted.proactive', [L5.id], [L4.id]);
      await check(clerk, { year: 2023 }, (x) => (x.receiptDate as string).startsWith('2023'), [L3.id], [L1.id]);
      const badEnum = await t.http().get('/api/v1/cases').query({ state: 'lost' }).set(bearer(clerk));
      expect400(badEnum, 'state');
      const badDate = await t.http().get('/api/v1/cases').query({ dueBefore: '2024-13-01' }).set(bearer(clerk));
      expect400(badDate, 'dueBefore');
    });

    it('cursor pagination: every case once, newest first, no gaps', async () => {
      const clerk = P['district.clerk'];
      await Promise.all(Array.from({ length: 23 }, (_, i) => intake(t, clerk, '2024-11-18', { description: `分页测试第${i}件` })));
      const all: { id: string }[] = await t.ds.query(`SELECT id FROM cases WHERE agency_id = $1 ORDER BY seq DESC`, [org.district]);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: { status: number; body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await t
          .http()
          .get('/api/v1/cases')
          .query({ limit: 5, ...(cursor ? { cursor } : {}) })
          .set(bearer(clerk));
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...ids(r.body.items));
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(all.map((x) => x.id));
      expect(pages).toBe(Math.ceil(all.length / 5));
    });

    it('duplicate hints: the same applicant’s second application (another spelling of the name)', async () => {
      const id = residentId('32010219900101123');
      const first = await intake(t, P['dept.clerk'], '2024-11-05', { description: '申请公开2024年老旧小区改造计划' }, { name: '周杰', idNumber: id });
      expect(first.duplicateHints).toEqual({ earlier: [], countThisMonth: 1 });
      const second = await intake(t, P['dept.clerk'], '2024-11-19', { description: '申请公开2024年老旧小区改造计划及资金' }, { name: ' 周 杰 ', idNumber: id.toLowerCase() });
      const hints = second.duplicateHints as { earlier: { id: string; similarity: number }[]; countThisMonth: number };
      expect(hints.countThisMonth).toBe(2);
      expect(hints.earlier.map((x) => x.id)).toEqual([first.id]);
      expect(hints.earlier[0].similarity).toBeGreaterThan(0.3);
    });

    it('duplicate hints name only the agency’s own cases: another agency’s clerk learns nothing of them', async () => {
      const id = residentId('32010219910202123');
      const atDept = await intake(t, P['dept.clerk'], '2024-11-06', { description: '申请公开某路段拓宽工程的征收补偿方案' }, { name: '钱多', idNumber: id });
      expect(atDept.duplicateHints).toEqual({ earlier: [], countThisMonth: 1 });
      // the same person, the same request, at another agency (and at the department's parent): no hint, no count
      for (const who of ['other.clerk', 'city.clerk']) {
        const elsewhere = await intake(t, P[who], '2024-11-07', { description: '申请公开某路段拓宽工程的征收补偿方案' }, { name: '钱多', idNumber: id });
        expect([who, elsewhere.duplicateHints]).toEqual([who, { earlier: [], countThisMonth: 1 }]);
      }
      const again = await intake(t, P['dept.clerk'], '2024-11-08', { description: '申请公开某路段拓宽工程的征收补偿方案' }, { name: '钱多', idNumber: id });
      const hints = again.duplicateHints as { earlier: { id: string }[]; countThisMonth: number };
      expect(hints.earlier.map((x) => x.id)).toEqual([atDept.id]);
      expect(hints.countThisMonth).toBe(2);
    });
  });
});
