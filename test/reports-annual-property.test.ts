/**
 * Property: random case histories driven through the real HTTP actions (intake, replies of every outcome,
 * withdrawals, lapses, fees, reviews, reopening), then the annual report of every year, for an agency, its
 * parent alone and the parent with its sub-agencies, equals a brute-force count in plain TypeScript over the
 * histories, and every rule of annual-report.md holds (incl. carried out of Y = carried in of Y+1 and sums over
 * sub-agencies). Fixed seed, few runs; the histories accumulate over the runs in one database.
 */
import fc from 'fast-check';
import { intake, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(300_000);

const TYPES = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org'] as const;
type Col = (typeof TYPES)[number];
const OUTCOMES = [
  'granted.proactive', 'granted', 'partial',
  'withheld.state_secret', 'withheld.law_prohibited', 'withheld.security_stability', 'withheld.third_party', 'withheld.internal_affairs', 'withheld.process_info', 'withheld.enforcement_file', 'withheld.administrative_query',
  'unavailable.not_held', 'unavailable.needs_creation', 'unavailable.still_unclear',
  'rejected.petition', 'rejected.duplicate', 'rejected.publication', 'rejected.vexatious', 'rejected.confirmation', 'other.other',
] as const;
const KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
const RESULTS = ['pending', 'upheld', 'corrected', 'other'] as const;
const YEARS = [2020, 2021, 2022, 2023];
const TODAY = '2024-06-01';

const APPLICANT = (type: Col, i: number): Record<string, unknown> =>
  type === 'natural_person'
    ? { type, name: '李四', idType: 'resident_id', idNumber: residentId() }
    : { type, name: `某单位${i}`, idType: 'other_org', idNumber: `ORG-${i}` };

const DETAILS: Record<string, Record<string, unknown>> = {
  granted: { reasons: '经查，现予公开' },
  'granted.proactive': { reasons: '该信息已主动公开' },
  partial: { withheldParts: ['第三方商业秘密'], grounds: ['withheld.third_party'], reasons: '其余公开' },
  'rejected.petition': { reasons: '请向信访部门反映' },
  'rejected.duplicate': { earlierReply: { beforeSystem: true, documentNumber: '测公开〔2019〕1号', date: '2019-05-06' } },
  'rejected.publication': { reasons: '可购买' },
  'rejected.vexatious': { reasons: '理由不合理' },
  'rejected.confirmation': {},
  'other.other': { reasons: '其他原因' },
};
const detailsOf = (o: string): Record<string, unknown> => DETAILS[o] ?? (o.startsWith('withheld.') ? { withheldParts: ['全部'], grounds: [o], reasons: '不予公开' } : { reasons: '经查' });

function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

type Fate =
  | { kind: 'open' }
  | { kind: 'reply'; outcome: (typeof OUTCOMES)[number]; after: number; paidFee: boolean }
  | { kind: 'withdraw'; after: number }
  | { kind: 'correction_lapse' }
  | { kind: 'fee_lapse' }
  | { kind: 'fee_open' };

interface History {
  agency: 'dept' | 'city' | 'district';
  type: Col;
  receipt: string;
  fate: Fate;
  review: { kind: (typeof KINDS)[number]; filedAfter: number; result: (typeof RESULTS)[number]; decidedAfter: number; reopen: boolean } | null;
}

/** What happened, as the brute-force count needs it. */
interface Fact {
  agency: string;
  type: Col;
  receipt: string;
  concluded: string | null;
  row: string | null;
  fee: { notified: string; paid: string | null; amount: number } | null;
  reviews: { kind: string; filed: string; result: string; decided: string | null }[];
}

const dateArb = fc.oneof(
  fc.integer({ min: 0, max: 4 * 365 - 15 }).map((n) => addDays('2020-01-01', n)),
  // the end of a year, where the boundaries are
  fc.tuple(fc.constantFrom(...YEARS), fc.integer({ min: 15, max: 31 })).map(([y, d]) => `${y}-12-${String(d).padStart(2, '0')}`),
);
const fateArb: fc.Arbitrary<Fate> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'open' as const }), weight: 1 },
  // after: days after receipt, or -1: on 31 December of the receipt year, -2: on 1 January of the next (the year boundary)
  { arbitrary: fc.record({ kind: fc.constant('reply' as const), outcome: fc.constantFrom(...OUTCOMES), after: fc.oneof(fc.integer({ min: 3, max: 90 }), fc.constantFrom(-1, -2)), paidFee: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('withdraw' as const), after: fc.integer({ min: 0, max: 40 }) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'correction_lapse' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'fee_lapse' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'fee_open' as const }), weight: 1 },
);
const historyArb: fc.Arbitrary<History> = fc.record({
  agency: fc.constantFrom('dept' as const, 'city' as const, 'district' as const),
  type: fc.constantFrom(...TYPES),
  receipt: dateArb,
  fate: fateArb,
  review: fc.option(
    fc.record({ kind: fc.constantFrom(...KINDS), filedAfter: fc.integer({ min: 0, max: 90 }), result: fc.constantFrom(...RESULTS), decidedAfter: fc.integer({ min: 0, max: 200 }), reopen: fc.boolean() }),
    { nil: null },
  ),
});

const FEE_AMOUNT = 100; // per_page, 40 pages: 10 pages at 10 yuan

function rowOf(outcome: string, year: number): string {
  const r = outcome === 'granted.proactive' ? 'granted' : outcome;
  return year <= 2020 && r.startsWith('other.') ? 'other' : r;
}

/** The report of `year` over `facts`, counted case by case. */
function bruteForce(facts: Fact[], agencies: string[], year: number) {
  const s = `${year}-01-01`;
  const e = `${year}-12-31`;
  const rows: Record<string, Record<string, number>> = {};
  const bump = (r: string, c: Col) => {
    rows[r] ??= Object.fromEntries([...TYPES, 'total'].map((x) => [x, 0]));
    rows[r][c]++;
    rows[r].total++;
  };
  const reviews: Record<string, Record<string, number>> = Object.fromEntries(KINDS.map((k) => [k, { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 }]));
  const fees = { casesCharged: 0, amountCharged: 0, casesPaid: 0, amountCollected: 0 };
  for (const f of facts.filter((x) => agencies.includes(x.agency))) {
    if (f.receipt >= s && f.receipt <= e) bump('new', f.type);
    if (f.receipt < s && (f.concluded === null || f.concluded >= s)) bump('carried_in', f.type);
    if (f.concluded && f.concluded >= s && f.concluded <= e) {
      bump(rowOf(f.row!, year), f.type);
      bump('concluded_total', f.type);
    }
    if (f.receipt <= e && (f.concluded === null || f.concluded > e)) bump('carried_out', f.type);
    for (const r of f.reviews) {
      if (r.filed < s || r.filed > e) continue;
      const res = r.result !== 'pending' && r.decided !== null && r.decided <= e ? r.result : 'pending';
      reviews[r.kind][res]++;
      reviews[r.kind].total++;
    }
    if (f.fee && f.fee.notified >= s && f.fee.notified <= e) {
      fees.casesCharged++;
      fees.amountCharged += f.fee.amount;
    }
    if (f.fee?.paid && f.fee.paid >= s && f.fee.paid <= e) {
      fees.casesPaid++;
      fees.amountCollected += f.fee.amount;
    }
  }
  return { rows, reviews, fees };
}

describe('annual report equals a brute-force count over random histories (property, over HTTP)', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  const facts: Fact[] = [];
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: `${TODAY}T02:00:00Z` });
    org = await seedOrg(t);
    // every letter must name the agency's reconsideration body and court (409 LETTER_DATA_MISSING otherwise): the district has none in the shared seed
    await t.ds.query(`UPDATE agencies SET reconsideration_body = '测试市人民政府', court = '测试区人民法院' WHERE id = $1`, [org.district]);
    P = org.people;
  });
  afterAll(async () => t?.close());

  async function act(p: Person, id: string, action: string, body: Record<string, unknown>) {
    const cur = await t.http().get(`/api/v1/cases/${id}`).set(bearer(p));
    const r = await t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send({ expectedVersion: cur.body.version, ...body });
    if (r.status !== 200 && r.status !== 201) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Drives one history through the API and returns what the count needs. */
  async function drive(h: History): Promise<Fact[]> {
    const clerk = P[`${h.agency}.clerk`];
    const sup = P[`${h.agency}.supervisor`];
    const agencyId = org[h.agency];
    const c = await intake(t, clerk, h.receipt, {}, APPLICANT(h.type, n++));
    const fact: Fact = { agency: agencyId, type: h.type, receipt: h.receipt, concluded: null, row: null, fee: null, reviews: [] };
    const f = h.fate;
    const d1 = addDays(h.receipt, 1);
    switch (f.kind) {
      case 'open':
        break;
      case 'reply': {
        let last = h.receipt;
        if (f.paidFee) {
          await act(clerk, c.id, 'notify-fee', { on: d1, tariff: 'per_page', pages: 40 });
          await act(clerk, c.id, 'record-payment', { on: addDays(h.receipt, 2), receiptNumber: `JK-${n}`, amount: FEE_AMOUNT });
          fact.fee = { notified: d1, paid: addDays(h.receipt, 2), amount: FEE_AMOUNT };
          last = addDays(h.receipt, 2);
        }
        if (f.outcome === 'rejected.vexatious') {
          await act(clerk, c.id, 'request-reasons', { on: addDays(last, 0), items: ['请说明申请的理由'] });
          await act(clerk, c.id, 'record-reasons', { on: addDays(last, 1), content: '未说明', reasonable: false });
        }
        await act(clerk, c.id, 'draft-reply', { outcome: f.outcome, ...detailsOf(f.outcome) });
        await act(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
        const y = Number(h.receipt.slice(0, 4));
        const wanted = f.after >= 0 ? addDays(h.receipt, f.after) : f.after === -1 ? `${y}-12-31` : `${y + 1}-01-01`;
        // never before the steps above (fee paid on day 2, reasons recorded on day 3)
        const on = wanted < addDays(h.receipt, 3) ? addDays(h.receipt, 3) : wanted;
        await act(clerk, c.id, 'issue-reply', { on });
        Object.assign(fact, { concluded: on, row: f.outcome });
        break;
      }
      case 'withdraw': {
        const on = addDays(h.receipt, f.after);
        await act(clerk, c.id, 'withdraw', { on, reason: '撤回' });
        Object.assign(fact, { concluded: on, row: 'other.other' });
        break;
      }
      case 'correction_lapse': {
        await act(clerk, c.id, 'request-correction', { on: d1, items: ['请明确所需信息'], periodDays: 1 });
        const on = addDays(h.receipt, 30);
        await act(clerk, c.id, 'conclude-lapsed', { on, reason: 'correction' });
        Object.assign(fact, { concluded: on, row: 'other.correction_lapsed' });
        break;
      }
      case 'fee_lapse':
      case 'fee_open': {
        await act(clerk, c.id, 'notify-fee', { on: d1, tariff: 'per_page', pages: 40 });
        fact.fee = { notified: d1, paid: null, amount: FEE_AMOUNT };
        if (f.kind === 'fee_lapse') {
          const on = addDays(h.receipt, 60);
          await act(clerk, c.id, 'conclude-lapsed', { on, reason: 'fee' });
          Object.assign(fact, { concluded: on, row: 'other.fee_unpaid' });
        }
        break;
      }
    }
    const out = [fact];
    const r = h.review;
    if (r && fact.concluded) {
      const filed = addDays(fact.concluded, r.filedAfter);
      if (filed <= TODAY) {
        const decided = addDays(filed, r.decidedAfter);
        const known = r.result !== 'pending' && decided <= TODAY;
        await act(clerk, c.id, 'record-review', { kind: r.kind, filedOn: filed, ...(known ? { result: r.result, concludedOn: decided, decisionReceivedOn: decided } : {}) });
        fact.reviews.push({ kind: r.kind, filed, result: known ? r.result : 'pending', decided: known ? decided : null });
        if (known && r.result === 'corrected' && r.reopen) {
          await act(sup, c.id, 'reopen', { on: decided });
          out.push({ agency: agencyId, type: h.type, receipt: decided, concluded: null, row: null, fee: null, reviews: [] });
        }
      }
    }
    return out;
  }

  it('for every year and scope, the report is the count and every rule holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(historyArb, { minLength: 4, maxLength: 10 }), async (histories) => {
        for (const h of histories) facts.push(...(await drive(h)));
        const scopes: { who: Person; query: string; agencies: string[] }[] = [
          { who: P['dept.supervisor'], query: '', agencies: [org.dept] },
          { who: P['city.auditor'], query: `&agencyId=${org.city}`, agencies: [org.city] },
          { who: P['city.supervisor'], query: `&agencyId=${org.district}`, agencies: [org.district] },
          { who: P['city.supervisor'], query: `&agencyId=${org.city}&includeSubAgencies=true`, agencies: [org.city, org.dept, org.district] },
        ];
        for (const sc of scopes) {
          const reports = [];
          for (const year of YEARS) {
            const res = await t.http().get(`/api/v1/reports/annual?year=${year}${sc.query}`).set(bearer(sc.who));
            expect(res.status).toBe(200);
            const want = bruteForce(facts, sc.agencies, year);
            const rows = res.body.applications.rows as Record<string, Record<string, number>>;
            const nonZero = Object.fromEntries(Object.entries(rows).filter(([, v]) => v.total !== 0));
            expect(nonZero).toEqual(want.rows);
            expect(res.body.reviews).toEqual(want.reviews);
            expect(res.body.fees).toEqual(want.fees);
            expect(res.body.checks).toEqual({ balanced: true, rowTotals: true, resultTotal: true, carriedOver: true, reviewTotals: true });
            reports.push(res.body);
          }
          for (let i = 0; i + 1 < reports.length; i++) expect(reports[i + 1].applications.rows.carried_in).toEqual(reports[i].applications.rows.carried_out);
        }
        // the city with its sub-agencies is the sum of the three agencies, cell by cell
        for (const year of YEARS) {
          const [all, ...parts] = await Promise.all(
            [`&agencyId=${org.city}&includeSubAgencies=true`, `&agencyId=${org.city}`, `&agencyId=${org.dept}`, `&agencyId=${org.district}`].map((q) =>
              t.http().get(`/api/v1/reports/annual?year=${year}${q}`).set(bearer(P['city.supervisor'])),
            ),
          );
          for (const [r, cells] of Object.entries(all.body.applications.rows as Record<string, Record<string, number>>)) {
            for (const [c, v] of Object.entries(cells)) expect(v).toBe(parts.reduce((s, p) => s + p.body.applications.rows[r][c], 0));
          }
        }
      }),
      { seed: 16_2026, numRuns: 4, endOnFailure: true },
    );
  });
});
