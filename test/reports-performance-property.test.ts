/**
 * Property: the performance figures the API counts in SQL (tallies per group, working days to reply over working-day
 * ordinals, the clock in Node only for paused, corrected or long-ago received cases) equal the pure figures over the
 * same cases taken one by one (statute: performanceFigures, byMonth, rankGroups; working days by WorkingCalendar and
 * the clock). Random cases written straight into the table (fixed seed), every breakdown, two periods.
 */
import fc from 'fast-check';
import { clockOf } from '../src/cases/case-clock';
import type { CaseEntity, Consultation, Correction, FeeNotice } from '../src/cases/case.entity';
import { APPLICANT_TYPES, CHANNELS } from '../src/statute/intake';
import { byMonth, isOverdueOpen, performanceFigures, rankGroups, within, type CaseFact, type FeeFact, type Period } from '../src/statute/performance';
import { officialCalendar } from '../src/statute/working-calendar';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(300_000);

const DAY = 86_400_000;
const plus = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);

interface Row {
  agency: 'city' | 'dept' | 'district' | 'other';
  type: (typeof APPLICANT_TYPES)[number];
  channel: (typeof CHANNELS)[number];
  state: 'in_progress' | 'concluded' | 'discarded' | 'submitted';
  receipt: string | null;
  concluded: string | null;
  due: string | null;
  correction: Correction | null;
  fee: FeeNotice | null;
  consultations: Consultation[];
}

const rowArb = fc
  .record({
    agency: fc.constantFrom('city', 'dept', 'district', 'other'),
    type: fc.constantFrom(...APPLICANT_TYPES),
    channel: fc.constantFrom(...CHANNELS),
    fate: fc.constantFrom('open', 'concluded', 'concluded', 'concluded', 'discarded', 'submitted'),
    // mostly 2023-06 … 2025-01; some received more than ten years before 2024
    received: fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 0, max: 590 }).map((n) => plus('2023-06-01', n)) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }).map((n) => plus('2012-03-01', n)) }),
    took: fc.integer({ min: 0, max: 70 }),
    longAgo: fc.integer({ min: 3700, max: 4300 }),
    due: fc.option(fc.integer({ min: 10, max: 45 }), { nil: null, freq: 8 }),
    pause: fc.constantFrom('none', 'none', 'none', 'none', 'fee', 'consultation', 'correction'),
  })
  .map(({ agency, type, channel, fate, received, took, longAgo, due, pause }): Row => {
    const old = received < '2020-01-01';
    const concluded = fate === 'concluded' ? plus(received, old ? longAgo : took) : null;
    const end = concluded ?? '2025-01-15';
    return {
      agency,
      type,
      channel,
      state: fate === 'open' ? 'in_progress' : fate,
      receipt: fate === 'submitted' ? null : received,
      concluded,
      due: due === null ? null : plus(received, old ? longAgo - 5 : due),
      correction: pause === 'correction' ? { requestedOn: plus(received, 1), items: ['请明确'], periodDays: 15, receivedOn: plus(received, 4) < end ? plus(received, 4) : null, content: null } : null,
      fee:
        pause === 'fee'
          ? { tariff: 'per_page', pages: 150, nth: null, amount: 1700, notifiedOn: plus(received, 1), paidOn: plus(received, 3) <= end ? plus(received, 3) : null, receiptNumber: null, paidAmount: 1700 }
          : null,
      consultations:
        pause === 'consultation'
          ? [{ id: 'k1', party: 'other_agency', name: '测试市财政局', jointMaker: false, openedOn: plus(received, 2), closedOn: plus(received, 6) <= end ? plus(received, 6) : null, opinion: null, note: null }]
          : [],
    };
  });

describe('performance figures: SQL tallies equal the figures case by case', () => {
  let t: TestApp;
  let org: TestOrg;
  const rows = fc.sample(rowArb, { seed: 20261204, numRuns: 600 });
  const trackingOf = (i: number) => `P${String(i).padStart(8, '0')}`;

  beforeAll(async () => {
    t = await createTestApp({ now: '2025-01-15T02:00:00Z' });
    org = await seedOrg(t);
    await t.ds.query(
      `INSERT INTO cases (tracking_number, query_code_hash, agency_id, state, channel, applicant_type, applicant_name, applicant_id_type, applicant_id_enc, applicant_id_hash, applicant_id_masked,
                          description, form, delivery, search_grams, receipt_date, concluded_on, outcome, computed_due, due_date, correction, fee, consultations)
       SELECT r.tracking, repeat('0', 64), r.agency, r.state, r.channel, r.type, '某某', 'resident_id', 'x', repeat('0', 64), '110***', '申请获取相关政府信息', 'electronic', 'email', '{}',
              r.receipt, r.concluded, CASE WHEN r.concluded IS NOT NULL THEN 'granted' END, r.due, CASE WHEN r.concluded IS NULL AND r.state = 'in_progress' THEN r.due END,
              r.correction, r.fee, r.consultations
         FROM jsonb_to_recordset($1::jsonb) AS r(tracking text, agency uuid, state text, channel text, type text, receipt date, concluded date, due date, correction jsonb, fee jsonb, consultations jsonb)`,
      [JSON.stringify(rows.map((r, i) => ({ tracking: trackingOf(i), agency: org[r.agency], state: r.state, channel: r.channel, type: r.type, receipt: r.receipt, concluded: r.concluded, due: r.due, correction: r.correction, fee: r.fee, consultations: r.consultations })))],
    );
  });
  afterAll(async () => t?.close());

  /** What the figures count, case by case (the definitions of statute/performance.ts over each case's own clock). */
  function expected(period: Period, by: string | null) {
    const cal = officialCalendar();
    const scope = new Set([org.city, org.dept, org.district]);
    const facts = rows.flatMap((r, i) => {
      if (r.receipt === null || r.state === 'discarded') return [];
      const fact: CaseFact = { receiptDate: r.receipt, due: r.due, concludedOn: r.concluded, workingDaysToReply: null };
      if (!(within(r.due, period.from, period.to) || within(r.concluded, period.from, period.to) || isOverdueOpen(fact, period.asOf))) return [];
      if (within(r.concluded, period.from, period.to)) {
        const c = { state: 'concluded', receiptDate: r.receipt, correction: r.correction, consultations: r.consultations, fee: r.fee, extension: null, delayedUntil: null, concludedOn: r.concluded, deliveries: [] } as unknown as CaseEntity;
        fact.workingDaysToReply = clockOf(c, cal, r.concluded).workingDaysUsed;
      }
      return [{ i, r, agencyId: org[r.agency], fact }];
    });
    // fees: every payment in the period, whatever the case's state
    const fees = rows.flatMap((r) => (r.fee?.paidOn && within(r.fee.paidOn, period.from, period.to) ? [{ agencyId: org[r.agency], r, fee: { paidOn: r.fee.paidOn, amount: 1700 } as FeeFact }] : []));
    const inScope = facts.filter((f) => scope.has(f.agencyId));
    const scopedFees = fees.filter((f) => scope.has(f.agencyId));
    const figures = performanceFigures(period, inScope.map((f) => f.fact), [], scopedFees.map((f) => f.fee));
    const overdue = inScope.filter((f) => isOverdueOpen(f.fact, period.asOf)).sort((a, b) => (a.r.due! < b.r.due! ? -1 : a.r.due! > b.r.due! ? 1 : a.i - b.i)).map((f) => trackingOf(f.i));
    let groups: { key: string; rank: number | null; figures: unknown }[] = [];
    const groupOf = (keys: string[], keyOf: (r: Row, agencyId: string) => string) =>
      keys.map((k) => ({ key: k, rank: null, figures: performanceFigures(period, inScope.filter((f) => keyOf(f.r, f.agencyId) === k).map((f) => f.fact), [], scopedFees.filter((f) => keyOf(f.r, f.agencyId) === k).map((f) => f.fee)) }));
    if (by === 'agency') groups = rankGroups(groupOf([org.dept, org.district], (_, a) => a));
    if (by === 'applicantType') groups = groupOf([...APPLICANT_TYPES], (r) => r.type);
    if (by === 'channel') groups = groupOf([...CHANNELS], (r) => r.channel);
    if (by === 'month') groups = byMonth(period, inScope.map((f) => f.fact), [], scopedFees.map((f) => f.fee)).map((m) => ({ key: m.month, rank: null, figures: m.figures }));
    return { figures, overdue, groups };
  }

  it.each([
    [{ from: '2024-01-01', to: '2024-12-31', asOf: '2025-01-10' }],
    [{ from: '2024-03-05', to: '2024-09-20', asOf: '2024-10-01' }],
    // periods outside the calendar's range (1990–2200): nothing to count, and no error
    [{ from: '1980-01-01', to: '1980-12-31', asOf: '2025-01-10' }],
    [{ from: '2201-01-01', to: '2201-12-31', asOf: '2025-01-10' }],
  ])('for %o, whole and by agency, applicant type, channel and month', async (period) => {
    const want = { ...expected(period, null) };
    if (period.from.startsWith('2024')) expect(want.figures.timeToReply.count).toBeGreaterThan(50);
    for (const by of [null, 'agency', 'applicantType', 'channel', 'month']) {
      const qs = new URLSearchParams({ ...period, includeSubAgencies: 'true', ...(by ? { by } : {}) });
      const r = await t.http().get(`/api/v1/reports/performance?${qs.toString()}`).set(bearer(org.people['city.supervisor']));
      expect(r.status).toBe(200);
      const e = expected(period, by);
      expect([by, r.body.figures]).toEqual([by, e.figures]);
      expect(r.body.overdueCases.map((c: { trackingNumber: string }) => c.trackingNumber)).toEqual(e.overdue);
      expect(r.body.groups.map((g: { key: string; rank: number | null; figures: unknown }) => ({ key: g.key, rank: g.rank, figures: g.figures }))).toEqual(e.groups);
    }
  });
});
