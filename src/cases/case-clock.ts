import { caseClock, clockFactsOf, noticeSentOn, pausesOf, receivedOn } from '../statute/case-clock-facts';
import { applicantPeriodEnd, CONSULTATION_RESPONSE_DAYS, correctionRequestDeadline, FEE_PAYMENT_DAYS, type ClockState } from '../statute/reply-clock';
import type { WorkingCalendar } from '../statute/working-calendar';
import type { CaseEntity, Consultation } from './case.entity';

type ClockInputs = Pick<CaseEntity, 'state' | 'receiptDate' | 'correction' | 'consultations' | 'fee' | 'extension' | 'delayedUntil' | 'concludedOn' | 'deliveries'>;

export { clockFactsOf, noticeSentOn, pausesOf, receivedOn };

export function clockOf(c: ClockInputs, cal: WorkingCalendar, today: string): ClockState {
  return caseClock(c, cal, today);
}

/** The deadline as staff see it (a case's `deadline`), from the clock's state. */
export function deadlineView(clock: ClockState) {
  return {
    due: clock.due,
    paused: clock.paused,
    workingDaysUsed: clock.workingDaysUsed,
    workingDaysLeft: clock.workingDaysLeft,
    overdue: clock.overdue,
    provisional: clock.provisional,
    explanation: clock.explanation,
    start: clock.start,
    computedDue: clock.computedDue,
    dueIfResumedToday: clock.dueIfResumedToday,
    pausedDays: clock.pausedDays,
  };
}

/** The columns derived from the clock, stored for lists, filters and reminders. */
export function derivedColumns(c: ClockInputs, cal: WorkingCalendar, today: string): Pick<CaseEntity, 'dueDate' | 'computedDue' | 'deadlineProvisional' | 'concludedLate'> {
  const s = clockOf(c, cal, today);
  return {
    dueDate: s.due,
    computedDue: s.computedDue,
    deadlineProvisional: s.provisional,
    concludedLate: c.state === 'concluded' ? s.overdue : null,
  };
}

const CONSULTATION_LETTERS: Record<Consultation['party'], string> = { third_party: 'third_party_consultation', other_agency: 'agency_consultation' };

/**
 * The day each consultation's letter reached its addressee, by consultation id. A delivery recorded with the letter's
 * id names its consultation exactly (the latest such record counts). One that names only the kind of letter is given,
 * with several consultations of one kind, as the letters table marks it, to the latest letter sent on or before it
 * that has none yet (else to the latest one, whose day it then replaces); never to a consultation named exactly.
 * A receipt of a superseded letter recorded after it was superseded counts for none (a fact of that letter only).
 */
export function consultationDeliveries(c: Pick<CaseEntity, 'consultations' | 'deliveries'>): Map<string, string> {
  const out = new Map<string, string>();
  const exact = new Set<string>();
  for (const d of c.deliveries) {
    if (d.superseded || !d.consultationId || !c.consultations.some((k) => k.id === d.consultationId)) continue;
    out.set(d.consultationId, d.on);
    exact.add(d.consultationId);
  }
  for (const [party, code] of Object.entries(CONSULTATION_LETTERS)) {
    const sent = c.consultations.filter((k) => k.party === party && !exact.has(k.id));
    for (const d of c.deliveries) {
      if (d.of !== code || d.consultationId || d.superseded) continue;
      const before = sent.filter((k) => k.openedOn <= d.on);
      const open = before.filter((k) => !out.has(k.id));
      const pool = open.length ? open : before;
      // the latest sent; of letters sent the same day, the later one
      const k = pool.reduce<Consultation | null>((a, b) => (a === null || b.openedOn >= a.openedOn ? b : a), null);
      if (k) out.set(k.id, d.on);
    }
  }
  return out;
}

export interface SubDeadlines {
  /** Art 30: the last day to ask for a correction (7 working days from receipt) */
  correctionRequestBy: string | null;
  /** the applicant's correction period ends (from the notice's receipt) */
  correctionPeriodEnds: string | null;
  /** the applicant's 20 working days to pay end (办法) */
  feePaymentEnds: string | null;
  /** each open consultation's response period (15 working days from the letter's receipt) */
  consultationsRespondBy: { consultationId: string; date: string }[];
}

export function subDeadlinesOf(c: CaseEntity, cal: WorkingCalendar): SubDeadlines {
  const out: SubDeadlines = { correctionRequestBy: null, correctionPeriodEnds: null, feePaymentEnds: null, consultationsRespondBy: [] };
  if (c.receiptDate && !c.correction && (c.state === 'in_progress' || c.state === 'consulting' || c.state === 'awaiting_fee')) {
    out.correctionRequestBy = correctionRequestDeadline(c.receiptDate, cal).date;
  }
  if (c.state === 'awaiting_correction' && c.correction) {
    out.correctionPeriodEnds = applicantPeriodEnd(receivedOn(c.deliveries, 'correction_notice', noticeSentOn(c.correction, c.correction.requestedOn)), c.correction.periodDays, cal).date;
  }
  if (c.state === 'awaiting_fee' && c.fee) {
    out.feePaymentEnds = applicantPeriodEnd(receivedOn(c.deliveries, 'fee_notice', noticeSentOn(c.fee, c.fee.notifiedOn)), FEE_PAYMENT_DAYS, cal).date;
  }
  const delivered = consultationDeliveries(c);
  for (const k of c.consultations.filter((x) => !x.closedOn)) {
    // from the receipt of the letter in force: never before it went out (a replaced letter's receipt is earlier)
    const sent = noticeSentOn(k, k.openedOn);
    const received = delivered.get(k.id);
    out.consultationsRespondBy.push({ consultationId: k.id, date: applicantPeriodEnd(received && received > sent ? received : sent, CONSULTATION_RESPONSE_DAYS, cal).date });
  }
  return out;
}
