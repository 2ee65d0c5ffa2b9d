/**
 * The national annual report over HTTP: a hand-built fixture of cases over 2020–2022 (every outcome, every
 * applicant type, reviews of every kind and result), driven through the real actions, and its tables written out
 * by hand below (not computed by the code under test). Then downloads, publication, scope and bad input.
 */
import ExcelJS from 'exceljs';
import { applicationBody, intake, residentId } from './support/cases';
import { bearer, createTestApp, relogin, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(240_000);

type Col = 'natural_person' | 'commercial' | 'research' | 'public_interest' | 'legal_service' | 'other_org';
const COLS: Col[] = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org'];

/** A table-三 row written as [np, com, res, pi, ls, oo]; the total is added. */
function row(...v: number[]): Record<string, number> {
  const r: Record<string, number> = {};
  COLS.forEach((c, i) => (r[c] = v[i] ?? 0));
  r.total = v.reduce((s, x) => s + x, 0);
  return r;
}
const Z = row();

const ROWS_2021 = [
  'new', 'carried_in', 'granted', 'partial',
  'withheld.state_secret', 'withheld.law_prohibited', 'withheld.security_stability', 'withheld.third_party', 'withheld.internal_affairs', 'withheld.process_info', 'withheld.enforcement_file', 'withheld.administrative_query',
  'unavailable.not_held', 'unavailable.needs_creation', 'unavailable.still_unclear',
  'rejected.petition', 'rejected.duplicate', 'rejected.publication', 'rejected.vexatious', 'rejected.confirmation',
  'other.correction_lapsed', 'other.fee_unpaid', 'other.other', 'concluded_total', 'carried_out',
];
const ROWS_2019 = ROWS_2021.filter((r) => !r.startsWith('other.')).flatMap((r) => (r === 'concluded_total' ? ['other', r] : [r]));

/** Every row zero except those given. */
function table(rows: string[], given: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  return Object.fromEntries(rows.map((r) => [r, given[r] ?? Z]));
}
const t4 = (upheld = 0, corrected = 0, other = 0, pending = 0) => ({ upheld, corrected, other, pending, total: upheld + corrected + other + pending });

const APPLICANTS: Record<Col, Record<string, unknown>> = {
  natural_person: { type: 'natural_person', name: '张三', idType: 'resident_id', idNumber: residentId() },
  commercial: { type: 'commercial', name: '某建设有限公司', idType: 'other_org', idNumber: 'ORG-0001' },
  research: { type: 'research', name: '某研究院', idType: 'other_org', idNumber: 'ORG-0002' },
  public_interest: { type: 'public_interest', name: '某公益基金会', idType: 'other_org', idNumber: 'ORG-0003' },
  legal_service: { type: 'legal_service', name: '某律师事务所', idType: 'other_org', idNumber: 'ORG-0004' },
  other_org: { type: 'other_org', name: '某村民委员会', idType: 'other_org', idNumber: 'ORG-0005' },
};

const DETAILS: Record<string, Record<string, unknown>> = {
  granted: { reasons: '经查，现予公开' },
  'granted.proactive': { reasons: '该信息已在本机关门户网站主动公开' },
  partial: { withheldParts: ['涉及第三方商业秘密的部分'], grounds: ['withheld.third_party'], reasons: '其余部分予以公开' },
  'rejected.petition': { reasons: '请向信访部门反映' },
  'rejected.duplicate': { earlierReply: { beforeSystem: true, documentNumber: '测教公开〔2020〕1号', date: '2020-05-06' } },
  'rejected.publication': { reasons: '可至新华书店购买' },
  'rejected.vexatious': { reasons: '所说明的理由不合理' },
  'rejected.confirmation': {},
  'other.other': { reasons: '申请人已通过诉讼程序获取' },
};
const detailsOf = (outcome: string): Record<string, unknown> =>
  DETAILS[outcome] ?? (outcome.startsWith('withheld.') ? { withheldParts: ['全部内容'], grounds: [outcome], reasons: '依法不予公开' } : { reasons: '经查' });

describe('annual report (国办公开办函〔2021〕30号 / 〔2019〕60号)', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  const ids: Record<string, string> = {};

  const get = (p: Person, query: string) => t.http().get(`/api/v1/reports/annual?${query}`).set(bearer(p));

  async function act(p: Person, id: string, action: string, body: Record<string, unknown>) {
    const cur = await t.http().get(`/api/v1/cases/${id}`).set(bearer(p));
    const r = await t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send({ expectedVersion: cur.body.version, ...body });
    return r;
  }
  async function ok(p: Person, id: string, action: string, body: Record<string, unknown>) {
    const r = await act(p, id, action, body);
    if (r.status !== 200 && r.status !== 201) throw new Error(`${action} on ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function newCase(agency: 'dept' | 'city', type: Col, receiptDate: string): Promise<string> {
    const c = await intake(t, P[`${agency}.clerk`], receiptDate, {}, APPLICANTS[type]);
    return c.id;
  }
  /** draft, approve and issue a reply of `outcome` dated `on` (no `on`: today) */
  async function reply(agency: 'dept' | 'city', id: string, outcome: string, on?: string) {
    const clerk = P[`${agency}.clerk`];
    let r = await act(clerk, id, 'draft-reply', { outcome, ...detailsOf(outcome) });
    if (r.status === 409 && r.body.code === 'REASONS_NOT_ESTABLISHED') {
      // Art 35: the applicant was asked for reasons and they were found unreasonable
      await ok(clerk, id, 'request-reasons', { on: '2021-01-05', items: ['请说明申请的理由'] });
      await ok(clerk, id, 'record-reasons', { on: '2021-01-20', content: '未说明理由', reasonable: false });
      r = await act(clerk, id, 'draft-reply', { outcome, ...detailsOf(outcome) });
    }
    if (r.status !== 200) throw new Error(`draft-reply ${outcome}: ${r.status} ${JSON.stringify(r.body)}`);
    await ok(P[`${agency}.supervisor`], id, 'approve-reply', { confidentialityReviewed: true });
    await ok(clerk, id, 'issue-reply', on ? { on } : {});
  }
  async function concluded(agency: 'dept' | 'city', type: Col, receiptDate: string, outcome: string, on: string): Promise<string> {
    const id = await newCase(agency, type, receiptDate);
    await reply(agency, id, outcome, on);
    return id;
  }
  /** record-payment with the amount paid (older builds take no amount: then without) */
  async function pay(id: string, on: string, receiptNumber: string, amount: number) {
    const r = await act(P['dept.clerk'], id, 'record-payment', { on, receiptNumber, amount });
    if (r.status === 400 && r.body.details?.fields?.some((f: { field: string }) => f.field === 'amount')) return ok(P['dept.clerk'], id, 'record-payment', { on, receiptNumber });
    if (r.status !== 200) throw new Error(`record-payment: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function review(id: string, body: Record<string, unknown>) {
    return ok(P['dept.clerk'], id, 'record-review', body);
  }

  beforeAll(async () => {
    // 23:30 on 31 December 2021 in Shanghai
    t = await createTestApp({ now: '2021-12-31T15:30:00Z' });
    org = await seedOrg(t);
    P = org.people;
    // Z: a reply issued at 23:30 on 31 December (no `on`: the day in Shanghai) belongs to 2021
    ids.Z = await newCase('dept', 'natural_person', '2021-12-20');
    await reply('dept', ids.Z, 'granted');

    t.clock.set('2023-02-01T02:00:00Z');
    for (const k of Object.keys(P)) P[k] = await relogin(t, P[k]);
    const clerk = P['dept.clerk'];

    // ---- 2020 (the 2019 format)
    ids.A1 = await concluded('dept', 'natural_person', '2020-03-02', 'granted', '2020-03-20');
    ids.A2 = await concluded('dept', 'commercial', '2020-04-01', 'granted.proactive', '2020-04-10');
    ids.A3 = await concluded('dept', 'research', '2020-05-06', 'partial', '2020-05-20');
    ids.A4 = await newCase('dept', 'public_interest', '2020-06-01');
    await ok(clerk, ids.A4, 'request-correction', { on: '2020-06-02', items: ['请写明所需信息的名称'], periodDays: 5 });
    await ok(clerk, ids.A4, 'conclude-lapsed', { on: '2020-06-30', reason: 'correction' });
    ids.A5 = await newCase('dept', 'legal_service', '2020-07-01');
    await ok(clerk, ids.A5, 'withdraw', { on: '2020-07-05', reason: '申请人撤回' });
    ids.A6 = await newCase('dept', 'other_org', '2020-11-02');
    await ok(clerk, ids.A6, 'notify-fee', { on: '2020-11-03', tariff: 'per_page', pages: 150 });
    await pay(ids.A6, '2020-11-10', 'JK-2020-0001', 1700);
    await reply('dept', ids.A6, 'granted', '2021-01-15');
    ids.A7 = await concluded('dept', 'natural_person', '2020-12-28', 'unavailable.not_held', '2021-01-08');
    ids.A8 = await newCase('dept', 'commercial', '2020-12-30');
    await ok(clerk, ids.A8, 'notify-fee', { on: '2020-12-31', tariff: 'per_page', pages: 40 });
    await ok(clerk, ids.A8, 'conclude-lapsed', { on: '2021-03-01', reason: 'fee' });
    await review(ids.A1, { kind: 'reconsideration', filedOn: '2020-04-15', result: 'upheld', concludedOn: '2020-06-01' });
    // decided in 2021: still pending on 31 December 2020
    await review(ids.A3, { kind: 'litigation_direct', filedOn: '2020-06-10', result: 'corrected', concludedOn: '2021-02-01' });

    // ---- 2021: every outcome of the catalogue
    const outcomes2021: [string, Col, string][] = [
      ['B1', 'natural_person', 'withheld.state_secret'],
      ['B2', 'natural_person', 'withheld.law_prohibited'],
      ['B3', 'commercial', 'withheld.security_stability'],
      ['B4', 'research', 'withheld.third_party'],
      ['B5', 'public_interest', 'withheld.internal_affairs'],
      ['B6', 'legal_service', 'withheld.process_info'],
      ['B7', 'other_org', 'withheld.enforcement_file'],
      ['B8', 'natural_person', 'withheld.administrative_query'],
      ['B9', 'commercial', 'unavailable.needs_creation'],
      ['B10', 'research', 'unavailable.still_unclear'],
      ['B11', 'public_interest', 'rejected.petition'],
      ['B12', 'legal_service', 'rejected.duplicate'],
      ['B13', 'other_org', 'rejected.publication'],
      ['B14', 'natural_person', 'rejected.vexatious'],
      ['B15', 'commercial', 'rejected.confirmation'],
      ['B18', 'other_org', 'other.other'],
    ];
    for (const [k, type, outcome] of outcomes2021) ids[k] = await concluded('dept', type, '2021-01-04', outcome, '2021-02-01');
    ids.B16 = await newCase('dept', 'research', '2021-03-01');
    await ok(clerk, ids.B16, 'request-correction', { on: '2021-03-02', items: ['请写明所需信息的名称'], periodDays: 5 });
    await ok(clerk, ids.B16, 'conclude-lapsed', { on: '2021-03-22', reason: 'correction' });
    ids.B17 = await newCase('dept', 'natural_person', '2021-03-01');
    await ok(clerk, ids.B17, 'withdraw', { on: '2021-03-03', reason: '申请人撤回' });
    // received on the last day of 2021, concluded in 2022
    ids.B19 = await concluded('dept', 'natural_person', '2021-12-31', 'partial', '2022-01-05');
    // reviews of 2021; B4's corrected reconsideration reopens it as a new case received 2021-04-06
    await review(ids.B4, { kind: 'reconsideration', filedOn: '2021-03-01', result: 'corrected', concludedOn: '2021-04-01', decisionReceivedOn: '2021-04-05' });
    await ok(P['dept.supervisor'], ids.B4, 'reopen', { on: '2021-04-06' });
    const r1: { id: string }[] = await t.ds.query(`SELECT id FROM cases WHERE reopened_from = $1`, [ids.B4]);
    ids.R1 = r1[0].id;
    await reply('dept', ids.R1, 'granted', '2021-05-06');
    await review(ids.B2, { kind: 'litigation_after_reconsideration', filedOn: '2021-05-10', result: 'other', concludedOn: '2021-09-01' });
    await review(ids.B3, { kind: 'reconsideration', filedOn: '2021-11-01' });
    await review(ids.B1, { kind: 'litigation_direct', filedOn: '2021-12-01', result: 'upheld', concludedOn: '2022-01-10' });

    // ---- 2022, with one case at the city office (the parent of dept)
    ids.C1 = await newCase('dept', 'natural_person', '2022-03-01');
    await ok(clerk, ids.C1, 'notify-fee', { on: '2022-03-02', tariff: 'per_page', pages: 31 });
    await pay(ids.C1, '2022-03-03', 'JK-2022-0001', 10);
    await reply('dept', ids.C1, 'granted', '2022-03-10');
    ids.C2 = await concluded('city', 'commercial', '2022-04-01', 'partial', '2022-04-20');
    ids.C3 = await newCase('dept', 'natural_person', '2022-12-15');
    ids.C4 = await newCase('dept', 'legal_service', '2022-06-01');
    await ok(clerk, ids.C4, 'withdraw', { on: '2022-06-02', reason: '申请人撤回' });
    await review(ids.C1, { kind: 'reconsideration', filedOn: '2022-05-01', result: 'upheld', concludedOn: '2022-06-01' });
    // portal submissions never confirmed, or discarded, are no cases of any report
    for (const discard of [false, true]) {
      const r = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.9').send(applicationBody({ agencyId: org.dept }));
      expect(r.status).toBe(201);
      if (discard) {
        const [c] = await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]);
        await ok(clerk, c.id, 'discard', { reason: '重复提交' });
      }
    }
  });
  afterAll(async () => t?.close());

  const EXPECTED_2020 = table(ROWS_2019, {
    new: row(2, 2, 1, 1, 1, 1),
    granted: row(1, 1),
    partial: row(0, 0, 1),
    other: row(0, 0, 0, 1, 1),
    concluded_total: row(1, 1, 1, 1, 1),
    carried_out: row(1, 1, 0, 0, 0, 1),
  });
  const EXPECTED_2021 = table(ROWS_2021, {
    new: row(7, 3, 4, 2, 2, 3),
    carried_in: row(1, 1, 0, 0, 0, 1),
    granted: row(1, 0, 1, 0, 0, 1),
    'withheld.state_secret': row(1),
    'withheld.law_prohibited': row(1),
    'withheld.security_stability': row(0, 1),
    'withheld.third_party': row(0, 0, 1),
    'withheld.internal_affairs': row(0, 0, 0, 1),
    'withheld.process_info': row(0, 0, 0, 0, 1),
    'withheld.enforcement_file': row(0, 0, 0, 0, 0, 1),
    'withheld.administrative_query': row(1),
    'unavailable.not_held': row(1),
    'unavailable.needs_creation': row(0, 1),
    'unavailable.still_unclear': row(0, 0, 1),
    'rejected.petition': row(0, 0, 0, 1),
    'rejected.duplicate': row(0, 0, 0, 0, 1),
    'rejected.publication': row(0, 0, 0, 0, 0, 1),
    'rejected.vexatious': row(1),
    'rejected.confirmation': row(0, 1),
    'other.correction_lapsed': row(0, 0, 1),
    'other.fee_unpaid': row(0, 1),
    'other.other': row(1, 0, 0, 0, 0, 1),
    concluded_total: row(7, 4, 4, 2, 2, 4),
    carried_out: row(1),
  });
  const EXPECTED_2022_DEPT = table(ROWS_2021, {
    new: row(2, 0, 0, 0, 1),
    carried_in: row(1),
    granted: row(1),
    partial: row(1),
    'other.other': row(0, 0, 0, 0, 1),
    concluded_total: row(2, 0, 0, 0, 1),
    carried_out: row(1),
  });
  const ALL_TRUE = { balanced: true, rowTotals: true, resultTotal: true, carriedOver: true, reviewTotals: true };

  it('2020 in the 2019 format: （六）其他处理 is one row; lapses and withdrawals count there', async () => {
    const r = await get(P['dept.supervisor'], 'year=2020');
    expect(r.status).toBe(200);
    expect(r.body.format).toBe('国办公开办函〔2019〕60号');
    expect(r.body.agency).toEqual({ id: org.dept, name: '测试市教育局' });
    expect(r.body.includeSubAgencies).toBe(false);
    expect(r.body.applications.columns).toEqual([...COLS, 'total']);
    expect(Object.keys(r.body.applications.rows)).toEqual(ROWS_2019);
    expect(r.body.applications.rows).toEqual(EXPECTED_2020);
    expect(r.body.reviews).toEqual({ reconsideration: t4(1), litigation_direct: t4(0, 0, 0, 1), litigation_after_reconsideration: t4() });
    expect(r.body.fees).toEqual({ casesCharged: 2, amountCharged: 1800, casesPaid: 1, amountCollected: 1700 });
    expect(r.body.checks).toEqual(ALL_TRUE);
    expect(r.body.checkProblems).toEqual([]);
    expect(r.body.publication).toBeNull();
  });

  it('2021: every outcome in its row, the reopened case new in the year, the 23:30 reply of 31 December in the year', async () => {
    const r = await get(P['dept.auditor'], 'year=2021');
    expect(r.status).toBe(200);
    expect(r.body.format).toBe('国办公开办函〔2021〕30号');
    expect(Object.keys(r.body.applications.rows)).toEqual(ROWS_2021);
    expect(r.body.applications.rows).toEqual(EXPECTED_2021);
    expect(r.body.reviews).toEqual({ reconsideration: t4(0, 1, 0, 1), litigation_direct: t4(0, 0, 0, 1), litigation_after_reconsideration: t4(0, 0, 1, 0) });
    expect(r.body.fees).toEqual({ casesCharged: 0, amountCharged: 0, casesPaid: 0, amountCollected: 0 });
    expect(r.body.checks).toEqual(ALL_TRUE);
    const z = await t.ds.query(`SELECT concluded_on::text AS d FROM cases WHERE id = $1`, [ids.Z]);
    expect(z[0].d).toBe('2021-12-31');
  });

  it('2022: a case received on 31 December and concluded in January is carried over; portal submissions not confirmed are not counted', async () => {
    const r = await get(P['dept.supervisor'], 'year=2022');
    expect(r.body.applications.rows).toEqual(EXPECTED_2022_DEPT);
    expect(r.body.reviews).toEqual({ reconsideration: t4(1), litigation_direct: t4(), litigation_after_reconsideration: t4() });
    expect(r.body.fees).toEqual({ casesCharged: 1, amountCharged: 10, casesPaid: 1, amountCollected: 10 });
    expect(r.body.checks).toEqual(ALL_TRUE);
  });

  it('the city with its sub-agencies sums the agencies; the city alone counts its own cases', async () => {
    const all = await get(P['city.supervisor'], `year=2022&agencyId=${org.city}&includeSubAgencies=true`);
    expect(all.status).toBe(200);
    expect(all.body.includeSubAgencies).toBe(true);
    const own = await get(P['city.supervisor'], `year=2022&agencyId=${org.city}`);
    expect(own.body.applications.rows).toEqual(table(ROWS_2021, { new: row(0, 1), partial: row(0, 1), concluded_total: row(0, 1) }));
    const dept = await get(P['city.auditor'], `year=2022&agencyId=${org.dept}`);
    const district = await get(P['city.auditor'], `year=2022&agencyId=${org.district}`);
    for (const rowCode of ROWS_2021) {
      for (const c of [...COLS, 'total']) {
        expect(all.body.applications.rows[rowCode][c]).toBe(own.body.applications.rows[rowCode][c] + dept.body.applications.rows[rowCode][c] + district.body.applications.rows[rowCode][c]);
      }
    }
    expect(all.body.applications.rows.partial).toEqual(row(1, 1));
    expect(all.body.checks).toEqual(ALL_TRUE);
  });

  it('carried out of each year is carried in of the next', async () => {
    const years = await Promise.all([2020, 2021, 2022].map((y) => get(P['dept.supervisor'], `year=${y}`)));
    expect(years[0].body.applications.rows.carried_out).toEqual(years[1].body.applications.rows.carried_in);
    expect(years[1].body.applications.rows.carried_out).toEqual(years[2].body.applications.rows.carried_in);
  });

  describe('downloads', () => {
    /** A small RFC 4180 reader: quoted fields with doubled quotes, CRLF lines. */
    function parseCsv(text: string): string[][] {
      const out: string[][] = [];
      let rowCells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') {
            cell += '"';
            i++;
          }
          else if (ch === '"') quoted = false;
          else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          rowCells.push(cell);
          cell = '';
        }
        else if (ch === '\r') continue;
        else if (ch === '\n') {
          rowCells.push(cell);
          out.push(rowCells);
          rowCells = [];
          cell = '';
        }
        else cell += ch;
      }
      if (cell || rowCells.length) out.push([...rowCells, cell]);
      return out;
    }

    async function xlsxOf(query: string, headers: Record<string, string> = {}) {
      const r = await get(P['dept.supervisor'], query).set(headers).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.body as never); // exceljs types its Buffer narrower than Node 22's
      return wb;
    }

    it('CSV (by ?format= and by Accept) round-trips to the JSON tables', async () => {
      const json = (await get(P['dept.supervisor'], 'year=2021')).body;
      const byFormat = await get(P['dept.supervisor'], 'year=2021&format=csv');
      const byAccept = await get(P['dept.supervisor'], 'year=2021').set('Accept', 'text/csv');
      for (const r of [byFormat, byAccept]) {
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toMatch(/^text\/csv/);
        expect(r.headers['content-disposition']).toMatch(/^attachment; /);
      }
      expect(byAccept.text).toBe(byFormat.text);
      expect(byFormat.text.charCodeAt(0)).toBe(0xfeff);
      const lines = parseCsv(byFormat.text.slice(1));
      expect(lines[0][0]).toBe('测试市教育局2021年政府信息公开工作年度报告');
      expect(lines[2]).toEqual(['代码', '项目', '', '', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
      const rows: Record<string, Record<string, number>> = {};
      const reviews: Record<string, Record<string, number>> = {};
      const fees: Record<string, number> = {};
      for (const l of lines) {
        if (ROWS_2021.includes(l[0])) rows[l[0]] = Object.fromEntries([...COLS, 'total'].map((c, i) => [c, Number(l[4 + i])]));
        if (['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'].includes(l[0])) reviews[l[0]] = Object.fromEntries(['upheld', 'corrected', 'other', 'pending', 'total'].map((c, i) => [c, Number(l[2 + i])]));
        if (['casesCharged', 'amountCharged', 'casesPaid', 'amountCollected'].includes(l[0])) fees[l[0]] = Number(l[2]);
      }
      expect(Object.keys(rows)).toEqual(ROWS_2021);
      expect(rows).toEqual(json.applications.rows);
      expect(reviews).toEqual(json.reviews);
      expect(fees).toEqual(json.fees);
      // the label hierarchy of a result row
      expect(lines.find((l) => l[0] === 'withheld.third_party')!.slice(1, 4)).toEqual(['三、本年度办理结果', '（三）不予公开', '4.保护第三方合法权益']);
    });

    it('XLSX of 2021: the national layout, labels in order, figures in their cells, the merged cells', async () => {
      const wb = await xlsxOf('year=2021&format=xlsx');
      const ws = wb.worksheets[0];
      expect(ws.getCell('A1').value).toBe('三、收到和处理政府信息公开申请情况');
      expect(ws.getCell('A2').value).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
      expect(ws.getCell('D2').value).toBe('申请人情况');
      expect(ws.getCell('D3').value).toBe('自然人');
      expect(ws.getCell('E3').value).toBe('法人或其他组织');
      expect(['E4', 'F4', 'G4', 'H4', 'I4'].map((a) => ws.getCell(a).value)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
      expect(ws.getCell('J3').value).toBe('总计');
      // the label column as printed: the deepest label of every row, rows 5–29
      const printed = Array.from({ length: 25 }, (_, i) => {
        const r = 5 + i;
        return ws.getCell(r, 3).text || ws.getCell(r, 2).text || ws.getCell(r, 1).text;
      });
      expect(printed).toEqual([
        '一、本年新收政府信息公开申请数量', '二、上年结转政府信息公开申请数量', '（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
        '1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益', '5.属于三类内部事务信息', '6.属于四类过程性信息', '7.属于行政执法案卷', '8.属于行政查询事项',
        '1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确',
        '1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息',
        '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '3.其他',
        '（七）总计', '四、结转下年度继续办理',
      ]);
      expect(ws.getCell('A7').value).toBe('三、本年度办理结果');
      expect(ws.getCell('B9').value).toBe('（三）不予公开');
      expect(ws.getCell('B17').value).toBe('（四）无法提供');
      expect(ws.getCell('B20').value).toBe('（五）不予处理');
      expect(ws.getCell('B25').value).toBe('（六）其他处理');
      // figures: row 5 = new [7,3,4,2,2,3 | 21], row 28 = （七）总计, row 29 = carried out
      const figures = (r: number) => Array.from({ length: 7 }, (_, i) => ws.getCell(r, 4 + i).value);
      expect(figures(5)).toEqual([7, 3, 4, 2, 2, 3, 21]);
      expect(figures(6)).toEqual([1, 1, 0, 0, 0, 1, 3]);
      expect(figures(12)).toEqual([0, 0, 1, 0, 0, 0, 1]); // 4.保护第三方合法权益
      expect(figures(26)).toEqual([0, 1, 0, 0, 0, 0, 1]); // 2.逾期未缴费
      expect(figures(28)).toEqual([7, 4, 4, 2, 2, 4, 23]);
      expect(figures(29)).toEqual([1, 0, 0, 0, 0, 0, 1]);
      expect([...(ws.model.merges)].sort()).toEqual(
        ['A1:J1', 'A2:C4', 'D2:J2', 'D3:D4', 'E3:I3', 'J3:J4', 'A5:C5', 'A6:C6', 'A7:A28', 'B7:C7', 'B8:C8', 'B9:B16', 'B17:B19', 'B20:B24', 'B25:B27', 'B28:C28', 'A29:C29', 'A31:J31'].sort(),
      );

      const t4s = wb.worksheets[1];
      expect(t4s.getCell('A1').value).toBe('四、政府信息公开行政复议、行政诉讼情况');
      expect(t4s.getCell('A2').value).toBe('行政复议');
      expect(t4s.getCell('F2').value).toBe('行政诉讼');
      expect(t4s.getCell('F3').value).toBe('未经复议直接起诉');
      expect(t4s.getCell('K3').value).toBe('复议后起诉');
      expect(Array.from({ length: 15 }, (_, i) => t4s.getCell(4, 1 + i).value)).toEqual(Array(3).fill(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']).flat());
      expect(Array.from({ length: 15 }, (_, i) => t4s.getCell(5, 1 + i).value)).toEqual([0, 1, 0, 1, 2, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
      expect([...(t4s.model.merges)].sort()).toEqual(['A1:O1', 'A2:E3', 'F2:O2', 'F3:J3', 'K3:O3'].sort());
    });

    it('XLSX of 2020 (by Accept): （六）其他处理 one row', async () => {
      const wb = await xlsxOf('year=2020', { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const ws = wb.worksheets[0];
      expect(ws.getCell('B25').value).toBe('（六）其他处理');
      expect(Array.from({ length: 7 }, (_, i) => ws.getCell(25, 4 + i).value)).toEqual([0, 0, 0, 1, 1, 0, 2]);
      expect(ws.getCell('B26').value).toBe('（七）总计');
      expect(ws.getCell('A27').value).toBe('四、结转下年度继续办理');
      expect(ws.model.merges).toEqual(expect.arrayContaining(['A7:A26', 'B25:C25', 'B26:C26', 'A27:C27']));
    });
  });

  describe('scope and bad input', () => {
    it.each([
      ['dept.clerk', 'year=2021', 403, 'FORBIDDEN'],
      ['admin', 'year=2021', 403, 'FORBIDDEN'],
      ['dept.supervisor', 'year=2021&agencyId=CITY', 403, 'FORBIDDEN'],
      ['dept.auditor', 'year=2021&agencyId=OTHER', 403, 'FORBIDDEN'],
      ['other.supervisor', 'year=2021&agencyId=DEPT', 403, 'FORBIDDEN'],
      ['city.supervisor', 'year=2021&agencyId=00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
      ['city.supervisor', 'year=2018', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=2024', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=20x1', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', '', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=2021&agencyId=not-a-uuid', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=2021&includeSubAgencies=yes', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=2021&format=pdf', 400, 'VALIDATION_FAILED'],
      ['city.supervisor', 'year=2021&colour=red', 400, 'VALIDATION_FAILED'],
    ])('%s ?%s → %i %s', async (who, query, status, code) => {
      const q = query.replace('CITY', org.city).replace('OTHER', org.other).replace('DEPT', org.dept);
      const r = await get(P[who], q);
      expect(r.status).toBe(status);
      expect(r.body.code).toBe(code);
      expect(typeof r.body.message).toBe('string');
      if (status === 400) expect(r.body.details.fields.length).toBeGreaterThan(0);
    });

    it('names the bad field', async () => {
      const r = await get(P['city.supervisor'], 'year=2018');
      expect(r.body.details.fields[0].field).toBe('year');
      const future = await get(P['city.supervisor'], 'year=2024');
      expect(future.body.details.fields).toEqual([{ field: 'year', message: expect.stringContaining('今年') }]);
    });

    it('is in the OpenAPI document with its response shape and errors', async () => {
      const doc = (await t.http().get('/api/docs-json')).body;
      const get = doc.paths['/api/v1/reports/annual'].get;
      // 405 and 431 (Fastify's own refusals) are in the document since 0aa9c22
      expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '405', '414', '431', '503']);
      expect(Object.keys(get.responses['200'].content).sort()).toEqual(['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv; charset=utf-8'].sort());
      expect(Object.keys(doc.paths['/api/v1/reports/annual/publish'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '405', '409', '414', '431', '503']);
      const rows = doc.components.schemas.Table3RowsDto;
      expect(Object.keys(rows.properties)).toEqual([...ROWS_2021.slice(0, -2), 'other', 'concluded_total', 'carried_out']);
      expect(doc.components.schemas.ChecksDto.required.sort()).toEqual(['balanced', 'carriedOver', 'resultTotal', 'reviewTotals', 'rowTotals']);
    });

    it('answers without sign-in with 401', async () => {
      const r = await t.http().get('/api/v1/reports/annual?year=2021');
      expect(r.status).toBe(401);
    });
  });

  // last: these change the fixture (a late reply, a late review)
  describe('publication', () => {
    const publish = (p: Person, query: string) => t.http().post(`/api/v1/reports/annual/publish?${query}`).set(bearer(p));

    it('only a supervisor in scope publishes', async () => {
      for (const [who, q, status] of [
        ['dept.auditor', 'year=2022', 403],
        ['dept.clerk', 'year=2022', 403],
        ['admin', `year=2022&agencyId=${org.dept}`, 403],
        ['dept.supervisor', `year=2022&agencyId=${org.city}`, 403],
        ['dept.supervisor', 'year=2018', 400],
        ['dept.supervisor', 'year=2024', 400],
      ] as const) {
        const r = await publish(P[who], q);
        expect([who, q, r.status]).toEqual([who, q, status]);
      }
      expect(await t.ds.query(`SELECT 1 FROM annual_report_publications`)).toEqual([]);
    });

    it('freezes the tables; a second publication is 409 REPORT_ALREADY_PUBLISHED; the table is insert-only', async () => {
      const r = await publish(P['dept.supervisor'], 'year=2022');
      expect(r.status).toBe(201);
      expect(r.body.publication).toEqual({ publishedOn: '2023-02-01', publishedAt: '2023-02-01T02:00:00.000Z', publishedBy: P['dept.supervisor'].id });
      expect(r.body.applications.rows).toEqual(EXPECTED_2022_DEPT);
      expect(r.body.changedCells).toEqual([]);
      const again = await publish(P['city.supervisor'], `year=2022&agencyId=${org.dept}`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('REPORT_ALREADY_PUBLISHED');
      expect(again.body.details.publishedOn).toBe('2023-02-01');
      // the same agency with its sub-agencies is another report; two at once: one publishes, the other is told
      const both = await Promise.all([1, 2].map(() => publish(P['city.supervisor'], `year=2022&agencyId=${org.dept}&includeSubAgencies=true`)));
      expect(both.map((b) => b.status).sort()).toEqual([201, 409]);
      expect(both.find((b) => b.status === 409)!.body.code).toBe('REPORT_ALREADY_PUBLISHED');
      await expect(t.ds.query(`UPDATE annual_report_publications SET year = 2021`)).rejects.toThrow(/insert-only/);
      await expect(t.ds.query(`DELETE FROM annual_report_publications`)).rejects.toThrow(/insert-only/);
    });

    it('later reads answer the published tables, the live figures beside them and the changed cells', async () => {
      // recorded late: C3 (open at the end of 2022) replied on 20 December 2022; a suit filed in 2022
      await reply('dept', ids.C3, 'granted', '2022-12-20');
      await review(ids.C1, { kind: 'litigation_direct', filedOn: '2022-11-01' });
      const r = await get(P['dept.auditor'], 'year=2022');
      expect(r.status).toBe(200);
      expect(r.body.applications.rows).toEqual(EXPECTED_2022_DEPT);
      expect(r.body.reviews.litigation_direct).toEqual(t4());
      expect(r.body.publication.publishedOn).toBe('2023-02-01');
      expect(r.body.live.applications.rows.granted).toEqual(row(2));
      expect(r.body.live.applications.rows.carried_out).toEqual(row());
      expect(r.body.changedCells).toEqual([
        { table: 'applications', row: 'granted', column: 'natural_person', published: 1, live: 2 },
        { table: 'applications', row: 'granted', column: 'total', published: 1, live: 2 },
        { table: 'applications', row: 'concluded_total', column: 'natural_person', published: 2, live: 3 },
        { table: 'applications', row: 'concluded_total', column: 'total', published: 3, live: 4 },
        { table: 'applications', row: 'carried_out', column: 'natural_person', published: 1, live: 0 },
        { table: 'applications', row: 'carried_out', column: 'total', published: 1, live: 0 },
        { table: 'reviews', row: 'litigation_direct', column: 'pending', published: 0, live: 1 },
        { table: 'reviews', row: 'litigation_direct', column: 'total', published: 0, live: 1 },
      ]);
      expect(r.body.checks).toEqual(ALL_TRUE);
      expect(r.body.live.checks).toEqual(ALL_TRUE);
      // rule 4 for 2023 compares with the published 2022: the late reply broke it, and the report says where
      const next = await get(P['dept.supervisor'], 'year=2023');
      expect(next.body.checks.carriedOver).toBe(false);
      expect(next.body.checkProblems).toEqual([
        { rule: 'carriedOver', where: 'natural_person', expected: 1, actual: 0 },
        { rule: 'carriedOver', where: 'total', expected: 1, actual: 0 },
      ]);
      // the download of a published year is the published table
      const csv = await get(P['dept.supervisor'], 'year=2022&format=csv');
      expect(csv.text).toContain('2023-02-01公开');
      expect(csv.text).toContain('granted,三、本年度办理结果,（一）予以公开,,1,0,0,0,0,0,1');
    });
  });
});
