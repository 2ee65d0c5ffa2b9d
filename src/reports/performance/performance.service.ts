import { Injectable } from '@nestjs/common';
import { AgenciesRepository } from '../../agencies/agencies.repository';
import type { AuthUser } from '../../auth/auth-user';
import { CalendarService } from '../../calendar/calendar.service';
import { clockOf } from '../../cases/case-clock';
import type { CaseEntity } from '../../cases/case.entity';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPES, CHANNEL_LABELS, CHANNELS } from '../../statute/intake';
import { addDays, byMonthOfTallies, emptyTally, figuresOfTally, rankGroups, type CaseTally, type FeeFact, type Period, type ReviewFact } from '../../statute/performance';
import { ordinalsWindowBack, workingDayOrdinals } from '../../statute/working-day-ordinals';
import { ReportScopeService } from '../report-scope';
import type { PerformanceBy, PerformanceDto, PerformanceGroupDto, PerformanceQuery } from './performance.dto';
import { PerformanceRepository, type ClockCaseRow, type TallyKey } from './performance.repository';

/** The longest period the figures are computed for (months): ten years. */
export const MAX_PERIOD_MONTHS = 120;
/** At most this many overdue cases are listed beside the count. */
export const OVERDUE_LIST_MAX = 200;
/**
 * How far before the period the working-day ordinals reach (days, ten years): SQL counts the working days to reply of
 * the cases received since; the clock counts the rest (received earlier, or with a pause or a correction).
 */
export const ORDINALS_LOOKBACK_DAYS = 3653;

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
    const key: TallyKey = by ?? 'none';
    const cal = this.calendar.current();
    const window = ordinalsWindowBack(period.to, (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + ORDINALS_LOOKBACK_DAYS);
    const ordinals = workingDayOrdinals(cal, window.from, window.to);
    const [tallyRows, clockRows, overdue, reviewRows, feeRows] = await Promise.all([
      this.repo.caseTallies(read, period, key, ordinals),
      this.repo.clockCases(read, period, key, ordinals),
      this.repo.overdueCases(scope.agencyIds, period.asOf, OVERDUE_LIST_MAX + 1),
      this.repo.reviews(read, period.from, period.to),
      this.repo.fees(read, period.from, period.to),
    ]);
    const reviews: Keyed<ReviewFact>[] = reviewRows.map((r) => ({
      agencyId: r.agency_id,
      applicantType: r.applicant_type,
      channel: r.channel,
      fact: { kind: r.kind, filedOn: r.filed_on, result: r.result, concludedOn: r.concluded_on },
    }));
    const fees: Keyed<FeeFact>[] = feeRows.map((r) => ({ agencyId: r.agency_id, applicantType: r.applicant_type, channel: r.channel, fact: { paidOn: r.paid_on, amount: Number(r.amount) } }));

    // the case tallies: the whole scope, and each group of the breakdown
    const inScope = new Set(scope.agencyIds);
    const counts = (k: string | null) => by !== 'agency' || (k !== null && inScope.has(k));
    const total = emptyTally();
    const groupTallies = new Map<string, CaseTally>();
    const group = (k: string | null) => {
      if (k === null) return null;
      let t = groupTallies.get(k);
      if (!t) groupTallies.set(k, (t = emptyTally()));
      return t;
    };
    for (const r of tallyRows) {
      const byDue = group(r.dueKey);
      const byConclusion = group(r.concludedKey);
      if (byDue) {
        byDue.dueIn += r.dueIn;
        byDue.replied += r.replied;
        byDue.overdue += by === 'month' ? r.overdueDueIn : r.overdue;
      }
      if (byConclusion) {
        byConclusion.concludedWithDue += r.concludedWithDue;
        byConclusion.onTime += r.onTime;
        if (r.workingDays !== null) addDays(byConclusion, r.workingDays, r.cases);
      }
      if (counts(r.dueKey)) {
        total.dueIn += r.dueIn;
        total.replied += r.replied;
        total.overdue += r.overdue;
      }
      if (counts(r.concludedKey)) {
        total.concludedWithDue += r.concludedWithDue;
        total.onTime += r.onTime;
        if (r.workingDays !== null) addDays(total, r.workingDays, r.cases);
      }
    }
    for (const r of clockRows) {
      const days = this.workingDaysToReply(r, cal);
      if (days === null) continue;
      const g = group(r.concluded_key);
      if (g) addDays(g, days);
      if (counts(r.concluded_key)) addDays(total, days);
    }

    const scoped = <T>(xs: Keyed<T>[]) => xs.filter((x) => inScope.has(x.agencyId)).map((x) => x.fact);
    const figures = figuresOfTally(period, total, scoped(reviews), scoped(fees));
    const overdueCases = overdue.slice(0, OVERDUE_LIST_MAX).map((r) => ({
      id: r.id,
      trackingNumber: r.tracking_number,
      agencyId: r.agency_id,
      state: r.state,
      due: r.computed_due,
      workingDaysOverdue: Math.max(1, cal.countWorkingDays(r.computed_due, period.asOf).workingDays),
    }));

    /** a group's figures: its case tally, its reviews and fees */
    const groupOf = (keyOf: (x: Keyed<unknown>) => string | null) => {
      const split = <T>(xs: Keyed<T>[]) => {
        const out = new Map<string, T[]>();
        for (const x of xs) {
          const k = keyOf(x);
          if (k === null) continue;
          const list = out.get(k);
          if (list) list.push(x.fact);
          else out.set(k, [x.fact]);
        }
        return out;
      };
      const rs = split(reviews);
      const fs = split(fees);
      return (k: string, label: string): PerformanceGroupDto => ({ key: k, label, rank: null, figures: figuresOfTally(period, groupTallies.get(k) ?? emptyTally(), rs.get(k) ?? [], fs.get(k) ?? []) });
    };
    let groups: PerformanceGroupDto[] = [];
    if (by === 'agency') {
      const g = groupOf((x) => x.agencyId);
      groups = rankGroups(subtree.filter((a) => a.id !== scope.agency.id).map((a) => g(a.id, a.name)));
    } else if (by === 'applicantType') {
      const g = groupOf((x) => (inScope.has(x.agencyId) ? x.applicantType : null));
      groups = APPLICANT_TYPES.map((t) => g(t, APPLICANT_TYPE_LABELS[t]));
    } else if (by === 'channel') {
      const g = groupOf((x) => (inScope.has(x.agencyId) ? x.channel : null));
      groups = CHANNELS.map((c) => g(c, CHANNEL_LABELS[c]));
    } else if (by === 'month') {
      groups = byMonthOfTallies(period, groupTallies, scoped(reviews), scoped(fees)).map((m) => ({ key: m.month, label: `${m.month.slice(0, 4)}年${Number(m.month.slice(5, 7))}月`, rank: null, figures: m.figures }));
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
  private workingDaysToReply(r: ClockCaseRow, cal: ReturnType<CalendarService['current']>): number | null {
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
