import fc from 'fast-check';
import { byMonth, DEFINITIONS, isOverdueOpen, nearestRank, performanceFigures, rankGroups, ratio, type CaseFact, type FeeFact, type PerformanceFigures, type ReviewFact } from './performance';

const P = { from: '2024-01-01', to: '2024-12-31', asOf: '2025-01-10' };
const fact = (o: Partial<CaseFact>): CaseFact => ({ receiptDate: '2024-01-02', due: null, concludedOn: null, workingDaysToReply: null, ...o });

describe('nearestRank', () => {
  /** the definition itself: the smallest value v of the list with at least p % of the values ≤ v */
  const oracle = (xs: number[], p: number) => {
    const cands = [...xs].sort((a, b) => a - b).filter((v) => xs.filter((x) => x <= v).length * 100 >= p * xs.length);
    return cands.length ? cands[0] : null;
  };

  it('is the definition for every list of up to 6 values in 0..3 and every integral p', () => {
    const lists: number[][] = [[]];
    for (let len = 1; len <= 6; len++) {
      for (let code = 0; code < 4 ** len; code++) lists.push(Array.from({ length: len }, (_, i) => Math.floor(code / 4 ** i) % 4));
    }
    const wrong: unknown[] = [];
    for (const xs of lists) for (let p = 1; p <= 100; p++) if (nearestRank(xs, p) !== oracle(xs, p)) wrong.push([xs, p]);
    expect(wrong).toEqual([]);
  });

  it('is the definition on random lists', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (xs, p) => nearestRank(xs, p) === oracle(xs, p)),
      { numRuns: 300, seed: 16 },
    );
  });

  it('worked examples: the median of 1..10 is 5 (the lower middle), its 90th percentile 9', () => {
    const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(nearestRank(xs, 50)).toBe(5);
    expect(nearestRank(xs, 90)).toBe(9);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([3, 1, 2], 50)).toBe(2);
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('rounds to 4 decimals and has no rate without a denominator', () => {
    expect(ratio(2, 3, 'x')).toEqual({ numerator: 2, denominator: 3, rate: 0.6667, definition: 'x' });
    expect(ratio(0, 0, 'x').rate).toBeNull();
    expect(ratio(5, 5, 'x').rate).toBe(1);
  });
  it('refuses what is not a ratio of counts', () => {
    expect(() => ratio(3, 2, 'x')).toThrow(RangeError);
    expect(() => ratio(-1, 2, 'x')).toThrow(RangeError);
    expect(() => ratio(0.5, 2, 'x')).toThrow(RangeError);
  });
});

describe('performanceFigures: a hand-counted example', () => {
  const cases: CaseFact[] = [
    // due in 2024 and concluded on time
    fact({ due: '2024-03-01', concludedOn: '2024-02-20', workingDaysToReply: 12 }),
    // due in 2024, concluded late (after the deadline) but in 2024
    fact({ due: '2024-05-10', concludedOn: '2024-05-20', workingDaysToReply: 26 }),
    // due in 2024, still open at as-of: not replied, overdue
    fact({ due: '2024-12-20', concludedOn: null }),
    // due in 2024, concluded after as-of: not replied by as-of, overdue at as-of
    fact({ due: '2024-12-30', concludedOn: '2025-02-01', workingDaysToReply: 30 }),
    // due in 2025: outside the reply-rate population; open and not yet due
    fact({ receiptDate: '2024-12-20', due: '2025-01-20', concludedOn: null }),
    // concluded in 2024 while a correction was awaited: no deadline, no clock
    fact({ due: null, concludedOn: '2024-06-01', workingDaysToReply: null }),
    // concluded in 2024 with a deadline in 2023 (received late 2023): on time, in time-to-reply
    fact({ receiptDate: '2023-12-01', due: '2023-12-29', concludedOn: '2024-01-01', workingDaysToReply: 20 }),
    // received after as-of: never overdue at as-of
    fact({ receiptDate: '2025-02-01', due: '2024-12-31' }),
  ];
  const reviews: ReviewFact[] = [
    { kind: 'reconsideration', filedOn: '2024-02-01', result: 'corrected', concludedOn: '2024-04-01' },
    { kind: 'reconsideration', filedOn: '2024-03-01', result: 'upheld', concludedOn: '2024-05-01' },
    { kind: 'reconsideration', filedOn: '2024-04-01', result: 'corrected', concludedOn: '2025-03-01' }, // after as-of: pending
    { kind: 'reconsideration', filedOn: '2024-05-01', result: 'pending', concludedOn: null },
    { kind: 'reconsideration', filedOn: '2023-05-01', result: 'corrected', concludedOn: '2024-01-05' }, // filed before
    { kind: 'litigation_direct', filedOn: '2024-05-01', result: 'corrected', concludedOn: '2024-06-01' }, // not a reconsideration
  ];
  const fees: FeeFact[] = [
    { paidOn: '2024-03-01', amount: 100.1 },
    { paidOn: '2024-12-31', amount: 0.2 },
    { paidOn: '2025-01-01', amount: 50 },
  ];
  const f = performanceFigures(P, cases, reviews, fees);

  it('counts each figure as its definition says', () => {
    // due in 2024: cases 1,2,3,4 and the one received after as-of (due 2024-12-31) → 5; concluded by as-of: 1,2
    expect(f.replyRate).toEqual({ numerator: 2, denominator: 5, rate: 0.4, definition: DEFINITIONS.replyRate });
    // concluded in 2024 with a deadline: 1 (on time), 2 (late), 7 (on time? 2024-01-01 > 2023-12-29: late)
    expect(f.onTimeRate).toMatchObject({ numerator: 1, denominator: 3, rate: 0.3333 });
    // open at as-of with the deadline passed: case 3 (due 12-20), case 4 (due 12-30, concluded after as-of)
    expect(f.overdueOpen.count).toBe(2);
    // concluded in 2024 with a clock: 12, 26, 20 → median 20, p90 26
    expect(f.timeToReply).toMatchObject({ count: 3, median: 20, p90: 26 });
    // reconsiderations filed in 2024 and decided by as-of: corrected, upheld → 1/2
    expect(f.reviewCorrectionRate).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 });
    // in cents, no floating error: 100.1 + 0.2
    expect(f.feesCollected).toMatchObject({ cases: 2, amount: 100.3 });
  });

  it('every figure carries its definition in Chinese', () => {
    for (const v of Object.values(f)) expect((v as { definition: string }).definition).toMatch(/^[\u4e00-\u9fa5]+：/);
  });

  it('refuses a period that ends before it begins', () => {
    expect(() => performanceFigures({ from: '2024-02-01', to: '2024-01-31', asOf: '2024-03-01' }, [], [], [])).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- properties against a brute-force count
const day = fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2023, 6, 1) + n * 86400000).toISOString().slice(0, 10));
const caseArb: fc.Arbitrary<CaseFact> = fc
  .record({ receiptDate: day, due: fc.option(day), concludedOn: fc.option(day), wd: fc.option(fc.integer({ min: 0, max: 80 })) })
  .map((r) => ({ receiptDate: r.receiptDate, due: r.due, concludedOn: r.concludedOn, workingDaysToReply: r.concludedOn === null ? null : r.wd }));
const reviewArb: fc.Arbitrary<ReviewFact> = fc.record({
  kind: fc.constantFrom('reconsideration' as const, 'litigation_direct' as const, 'litigation_after_reconsideration' as const),
  filedOn: day,
  result: fc.constantFrom('upheld' as const, 'corrected' as const, 'other' as const, 'pending' as const),
  concludedOn: fc.option(day),
});
const feeArb: fc.Arbitrary<FeeFact> = fc.record({ paidOn: day, amount: fc.integer({ min: 0, max: 100000 }).map((c) => c / 100) });
const periodArb = fc.tuple(day, day, day).map(([a, b, asOf]) => (a <= b ? { from: a, to: b, asOf } : { from: b, to: a, asOf }));

/** The same figures counted another way: whole-list filters, dates compared as Date values. */
function bruteForce(p: typeof P, cases: CaseFact[], reviews: ReviewFact[], fees: FeeFact[]) {
  const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const inP = (d: string | null) => d !== null && t(d) >= t(p.from) && t(d) <= t(p.to);
  const dueIn = cases.filter((c) => inP(c.due));
  const concluded = cases.filter((c) => inP(c.concludedOn));
  const withDue = concluded.filter((c) => c.due !== null);
  const days = concluded.flatMap((c) => (c.workingDaysToReply === null ? [] : [c.workingDaysToReply])).sort((a, b) => a - b);
  const pick = (q: number) => (days.length ? days[Math.ceil((q * days.length) / 100) - 1] : null);
  const recon = reviews.filter((r) => r.kind === 'reconsideration' && inP(r.filedOn));
  const decided = recon.filter((r) => r.result !== 'pending' && r.concludedOn !== null && t(r.concludedOn) <= t(p.asOf));
  const paid = fees.filter((f) => inP(f.paidOn));
  return {
    reply: [dueIn.filter((c) => c.concludedOn !== null && t(c.concludedOn) <= t(p.asOf)).length, dueIn.length],
    onTime: [withDue.filter((c) => t(c.concludedOn!) <= t(c.due!)).length, withDue.length],
    overdue: cases.filter((c) => t(c.receiptDate) <= t(p.asOf) && !(c.concludedOn !== null && t(c.concludedOn) <= t(p.asOf)) && c.due !== null && t(c.due) < t(p.asOf)).length,
    days: [days.length, pick(50), pick(90)],
    correction: [decided.filter((r) => r.result === 'corrected').length, decided.length],
    fees: [paid.length, paid.reduce((s, f) => s + Math.round(f.amount * 100), 0) / 100],
  };
}
const shape = (f: PerformanceFigures) => ({
  reply: [f.replyRate.numerator, f.replyRate.denominator],
  onTime: [f.onTimeRate.numerator, f.onTimeRate.denominator],
  overdue: f.overdueOpen.count,
  days: [f.timeToReply.count, f.timeToReply.median, f.timeToReply.p90],
  correction: [f.reviewCorrectionRate.numerator, f.reviewCorrectionRate.denominator],
  fees: [f.feesCollected.cases, f.feesCollected.amount],
});

describe('performanceFigures: properties', () => {
  it('equals a brute-force count over random facts', () => {
    fc.assert(
      fc.property(periodArb, fc.array(caseArb, { maxLength: 60 }), fc.array(reviewArb, { maxLength: 20 }), fc.array(feeArb, { maxLength: 20 }), (p, cs, rs, fs) => {
        expect(shape(performanceFigures(p, cs, rs, fs))).toEqual(bruteForce(p, cs, rs, fs));
      }),
      { numRuns: 400, seed: 1616 },
    );
  });

  it('the months of the period add up to the period (counts), and each month is within it', () => {
    fc.assert(
      fc.property(periodArb, fc.array(caseArb, { maxLength: 60 }), fc.array(reviewArb, { maxLength: 20 }), fc.array(feeArb, { maxLength: 20 }), (p, cs, rs, fs) => {
        const whole = performanceFigures(p, cs, rs, fs);
        const months = byMonth(p, cs, rs, fs);
        expect(months[0].month).toBe(p.from.slice(0, 7));
        expect(months[months.length - 1].month).toBe(p.to.slice(0, 7));
        const sum = (g: (f: PerformanceFigures) => number) => months.reduce((s, m) => s + g(m.figures), 0);
        expect(sum((f) => f.replyRate.denominator)).toBe(whole.replyRate.denominator);
        expect(sum((f) => f.replyRate.numerator)).toBe(whole.replyRate.numerator);
        expect(sum((f) => f.onTimeRate.denominator)).toBe(whole.onTimeRate.denominator);
        expect(sum((f) => f.onTimeRate.numerator)).toBe(whole.onTimeRate.numerator);
        expect(sum((f) => f.timeToReply.count)).toBe(whole.timeToReply.count);
        expect(sum((f) => f.reviewCorrectionRate.denominator)).toBe(whole.reviewCorrectionRate.denominator);
        expect(sum((f) => f.feesCollected.cases)).toBe(whole.feesCollected.cases);
        // overdue cases with a deadline inside the period, by the month of the deadline
        expect(sum((f) => f.overdueOpen.count)).toBe(cs.filter((c) => isOverdueOpen(c, p.asOf) && c.due! >= p.from && c.due! <= p.to).length);
      }),
      { numRuns: 200, seed: 1617 },
    );
  });

  it('rates lie in [0, 1]; the median is at most the 90th percentile', () => {
    fc.assert(
      fc.property(periodArb, fc.array(caseArb, { maxLength: 60 }), fc.array(reviewArb, { maxLength: 20 }), (p, cs, rs) => {
        const f = performanceFigures(p, cs, rs, []);
        for (const r of [f.replyRate, f.onTimeRate, f.reviewCorrectionRate]) if (r.rate !== null) expect(r.rate >= 0 && r.rate <= 1).toBe(true);
        if (f.timeToReply.median !== null) expect(f.timeToReply.median).toBeLessThanOrEqual(f.timeToReply.p90!);
      }),
      { numRuns: 200, seed: 1618 },
    );
  });
});

describe('rankGroups', () => {
  const g = (key: string, onTime: [number, number], reply: [number, number], overdue: number) => ({
    key,
    figures: { ...performanceFigures(P, [], [], []), onTimeRate: ratio(...onTime, ''), replyRate: ratio(...reply, ''), overdueOpen: { count: overdue, definition: '' } },
  });

  it('ranks by on-time rate, then reply rate, then fewer overdue; ties share a rank; no rate comes last', () => {
    const ranked = rankGroups([g('e', [0, 0], [0, 0], 0), g('a', [1, 2], [1, 1], 3), g('b', [2, 2], [1, 2], 0), g('c', [1, 2], [1, 1], 3), g('d', [1, 2], [1, 1], 1)]);
    expect(ranked.map((x) => [x.key, x.rank])).toEqual([
      ['b', 1],
      ['d', 2],
      ['a', 3],
      ['c', 3],
      ['e', 5],
    ]);
  });

  it('ranks are 1-based, non-decreasing, and a rank k is taken by the k-th group or one tied with the one before', () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })), { maxLength: 12 });
    fc.assert(
      fc.property(arb, (xs) => {
        const ranked = rankGroups(xs.map(([a, b, o], i) => g(`k${String(i).padStart(2, '0')}`, [Math.min(a, 3), 3], [Math.min(b, 3), 3], o)));
        ranked.forEach((x, i) => {
          if (i === 0) expect(x.rank).toBe(1);
          else expect(x.rank === i + 1 || x.rank === ranked[i - 1].rank).toBe(true);
        });
      }),
      { numRuns: 200, seed: 1619 },
    );
  });
});
