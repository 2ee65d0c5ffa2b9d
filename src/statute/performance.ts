/**
 * Operational figures (annual-report.md, "Other figures"): reply rate, on-time rate, overdue open cases, time to
 * reply, review correction rate, fees collected. Pure arithmetic over facts read off the cases; each figure carries
 * its definition (口径) in Chinese. Dates are `YYYY-MM-DD` (Asia/Shanghai); the period is [from, to], both included.
 */

/** What one case contributes (the dates as stored on the case). */
export interface CaseFact {
  /** Art 31 receipt date; cases without one (unconfirmed submissions) are never facts */
  receiptDate: string;
  /** the deadline that applies, or applied at conclusion (after pauses, extension, Art 35); null with none */
  due: string | null;
  /** the conclusion date (reply issued, lapse, withdrawal); null while open */
  concludedOn: string | null;
  /** working days from the clock's start (receipt or correction) to conclusion, pauses excluded; null with no clock */
  workingDaysToReply: number | null;
}

export interface ReviewFact {
  kind: 'reconsideration' | 'litigation_direct' | 'litigation_after_reconsideration';
  filedOn: string;
  result: 'upheld' | 'corrected' | 'other' | 'pending';
  concludedOn: string | null;
}

export interface FeeFact {
  paidOn: string;
  /** yuan */
  amount: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, rounded to 4 decimals; null when the denominator is 0 */
  rate: number | null;
  definition: string;
}

export interface PerformanceFigures {
  replyRate: Ratio;
  onTimeRate: Ratio;
  overdueOpen: { count: number; definition: string };
  timeToReply: { count: number; median: number | null; p90: number | null; definition: string };
  reviewCorrectionRate: Ratio;
  feesCollected: { cases: number; amount: number; definition: string };
}

export interface Period {
  from: string;
  to: string;
  asOf: string;
}

export const DEFINITIONS = {
  replyRate: '答复率：答复期限（含经批准的延长、扣除征求意见和缴费等不计算在内的期间）在统计期间内的申请中，截至统计日已办结的件数所占比例。',
  onTimeRate: '按期答复率：统计期间内办结、适用答复期限的申请中，在答复期限届满之日或之前办结的件数所占比例（补正期间或暂停计算期间办结、无答复期限的不计入）。',
  overdueOpen: '逾期未办结：截至统计日尚未办结、答复期限已届满的申请件数（以案件当前记录的答复期限计）。',
  timeToReply: '答复用时：统计期间内办结的申请，自收到申请之日（补正的，自收到补正后的申请之日）至办结之日的工作日数，不含暂停计算的期间；中位数和第90百分位数按最近秩法计算。',
  reviewCorrectionRate: '纠错率：统计期间内提起的行政复议中，截至统计日结果为纠正的件数占已审结件数（总计减尚未审结）的比例。',
  feesCollected: '收取信息处理费：统计期间内申请人缴纳信息处理费的件数和金额（元）。',
} as const satisfies Record<keyof PerformanceFigures, string>;

export function within(d: string | null, from: string, to: string): d is string {
  return d !== null && d >= from && d <= to;
}

export function ratio(numerator: number, denominator: number, definition: string): Ratio {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`not a ratio of counts: ${numerator}/${denominator}`);
  }
  return { numerator, denominator, rate: denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 10000, definition };
}

/**
 * The p-th percentile by nearest rank: the smallest value such that at least p % of the values are at or below it,
 * i.e. the ⌈p/100 · n⌉-th of the sorted values (1-based); null for no values. The median is p = 50.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile out of (0, 100]: ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // integer arithmetic: ⌈p·n/100⌉ without floating error for integral p
  const rank = Number.isInteger(p) ? Math.floor((p * sorted.length + 99) / 100) : Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(1, rank) - 1];
}

/**
 * What a group's cases contribute to its figures, counted: the sums SQL can make per group and add across groups.
 * `days` counts the cases concluded in the period by their working days to reply.
 */
export interface CaseTally {
  dueIn: number;
  replied: number;
  concludedWithDue: number;
  onTime: number;
  overdue: number;
  days: Map<number, number>;
}

export function emptyTally(): CaseTally {
  return { dueIn: 0, replied: 0, concludedWithDue: 0, onTime: 0, overdue: 0, days: new Map() };
}

/** Counts `n` cases that took `workingDays` to reply into the tally. */
export function addDays(t: CaseTally, workingDays: number, n = 1): void {
  t.days.set(workingDays, (t.days.get(workingDays) ?? 0) + n);
}

/** The tally of a group of facts for the period, case by case. */
export function tallyCases(period: Period, cases: readonly CaseFact[]): CaseTally {
  const { from, to, asOf } = period;
  const t = emptyTally();
  for (const c of cases) {
    if (within(c.due, from, to)) {
      t.dueIn++;
      if (c.concludedOn !== null && c.concludedOn <= asOf) t.replied++;
    }
    if (within(c.concludedOn, from, to)) {
      if (c.due !== null) {
        t.concludedWithDue++;
        if (c.concludedOn <= c.due) t.onTime++;
      }
      if (c.workingDaysToReply !== null) addDays(t, c.workingDaysToReply);
    }
    if (isOverdueOpen(c, asOf)) t.overdue++;
  }
  return t;
}

/** `nearestRank` of the values counted in `counts` (value → how many times it occurs). */
export function nearestRankOfCounts(counts: ReadonlyMap<number, number>, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile out of (0, 100]: ${p}`);
  const values = [...counts.keys()].sort((a, b) => a - b);
  let n = 0;
  for (const v of values) n += counts.get(v)!;
  if (n === 0) return null;
  const rank = Math.max(1, Number.isInteger(p) ? Math.floor((p * n + 99) / 100) : Math.ceil((p / 100) * n));
  let seen = 0;
  for (const v of values) {
    seen += counts.get(v)!;
    if (seen >= rank) return v;
  }
  return values[values.length - 1];
}

/** The figures of one group of facts for the period. */
export function performanceFigures(period: Period, cases: readonly CaseFact[], reviews: readonly ReviewFact[], fees: readonly FeeFact[]): PerformanceFigures {
  if (period.from > period.to) throw new RangeError(`from ${period.from} is after to ${period.to}`);
  return figuresOfTally(period, tallyCases(period, cases), reviews, fees);
}

/** The figures of one group for the period from its cases' tally, and its reconsiderations and fees. */
export function figuresOfTally(period: Period, t: CaseTally, reviews: readonly ReviewFact[], fees: readonly FeeFact[]): PerformanceFigures {
  const { from, to, asOf } = period;
  if (from > to) throw new RangeError(`from ${from} is after to ${to}`);
  let decided = 0;
  let corrected = 0;
  for (const r of reviews) {
    if (r.kind !== 'reconsideration' || !within(r.filedOn, from, to)) continue;
    const result = r.concludedOn !== null && r.concludedOn <= asOf ? r.result : 'pending';
    if (result === 'pending') continue;
    decided++;
    if (result === 'corrected') corrected++;
  }
  let feeCases = 0;
  let feeCents = 0;
  for (const f of fees) {
    if (!within(f.paidOn, from, to)) continue;
    feeCases++;
    feeCents += Math.round(f.amount * 100);
  }
  let replies = 0;
  for (const n of t.days.values()) replies += n;
  return {
    replyRate: ratio(t.replied, t.dueIn, DEFINITIONS.replyRate),
    onTimeRate: ratio(t.onTime, t.concludedWithDue, DEFINITIONS.onTimeRate),
    overdueOpen: { count: t.overdue, definition: DEFINITIONS.overdueOpen },
    timeToReply: { count: replies, median: nearestRankOfCounts(t.days, 50), p90: nearestRankOfCounts(t.days, 90), definition: DEFINITIONS.timeToReply },
    reviewCorrectionRate: ratio(corrected, decided, DEFINITIONS.reviewCorrectionRate),
    feesCollected: { cases: feeCases, amount: feeCents / 100, definition: DEFINITIONS.feesCollected },
  };
}

/** Received by `asOf`, not concluded by then, and its deadline before `asOf`. */
export function isOverdueOpen(c: CaseFact, asOf: string): boolean {
  return c.receiptDate <= asOf && (c.concludedOn === null || c.concludedOn > asOf) && c.due !== null && c.due < asOf;
}

/** `YYYY-MM` of a date. */
export function monthOf(d: string): string {
  return d.slice(0, 7);
}

/** The months of the period, each with the part of the period it holds. */
export function periodMonths(period: Period): { month: string; first: string; last: string }[] {
  const months: { month: string; first: string; last: string }[] = [];
  let n = Number(period.from.slice(0, 4)) * 12 + Number(period.from.slice(5, 7)) - 1;
  for (;;) {
    const month = `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;
    if (month > monthOf(period.to)) break;
    const first = `${month}-01` < period.from ? period.from : `${month}-01`;
    const last = `${month}-31` > period.to ? period.to : `${month}-31`;
    months.push({ month, first, last });
    n++;
  }
  return months;
}

/**
 * The month a fact belongs to in the by-month breakdown: each figure counts in the month of its own date, so a case
 * may count in one month for the reply rate (its deadline) and in another for the on-time rate (its conclusion).
 * Splits the facts of the period into one group per month of [from, to], in order.
 */
export function byMonth(period: Period, cases: readonly CaseFact[], reviews: readonly ReviewFact[], fees: readonly FeeFact[]): { month: string; figures: PerformanceFigures }[] {
  const tallies = new Map<string, CaseTally>();
  for (const { month, first, last } of periodMonths(period)) {
    // overdue open cases are counted at the as-of date: in the month their deadline fell
    const t = tallyCases({ from: first, to: last, asOf: period.asOf }, cases);
    t.overdue = cases.filter((c) => isOverdueOpen(c, period.asOf) && within(c.due, first, last)).length;
    tallies.set(month, t);
  }
  return byMonthOfTallies(period, tallies, reviews, fees);
}

/**
 * The by-month breakdown from each month's tally: the cases due in the month (reply rate; overdue open cases at the
 * as-of date by the month of their deadline) and those concluded in it (on-time rate, time to reply).
 */
export function byMonthOfTallies(period: Period, tallies: ReadonlyMap<string, CaseTally>, reviews: readonly ReviewFact[], fees: readonly FeeFact[]): { month: string; figures: PerformanceFigures }[] {
  return periodMonths(period).map(({ month, first, last }) => {
    const f = figuresOfTally({ from: first, to: last, asOf: period.asOf }, tallies.get(month) ?? emptyTally(), reviews, fees);
    return { month, figures: { ...f, overdueOpen: { count: f.overdueOpen.count, definition: `${DEFINITIONS.overdueOpen}按答复期限所在月份分列。` } } };
  });
}

/**
 * Agencies side by side (办理情况测评): ranked by on-time rate, then reply rate (both higher first, no rate last),
 * then fewer overdue open cases, then the key; equal figures share a rank (1, 2, 2, 4).
 */
export function rankGroups<T extends { key: string; figures: PerformanceFigures }>(groups: readonly T[]): (T & { rank: number })[] {
  const r = (x: number | null) => (x === null ? -1 : x);
  const cmpFigures = (a: T, b: T) =>
    r(b.figures.onTimeRate.rate) - r(a.figures.onTimeRate.rate) || r(b.figures.replyRate.rate) - r(a.figures.replyRate.rate) || a.figures.overdueOpen.count - b.figures.overdueOpen.count;
  const sorted = [...groups].sort((a, b) => cmpFigures(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: (T & { rank: number })[] = [];
  sorted.forEach((g, i) => {
    const prev = out[i - 1];
    out.push({ ...g, rank: prev && cmpFigures(sorted[i - 1], g) === 0 ? prev.rank : i + 1 });
  });
  return out;
}
