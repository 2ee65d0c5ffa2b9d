/**
 * Which reminders a case needs now: a pure function of the case's facts, its agency's rules,
 * the calendar and the time. Future reminders fall on working days at 09:00 Asia/Shanghai;
 * a reminder whose time has passed when it is planned is due at once (and, being keyed, sent once).
 */
import { todayInShanghai } from './iso-date';
import type { WorkingCalendar } from './working-calendar';

/** Reminder rules of an agency: working days before the deadline, and which reminders are on. */
export interface ReminderRules {
  beforeDue: number[];
  onDueDay: boolean;
  escalateOverdue: boolean;
  dailyDigest: boolean;
}

/** The kinds of scheduled action (reminders, escalations, checks a clerk must make). */
export const ACTION_KINDS = [
  'deadline_reminder',
  'overdue_escalation',
  'correction_limit',
  'unconfirmed_submission',
  'consultation_response',
  'correction_lapsed',
  'fee_lapsed',
  'extension_approval',
  'reply_approval',
  'daily_digest',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** handlers: the 承办人, or every clerk of the agency while none; supervisors: the agency's supervisors */
export type Audience = 'handlers' | 'supervisors';

export const DEFAULT_RULES: ReminderRules = { beforeDue: [5, 2, 1], onDueDay: true, escalateOverdue: true, dailyDigest: true };

export interface ReminderFacts {
  caseId: string;
  state: string;
  /** the running clock's deadline (null: no clock, paused, concluded) */
  dueDate: string | null;
  submittedOn: string | null;
  /** 分办: the agency a submission was forwarded to, and the day (its reminder is that agency's, from that day) */
  forwarded?: { toAgencyId: string; on: string } | null;
  correctionRequestBy: string | null;
  correctionPeriodEnds: string | null;
  feePaymentEnds: string | null;
  consultationsRespondBy: { consultationId: string; date: string }[];
  extensionRequestedOn: string | null;
  replyDraftedAt: string | null;
  replyApprovals: number;
}

export interface PlannedAction {
  key: string;
  kind: ActionKind;
  audience: Audience;
  dueAt: Date;
  data: Record<string, unknown>;
}

/** 09:00 in Asia/Shanghai (UTC+8) on a calendar date. */
export function nineAm(date: string): Date {
  return new Date(`${date}T01:00:00.000Z`);
}

/** The working day N working days before `date` (N ≥ 1), or `date` itself for 0. */
export function workingDaysBefore(cal: WorkingCalendar, date: string, n: number): string {
  let d = date;
  for (let i = 0; i < n; i++) d = cal.previousWorkingDay(d).date;
  return d;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(cal: WorkingCalendar, date: string): string {
  return cal.addWorkingDays(date, 1).date;
}

/** The reminder at a working day's 09:00; the day itself may be a non-working day for "on the due day". */
function at(date: string, now: Date): Date {
  const t = nineAm(date);
  return t.getTime() < now.getTime() ? now : t;
}

export function planReminders(f: ReminderFacts, rules: ReminderRules, cal: WorkingCalendar, now: Date): PlannedAction[] {
  const out: PlannedAction[] = [];
  const c = f.caseId;

  if (f.state === 'submitted' && f.submittedOn) {
    // Art 31 (our rule): a portal submission not confirmed within a working day
    // after a forward, the agency it went to is reminded the working day after the forward (a key of its own)
    const fw = f.forwarded ?? null;
    const day = nextWorkingDay(cal, fw && fw.on > f.submittedOn ? fw.on : f.submittedOn);
    out.push({
      key: fw ? `unconfirmed:${c}:${fw.toAgencyId}` : `unconfirmed:${c}`,
      kind: 'unconfirmed_submission',
      audience: 'handlers',
      dueAt: at(day, now),
      data: fw ? { submittedOn: f.submittedOn, forwardedOn: fw.on } : { submittedOn: f.submittedOn },
    });
  }

  if (f.dueDate) {
    // before the deadline: future ones on their day; of those already past, only the latest, at once
    const series: { n: number; time: Date }[] = [];
    for (const n of [...new Set(rules.beforeDue)].sort((a, b) => b - a)) series.push({ n, time: nineAm(workingDaysBefore(cal, f.dueDate, n)) });
    if (rules.onDueDay) series.push({ n: 0, time: nineAm(f.dueDate) });
    const past = series.filter((s) => s.time.getTime() <= now.getTime());
    const keep = [...series.filter((s) => s.time.getTime() > now.getTime()), ...past.slice(-1)];
    const overdueDay = nextWorkingDay(cal, f.dueDate);
    const alreadyOverdue = nineAm(overdueDay).getTime() <= now.getTime();
    for (const s of keep) {
      if (alreadyOverdue) break; // the escalation says it all
      out.push({
        key: `due:${c}:${f.dueDate}:${s.n}`,
        kind: 'deadline_reminder',
        audience: 'handlers',
        dueAt: s.time.getTime() < now.getTime() ? now : s.time,
        data: { dueDate: f.dueDate, daysBefore: s.n },
      });
    }
    if (rules.escalateOverdue) {
      out.push({ key: `overdue:${c}:${f.dueDate}`, kind: 'overdue_escalation', audience: 'supervisors', dueAt: at(overdueDay, now), data: { dueDate: f.dueDate } });
    }
  }

  if (f.correctionRequestBy && f.state === 'in_progress') {
    // Art 30: the last day to ask for a correction
    const today = todayInShanghai(now);
    if (today <= f.correctionRequestBy) {
      out.push({ key: `correction-limit:${c}:${f.correctionRequestBy}`, kind: 'correction_limit', audience: 'handlers', dueAt: at(f.correctionRequestBy, now), data: { limit: f.correctionRequestBy } });
    }
  }

  for (const k of f.consultationsRespondBy) {
    out.push({ key: `consultation:${c}:${k.consultationId}:${k.date}`, kind: 'consultation_response', audience: 'handlers', dueAt: at(k.date, now), data: { respondBy: k.date } });
  }

  if (f.correctionPeriodEnds) {
    const day = nextWorkingDay(cal, f.correctionPeriodEnds);
    out.push({ key: `correction-lapsed:${c}:${f.correctionPeriodEnds}`, kind: 'correction_lapsed', audience: 'handlers', dueAt: at(day, now), data: { periodEnded: f.correctionPeriodEnds } });
  }
  if (f.feePaymentEnds) {
    const day = nextWorkingDay(cal, f.feePaymentEnds);
    out.push({ key: `fee-lapsed:${c}:${f.feePaymentEnds}`, kind: 'fee_lapsed', audience: 'handlers', dueAt: at(day, now), data: { periodEnded: f.feePaymentEnds } });
  }

  if (f.extensionRequestedOn) {
    out.push({ key: `extension-approval:${c}:${f.extensionRequestedOn}`, kind: 'extension_approval', audience: 'supervisors', dueAt: now, data: { requestedOn: f.extensionRequestedOn } });
  }
  if (f.replyDraftedAt && f.state === 'reply_review') {
    out.push({
      key: `reply-approval:${c}:${f.replyDraftedAt}:${f.replyApprovals + 1}`,
      kind: 'reply_approval',
      audience: 'supervisors',
      dueAt: now,
      data: { step: f.replyApprovals + 1 },
    });
  }
  return out;
}
