/**
 * Art 44 candidates over HTTP: three applicants asked the agency for the same information in different words and it
 * was disclosed; near misses (another document on the same theme, another year, a refusal, another agency) stay apart.
 */
import { intake, residentId } from './support/cases';
import { ReportDb } from '../src/reports/report-db';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(180_000);

describe('GET /api/v1/reports/proactive-candidates (Art 44)', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  const ids: Record<string, string> = {};

  const person = (n: number) => ({ type: 'natural_person', name: `申请人${n}`, idType: 'resident_id', idNumber: residentId(`1101051990010${String(100 + n).slice(-3)}1`) });

  async function act(p: Person, id: string, action: string, body: Record<string, unknown>) {
    const cur = await t.http().get(`/api/v1/cases/${id}`).set(bearer(p));
    const r = await t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send({ expectedVersion: cur.body.version, ...body });
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  async function disclosed(key: string, agency: 'dept' | 'city', applicant: number, description: string, outcome: string, on: string, documentNumber?: string) {
    const c = await intake(t, P[`${agency}.clerk`], '2024-03-01', { description, ...(documentNumber ? { documentNumber } : {}) }, person(applicant));
    ids[key] = c.id;
    const details =
      outcome === 'granted'
        ? { reasons: '现予公开' }
        : outcome === 'partial'
          ? { withheldParts: ['个人信息'], grounds: ['withheld.third_party'], reasons: '其余公开' }
          : { withheldParts: ['全部'], grounds: [outcome], reasons: '不予公开' };
    await act(P[`${agency}.clerk`], c.id, 'draft-reply', { outcome, ...details });
    await act(P[`${agency}.supervisor`], c.id, 'approve-reply', { confidentialityReviewed: true });
    await act(P[`${agency}.clerk`], c.id, 'issue-reply', { on });
  }

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-06-03T02:00:00Z' });
    org = await seedOrg(t);
    P = org.people;
    // the same information, three applicants, different words (one asked twice)
    await disclosed('road1', 'dept', 1, '申请公开2023年本市城市道路维修资金使用情况', 'granted', '2024-03-20');
    await disclosed('road2', 'dept', 2, '请提供2023年度城市道路维修资金的使用明细', 'partial', '2024-03-22');
    await disclosed('road3', 'dept', 3, '我想了解2023年城市道路维修经费的使用情况。', 'granted', '2024-03-25');
    await disclosed('road1again', 'dept', 1, '再次申请2023年城市道路维修资金使用情况', 'granted', '2024-03-26');
    // near misses
    await disclosed('green', 'dept', 4, '申请公开2023年本市城市绿化资金使用情况', 'granted', '2024-03-21');
    await disclosed('road2024', 'dept', 5, '申请公开2024年本市城市道路维修资金使用情况', 'granted', '2024-03-21');
    await disclosed('roadRefused', 'dept', 6, '申请获取2023年城市道路维修资金使用情况', 'withheld.process_info', '2024-03-21');
    await disclosed('roadCity', 'city', 7, '申请公开2023年城市道路维修资金使用情况', 'granted', '2024-03-21');
    // one document by its number, two applicants
    await disclosed('notice1', 'dept', 8, '请提供该通知全文', 'granted', '2024-04-01', '测教发〔2023〕12号');
    await disclosed('notice2', 'dept', 9, '申请公开关于印发校园安全实施方案的通知', 'granted', '2024-04-02', '测教发[2023]12号');
  });
  afterAll(async () => t?.close());

  const get = (p: Person, q: string) => t.http().get(`/api/v1/reports/proactive-candidates?${q}`).set(bearer(p));

  it('lists the information three applicants asked for and received, with its cases', async () => {
    const r = await get(P['dept.supervisor'], '');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agency: { id: org.dept, name: '测试市教育局' }, from: '2024-01-01', to: '2024-06-03', min: 3, truncated: false, casesConsidered: 8 });
    expect(r.body.definition).toContain('第四十四条');
    expect(r.body.groups).toHaveLength(1);
    const g = r.body.groups[0];
    expect(g).toMatchObject({ description: '申请公开2023年本市城市道路维修资金使用情况', applicants: 3, cases: 4, documentNumber: null });
    expect(g.items.map((i: { id: string }) => i.id).sort()).toEqual([ids.road1, ids.road2, ids.road3, ids.road1again].sort());
    expect(g.items[0]).toEqual({ id: ids.road1, trackingNumber: expect.any(String), agencyId: org.dept, description: '申请公开2023年本市城市道路维修资金使用情况', documentNumber: null, outcome: 'granted', concludedOn: '2024-03-20' });
    // no applicant's identity in the answer
    expect(JSON.stringify(r.body)).not.toMatch(/申请人\d|110105/);
  });

  it('with min=2 also the document two applicants asked for by its number; the near misses stay alone', async () => {
    const r = await get(P['dept.auditor'], 'min=2');
    expect(r.body.groups.map((g: { applicants: number; cases: number }) => [g.applicants, g.cases])).toEqual([[3, 4], [2, 2]]);
    expect(r.body.groups[1].documentNumber).toBe('测教发〔2023〕12号');
    const grouped = r.body.groups.flatMap((g: { items: { id: string }[] }) => g.items.map((i) => i.id));
    for (const k of ['green', 'road2024', 'roadRefused', 'roadCity']) expect(grouped).not.toContain(ids[k]);
  });

  it('with the sub-agencies of the city, the city office’s own request joins the group', async () => {
    const r = await get(P['city.supervisor'], `agencyId=${org.city}&includeSubAgencies=true`);
    expect(r.body.groups).toHaveLength(1);
    expect(r.body.groups[0]).toMatchObject({ applicants: 4, cases: 5 });
    const own = await get(P['city.supervisor'], `agencyId=${org.city}`);
    expect(own.body.groups).toEqual([]);
  });

  it('counts replies in the period only', async () => {
    const r = await get(P['dept.supervisor'], 'from=2024-03-21&to=2024-03-31');
    expect(r.body.groups[0]).toMatchObject({ applicants: 3, cases: 3 });
    const none = await get(P['dept.supervisor'], 'from=2024-05-01&to=2024-05-31');
    expect(none.body).toMatchObject({ casesConsidered: 0, groups: [] });
  });

  it('reads from DATABASE_REPLICA_URL when it is set (here the same database through the reports pool)', async () => {
    const replica = await createTestApp({ databaseUrl: t.databaseUrl, env: { DATABASE_REPLICA_URL: t.databaseUrl }, now: '2024-06-03T02:00:00Z' });
    try {
      expect(replica.app.get(ReportDb).usesReplica).toBe(true);
      expect(t.app.get(ReportDb).usesReplica).toBe(false);
      const viaReplica = await replica.http().get('/api/v1/reports/proactive-candidates?min=2').set(bearer(P['dept.supervisor']));
      const viaPrimary = await get(P['dept.supervisor'], 'min=2');
      expect(viaReplica.status).toBe(200);
      expect(viaReplica.body).toEqual(viaPrimary.body);
      const annual = await replica.http().get('/api/v1/reports/annual?year=2024').set(bearer(P['dept.supervisor']));
      expect(annual.status).toBe(200);
      expect(annual.body.applications.rows.new.total).toBe(9); // the nine dept cases above, received 2024-03-01
      const db = new URL(t.databaseUrl).pathname.slice(1);
      const pools = await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gov-info-disclosure-reports'`, [db]);
      expect(pools[0].n).toBeGreaterThan(0);
    } finally {
      await replica.app.close();
    }
  });

  it.each([
    ['dept.clerk', '', 403, 'FORBIDDEN', null],
    ['admin', '', 403, 'FORBIDDEN', null],
    ['dept.supervisor', 'agencyId=CITY', 403, 'FORBIDDEN', null],
    ['city.supervisor', 'agencyId=00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND', null],
    ['dept.supervisor', 'from=2024-05-01&to=2024-04-01', 400, 'VALIDATION_FAILED', 'from'],
    ['dept.supervisor', 'from=2024-02-30', 400, 'VALIDATION_FAILED', 'from'],
    ['dept.supervisor', 'to=tomorrow', 400, 'VALIDATION_FAILED', 'to'],
    ['dept.supervisor', 'min=1', 400, 'VALIDATION_FAILED', 'min'],
    ['dept.supervisor', 'min=three', 400, 'VALIDATION_FAILED', 'min'],
    ['dept.supervisor', 'agencyId=x', 400, 'VALIDATION_FAILED', 'agencyId'],
    ['dept.supervisor', 'q=road', 400, 'VALIDATION_FAILED', 'q'],
  ])('%s ?%s → %i %s', async (who, query, status, code, field) => {
    const r = await get(P[who], query.replace('CITY', org.city));
    expect(r.status).toBe(status);
    expect(r.body.code).toBe(code);
    if (field) expect(r.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});
