import { Injectable } from '@nestjs/common';
import { AgenciesRepository } from '../../agencies/agencies.repository';
import type { AuthUser } from '../../auth/auth-user';
import { CalendarService } from '../../calendar/calendar.service';
import { clockOf } from '../../cases/case-clock';
import type { CaseEntity } from '../../cases/case.entity';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPES, CHANNEL_LABELS, CHANNELS } from '../../statute/intake';
import { byMonth, isOverdueOpen, performanceFigures, rankGroups, type CaseFact, type FeeFact, type Period, type ReviewFact } from '../../statute/performance';
import { ReportScopeService } from '../report-scope';
import type { PerformanceBy, PerformanceDto, PerformanceGroupDto, PerformanceQuery } from './performance.dto';
import { PerformanceRepository, type PerformanceCaseRow } from './performance.repository';

/** The longest period the figures are computed for (months): ten years. */
export const MAX_PERIOD_MONTHS = 120;
/** At most this many overdue cases are listed beside the count. */
export const OVERDUE_LIST_MAX = 200;

interface Keyed<T> {
  agencyId: string;
  applicantType: string;
  channel: string;
  fact: T;
}

@Injectable()
export class PerformanceService {
  constructor(
    private readonly scopes: ReportScopeService,
    private readonly agencies: AgenciesRepository,
    private readonly repo: PerformanceRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** The period asked for, checked: dates in order, `asOf` not in the future, at most ten years. */
  period(q: Pick<PerformanceQuery, 'from' | 'to' | 'asOf'>): Period {
    const today = this.clock.today();
    const asOf = q.asOf ?? today;
    if (asOf > today) throw DomainError.field('asOf', '统计日不能晚于今日');
    const to = q.to ?? asOf;
    const from = q.from ?? `${to.slice(0, 4)}-01-01`;
    if (from > to) throw DomainError.field('from', '统计期间起日不能晚于止日');
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    if (months > MAX_PERIOD_MONTHS) throw DomainError.field('to', `统计期间不能超过${MAX_PERIOD_MONTHS / 12}年`);
    return { from, to, asOf };
  }

  async figures(caller: AuthUser, q: PerformanceQuery): Promise<PerformanceDto> {
    const period = this.period(q);
    const scope = await this.scopes.resolve(caller, q.agencyId?.toLowerCase(), q.includeSubAgencies ?? false, 'report');
    const by: PerformanceBy | null = q.by ?? null;
    // by agency: every agency below the one asked for, whatever includeSubAgencies says
    const subtree = by === 'agency' ? await this.agencies.findSubtree(scope.agency.id) : [];
    const read = by === 'agency' ? subtree.map((a) => a.id) : scope.agencyIds;
    const [caseRows, reviewRows, feeRows] = await Promise.all([
      this.repo.cases(read, period.from, period.to, period.asOf),
      this.repo.reviews(read, period.from, period.to),
      this.repo.fees(read, period.from, period.to),
    ]);
    const cal = this.calendar.current();
    const cases: Keyed<CaseFact>[] = caseRows.map((r) => ({
      agencyId: r.agency_id,
      applicantType: r.applicant_type,
      channel: r.channel,
      fact: { receiptDate: r.receipt_date, due: r.computed_due, concludedOn: r.concluded_on, workingDaysToReply: this.workingDaysToReply(r, period, cal) },
    }));
    const reviews: Keyed<ReviewFact>[] = reviewRows.map((r) => ({
      agencyId: r.agency_id,
      applicantType: r.applicant_type,
      channel: r.channel,
      fact: { kind: r.kind, filedOn: r.filed_on, result: r.result, concludedOn: r.concluded_on },
    }));
    const fees: Keyed<FeeFact>[] = feeRows.map((r) => ({ agencyId: r.agency_id, applicantType: r.applicant_type, channel: r.channel, fact: { paidOn: r.paid_on, amount: Number(r.amount) } }));

    const inScope = new Set(scope.agencyIds);
    const scoped = <T>(xs: Keyed<T>[]) => xs.filter((x) => inScope.has(x.agencyId)).map((x) => x.fact);
    const figures = performanceFigures(period, scoped(cases), scoped(reviews), scoped(fees));

    const overdue = caseRows
      .filter((r) => inScope.has(r.agency_id) && isOverdueOpen({ receiptDate: r.receipt_date, due: r.computed_due, concludedOn: r.concluded_on, workingDaysToReply: null }, period.asOf))
      .sort((a, b) => (a.computed_due! < b.computed_due! ? -1 : a.computed_due! > b.computed_due! ? 1 : a.tracking_number < b.tracking_number ? -1 : 1));
    const overdueCases = overdue.slice(0, OVERDUE_LIST_MAX).map((r) => ({
      id: r.id,
      trackingNumber: r.tracking_number,
      agencyId: r.agency_id,
      state: r.state,
      due: r.computed_due!,
      workingDaysOverdue: Math.max(1, cal.countWorkingDays(r.computed_due!, period.asOf).workingDays),
    }));

    let groups: PerformanceGroupDto[] = [];
    /** the facts split once by a key (one pass each, not one pass per group) */
    const bucket = (keyOf: (x: Keyed<unknown>) => string | null) => {
      const out = new Map<string, { cases: CaseFact[]; reviews: ReviewFact[]; fees: FeeFact[] }>();
      const into = <T>(xs: Keyed<T>[], pick: (b: { cases: CaseFact[]; reviews: ReviewFact[]; fees: FeeFact[] }) => T[]) => {
        for (const x of xs) {
          const k = keyOf(x);
          if (k === null) continue;
          let b = out.get(k);
          if (!b) out.set(k, (b = { cases: [], reviews: [], fees: [] }));
          pick(b).push(x.fact);
        }
      };
      into(cases, (b) => b.cases);
      into(reviews, (b) => b.reviews);
      into(fees, (b) => b.fees);
      return (key: string, label: string): PerformanceGroupDto => {
        const b = out.get(key) ?? { cases: [], reviews: [], fees: [] };
        return { key, label, rank: null, figures: performanceFigures(period, b.cases, b.reviews, b.fees) };
      };
    };
    if (by === 'agency') {
      const group = bucket((x) => x.agencyId);
      groups = rankGroups(subtree.filter((a) => a.id !== scope.agency.id).map((a) => group(a.id, a.name)));
    } else if (by === 'applicantType') {
      const group = bucket((x) => (inScope.has(x.agencyId) ? x.applicantType : null));
      groups = APPLICANT_TYPES.map((t) => group(t, APPLICANT_TYPE_LABELS[t]));
    } else if (by === 'channel') {
      const group = bucket((x) => (inScope.has(x.agencyId) ? x.channel : null));
      groups = CHANNELS.map((c) => group(c, CHANNEL_LABELS[c]));
    } else if (by === 'month') {
      groups = byMonth(period, scoped(cases), scoped(reviews), scoped(fees)).map((m) => ({ key: m.month, label: `${m.month.slice(0, 4)}年${Number(m.month.slice(5, 7))}月`, rank: null, figures: m.figures }));
    }
    return {
      ...period,
      agency: scope.agency,
      includeSubAgencies: scope.includeSubAgencies,
      figures,
      overdueCases,
      overdueCasesTruncated: overdue.length > OVERDUE_LIST_MAX,
      by,
      groups,
    };
  }

  /** Working days the clock ran from its start to the conclusion, for a case concluded in the period. */
  private workingDaysToReply(r: PerformanceCaseRow, period: Period, cal: ReturnType<CalendarService['current']>): number | null {
    if (r.concluded_on === null || r.concluded_on < period.from || r.concluded_on > period.to) return null;
    // no correction, consultation or fee: the clock ran from receipt to conclusion without a pause
    if (!r.correction && !r.fee && (!r.consultations || r.consultations.length === 0)) return Math.max(0, cal.countWorkingDays(r.receipt_date, r.concluded_on).workingDays);
    const inputs = {
      state: 'concluded',
      receiptDate: r.receipt_date,
      correction: r.correction,
      consultations: r.consultations ?? [],
      fee: r.fee,
      extension: r.extension,
      delayedUntil: r.delayed_until,
      concludedOn: r.concluded_on,
      deliveries: [],
    } satisfies Parameters<typeof clockOf>[0] & Partial<CaseEntity>;
    return clockOf(inputs, cal, r.concluded_on).workingDaysUsed;
  }
}
