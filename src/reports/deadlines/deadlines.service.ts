import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { CalendarService } from '../../calendar/calendar.service';
import { clockOf, subDeadlinesOf } from '../../cases/case-clock';
import type { CaseEntity } from '../../cases/case.entity';
import { Clock } from '../../common/clock/clock';
import { CASE_STATE_LABELS } from '../../statute/case-states';
import { periodLapsed } from '../../statute/reply-clock';
import type { WorkingCalendar } from '../../statute/working-calendar';
import { ReportScopeService } from '../report-scope';
import type { AwaitingConfirmationDto, BoardItemDto, DeadlineBoardDto, DeadlineBoardQuery, LapsedItemDto } from './deadlines.dto';
import { mergeBoardPage, parseBoardCursor, pausedMinDaysBeforePause, pausedReceiptCutoff } from './board-page';
import { DeadlinesRepository, type BoardRow, type ClockRow } from './deadlines.repository';

export const BOARD_SIDE_LIST_MAX = 500;
/** The printed board holds at most this many cases. */
export const BOARD_PRINT_MAX = 5000;

/** A board item with its sort key (the deadline, then creation order). */
interface Keyed {
  due: string;
  seq: string;
  item: BoardItemDto;
}


/**
 * The supervisor's board (期限看板): open cases due within N working days and overdue ones, the most urgent first
 * (cases paused by a consultation or a fee notice placed at the deadline they would have if resumed today); beside
 * them the cases whose correction or payment period has lapsed (conclude-lapsed) and the submissions awaiting
 * confirmation.
 */
@Injectable()
export class DeadlinesService {
  constructor(
    private readonly scopes: ReportScopeService,
    private readonly repo: DeadlinesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async board(caller: AuthUser, q: DeadlineBoardQuery, all = false): Promise<DeadlineBoardDto> {
    const includeSub = q.includeSubAgencies ?? caller.role !== 'clerk';
    const scope = await this.scopes.resolve(caller, q.agencyId?.toLowerCase(), includeSub, 'board');
    const cal = this.calendar.current();
    const today = this.clock.today();
    const within = q.within ?? 5;
    const horizon = within === 0 ? today : cal.addWorkingDays(today, within).date;
    const limit = all ? BOARD_PRINT_MAX : (q.limit ?? 50);
    const cursor = q.cursor ? parseBoardCursor(q.cursor) : null;

    const [names, running, waiting, submissions] = await Promise.all([
      this.repo.names(scope.agencyIds),
      this.repo.running(scope.agencyIds, horizon, cursor, limit + 1),
      this.repo.waiting(scope.agencyIds, pausedReceiptCutoff(today, within), pausedMinDaysBeforePause(within)),
      this.repo.submissions(scope.agencyIds, BOARD_SIDE_LIST_MAX),
    ]);
    const paused: Keyed[] = [];
    for (const r of waiting) {
      // awaiting a correction no clock runs (the lapse list shows it when due); a case with a running deadline (a
      // consultation begun after the deadline pauses nothing) is among the running ones
      if (r.state === 'awaiting_correction' || r.due_date !== null) continue;
      const p = this.pausedItem(r, names, cal, today);
      if (p && p.due <= horizon) paused.push(p);
    }
    const { page, nextCursor } = mergeBoardPage(running.map((r) => this.runningItem(r, names, cal, today)), paused, cursor, limit);
    return {
      today,
      within,
      horizon,
      agency: scope.agency,
      includeSubAgencies: scope.includeSubAgencies,
      items: page.map((k) => k.item),
      nextCursor,
      lapsed: waiting.flatMap((r) => this.lapsedItem(r, names, cal, today)).slice(0, BOARD_SIDE_LIST_MAX),
      awaitingConfirmation: submissions.map(
        (s): AwaitingConfirmationDto => ({
          id: s.id,
          trackingNumber: s.tracking_number,
          agencyId: s.agency_id,
          agencyName: names.get(s.agency_id) ?? '',
          channel: s.channel,
          submittedAt: new Date(s.submitted_at).toISOString(),
          workingDaysWaiting: Math.max(0, cal.countWorkingDays(this.clock.todayOf(new Date(s.submitted_at)), today).workingDays),
        }),
      ),
    };
  }

  private base(r: BoardRow, names: Map<string, string>) {
    return {
      id: r.id,
      trackingNumber: r.tracking_number,
      agencyId: r.agency_id,
      agencyName: names.get(r.agency_id) ?? '',
      state: r.state,
      stateLabel: CASE_STATE_LABELS[r.state],
      receiptDate: r.receipt_date,
      assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    };
  }

  private runningItem(r: BoardRow, names: Map<string, string>, cal: WorkingCalendar, today: string): Keyed {
    const due = r.due_date!;
    const overdue = due < today;
    const days = cal.countWorkingDays(today, due).workingDays;
    return {
      due,
      seq: r.seq,
      item: { ...this.base(r, names), due, workingDaysLeft: overdue ? Math.min(days, -1) : days, overdue, paused: false, provisional: r.deadline_provisional },
    };
  }

  private entity(r: ClockRow): CaseEntity {
    return {
      state: r.state,
      receiptDate: r.receipt_date,
      correction: r.correction,
      consultations: r.consultations,
      fee: r.fee,
      extension: r.extension,
      delayedUntil: r.delayed_until,
      concludedOn: null,
      deliveries: r.deliveries,
    } as CaseEntity;
  }

  private pausedItem(r: ClockRow, names: Map<string, string>, cal: WorkingCalendar, today: string): Keyed | null {
    const s = clockOf(this.entity(r), cal, today);
    const due = s.paused ? s.dueIfResumedToday : s.due;
    if (due === null || s.workingDaysLeft === null) return null;
    return {
      due,
      seq: r.seq,
      item: { ...this.base(r, names), due, workingDaysLeft: s.workingDaysLeft, overdue: s.overdue, paused: s.paused, provisional: s.provisional },
    };
  }

  private lapsedItem(r: ClockRow, names: Map<string, string>, cal: WorkingCalendar, today: string): LapsedItemDto[] {
    if (r.state !== 'awaiting_correction' && r.state !== 'awaiting_fee') return [];
    const sub = subDeadlinesOf(this.entity(r), cal);
    const end = r.state === 'awaiting_correction' ? sub.correctionPeriodEnds : sub.feePaymentEnds;
    if (!end || !periodLapsed(end, today)) return [];
    const b = this.base(r, names);
    return [{ id: b.id, trackingNumber: b.trackingNumber, agencyId: b.agencyId, agencyName: b.agencyName, state: b.state, reason: r.state === 'awaiting_correction' ? 'correction' : 'fee', periodEnded: end, assignee: b.assignee }];
  }
}
