import { formatChineseDate, parseIsoDate } from './iso-date';
import { isoOf, type DayResult, type WorkingCalendar } from './working-calendar';

/** Art 33 ¶2: the reply period (答复期限), 20 working days from receipt. */
export const REPLY_PERIOD_DAYS = 20;
/** Art 30: a correction (补正) may be requested only within 7 working days of receipt. */
export const CORRECTION_REQUEST_DAYS = 7;
/** Art 30: the applicant's correction period; our configurable default (statute §4). */
export const CORRECTION_PERIOD_DAYS = 15;
/** 《政府信息公开信息处理费管理办法》: the applicant pays within 20 working days of receiving the fee notice. */
export const FEE_PAYMENT_DAYS = 20;
/** Arts 32 and 34: the third party's / the joint maker's 15 working days to answer a consultation. */
export const CONSULTATION_RESPONSE_DAYS = 15;
/** Art 33 ¶2: an extension (延长答复期限) adds at most 20 working days. */
export const MAX_EXTENSION_DAYS = 20;

/** Why the clock stands still: 征求第三方意见 (Art 32), 征求其他机关意见 (Arts 33 ¶3, 34), 收费通知 (办法). */
export type PauseKind = 'third_party' | 'other_agency' | 'fee';

export interface ClockPause {
  kind: PauseKind;
  /** The day the consultation letter or fee notice went out (S). */
  from: string;
  /** The day the clerk recorded its end (E); `null` while open. Days in (S, E] are not counted. */
  to: string | null;
}

/** What the reply clock (答复期限) depends on; every date `YYYY-MM-DD`. */
export interface ClockFacts {
  /** Art 31 receipt date (收到申请之日); `null` for an unconfirmed portal submission. */
  receiptDate: string | null;
  /** Default 20 (Art 33 ¶2). */
  periodDays?: number;
  /** Art 30: the corrected application arrived: the clock restarts from it. */
  correctionReceivedOn?: string | null;
  /** Art 30: a correction was requested on this day and has not yet arrived: no clock runs. */
  awaitingCorrectionSince?: string | null;
  pauses: readonly ClockPause[];
  /** Art 33 ¶2: approved extension only; 0 or absent when none. */
  extensionDays?: number;
  /** Art 35 delayed reply (延迟答复): this date becomes the deadline. */
  delayedUntil?: string | null;
  /** Day the case concluded (reply issued, lapse or withdrawal recorded). */
  concludedOn?: string | null;
}

export interface ClockState {
  /** The day the clock runs from (receipt, or the corrected application); `null` when no clock runs. */
  start: string | null;
  /** The current deadline; `null` with no clock, while paused, and after conclusion (see `computedDue`). */
  due: string | null;
  /** The deadline that applies (or applied at conclusion); `null` with no clock or while paused. */
  computedDue: string | null;
  /** While paused: the deadline if the pause ended today. */
  dueIfResumedToday: string | null;
  paused: boolean;
  concluded: boolean;
  /** Working days of the clock used so far (paused days excluded); frozen while paused. */
  workingDaysUsed: number | null;
  /**
   * 0 on the due day, −k when today is k working days after it (−1 on a non-working day right after it);
   * frozen at the pause start while paused.
   */
  workingDaysLeft: number | null;
  /** Open: today is after the deadline. Concluded: the conclusion came after the deadline that applied. */
  overdue: boolean;
  /** The deadline touches a date on or after the calendar's `provisionalFrom`. */
  provisional: boolean;
  /** Period + extension + paused working days (or, with an Art 35 date, working days from start to it). */
  totalDays: number;
  /** Working days not counted because of pauses (an open pause counted up to today). */
  pausedDays: number;
  /** The steps that derive the date, in Chinese. */
  explanation: string[];
}

const PAUSE_LABELS: Record<PauseKind, string> = {
  third_party: '征求第三方意见',
  other_agency: '征求其他机关意见',
  fee: '通知缴纳信息处理费',
};

/** How a provisional deadline was counted, naming the statutory days off it assumed (statute.md §3). */
function provisionalNote(cal: WorkingCalendar, fromN: number, toN: number): string {
  const assumed = cal.assumedDaysOffN(fromN, toN);
  const names = [...new Set(assumed.map((d) => d.holiday))];
  return names.length
    ? `（暂定：节假日安排尚未公布，已按《全国年节及纪念日放假办法》扣除${names.join('、')}假日${assumed.length}天，正式安排公布后重新计算）`
    : '（暂定：节假日安排尚未公布，按《全国年节及纪念日放假办法》规定的假日计算，正式安排公布后重新计算）';
}

function day(s: string, what: string): number {
  const n = parseIsoDate(s);
  if (n === null) throw new RangeError(`${what} is not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return n;
}

function optionalDay(s: string | null | undefined, what: string): number | null {
  return s === null || s === undefined ? null : day(s, what);
}

const zh = formatChineseDate;

/** Union of pause spans: `to` = null for an open span. */
interface PauseSpan {
  from: number;
  to: number | null;
  kinds: PauseKind[];
}

function mergePauses(pauses: readonly ClockPause[], startN: number): { spans: PauseSpan[]; discarded: number } {
  const parsed: { from: number; to: number | null; kind: PauseKind }[] = [];
  let discarded = 0;
  pauses.forEach((p, i) => {
    const from = day(p.from, `pauses[${i}].from`);
    const to = optionalDay(p.to, `pauses[${i}].to`);
    if (to !== null && to < from) throw new RangeError(`pauses[${i}] ends before it begins`);
    // Art 30: a correction restarts the clock; pauses begun before the start no longer matter.
    if (from < startN) discarded++;
    else parsed.push({ from, to, kind: p.kind });
  });
  parsed.sort((a, b) => a.from - b.from);
  const spans: PauseSpan[] = [];
  for (const p of parsed) {
    const last = spans[spans.length - 1];
    // (S1, E1] and (S2, E2] overlap or touch when S2 <= E1: the clock stands still while any is open.
    if (last && (last.to === null || p.from <= last.to)) {
      last.to = last.to === null || p.to === null ? null : Math.max(last.to, p.to);
      if (!last.kinds.includes(p.kind)) last.kinds.push(p.kind);
    } else {
      spans.push({ from: p.from, to: p.to, kinds: [p.kind] });
    }
  }
  return { spans, discarded };
}

function noClock(explanation: string[], concluded: boolean): ClockState {
  return {
    start: null,
    due: null,
    computedDue: null,
    dueIfResumedToday: null,
    paused: false,
    concluded,
    workingDaysUsed: null,
    workingDaysLeft: null,
    overdue: false,
    provisional: false,
    totalDays: 0,
    pausedDays: 0,
    explanation,
  };
}

function lateBy(days: number): string {
  return days > 0 ? `超过答复期限${days}个工作日` : '超过答复期限';
}

/**
 * The reply clock of one case (statute §4), as of `today` (`YYYY-MM-DD`, Asia/Shanghai).
 *
 * - The clock runs from the receipt date (Arts 31, 33), or from the corrected application (Art 30), which
 *   also discards pauses begun before it; no clock runs while a correction is awaited.
 * - A pause (Arts 32, 33 ¶3, 34; 办法) begun on S and ended on E does not count the working days in (S, E];
 *   overlapping pauses count their union once. A pause begun after the deadline had passed is ignored.
 * - due = start + (period + approved extension (Art 33 ¶2) + paused working days) working days.
 * - An Art 35 delayed-reply date replaces the deadline. It is a date the agency set, not a period: pauses
 *   neither move it (while one is open no deadline runs; once it ends the date applies again) nor may begin after it.
 */
export function computeReplyClock(facts: ClockFacts, cal: WorkingCalendar, today: string): ClockState {
  const todayN = day(today, 'today');
  const period = facts.periodDays ?? REPLY_PERIOD_DAYS;
  const extension = facts.extensionDays ?? 0;
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`periodDays must be a positive integer: ${period}`);
  if (!Number.isInteger(extension) || extension < 0) {
    throw new RangeError(`extensionDays must be a non-negative integer: ${extension}`);
  }
  const concludedN = optionalDay(facts.concludedOn, 'concludedOn');
  const concluded = concludedN !== null;
  const explanation: string[] = [];

  if (facts.receiptDate === null) {
    explanation.push('尚未确认收到申请，答复期限尚未起算');
    return noClock(explanation, concluded);
  }
  const receiptN = day(facts.receiptDate, 'receiptDate');
  explanation.push(`${zh(receiptN)}收到申请`);
  explanation.push(period === REPLY_PERIOD_DAYS ? `法定答复期限${period}个工作日` : `答复期限${period}个工作日`);

  const correctionN = optionalDay(facts.correctionReceivedOn, 'correctionReceivedOn');
  const awaitingN = optionalDay(facts.awaitingCorrectionSince, 'awaitingCorrectionSince');
  if (correctionN !== null && correctionN < receiptN) throw new RangeError('correctionReceivedOn is before receiptDate');

  // Art 30: while a correction is awaited no reply deadline runs.
  if (awaitingN !== null && (correctionN === null || correctionN < awaitingN)) {
    explanation.push(`${zh(awaitingN)}通知补正，补正期间不计算答复期限，自收到补正后的申请之日起重新计算`);
    if (concluded) explanation.push(`${zh(concludedN)}办结`);
    return noClock(explanation, concluded);
  }

  const startN = correctionN ?? receiptN;
  const { spans, discarded } = mergePauses(facts.pauses, startN);
  if (correctionN !== null) {
    explanation.push(
      `${zh(correctionN)}收到补正后的申请，期限重新起算` + (discarded > 0 ? '（此前的暂停不再计算）' : ''),
    );
  }

  const base = period + extension;
  const delayedN = optionalDay(facts.delayedUntil, 'delayedUntil');
  let excluded = 0;
  let openFrom: number | null = null;
  const counted: { from: number; to: number }[] = [];
  for (const span of spans) {
    const label = span.kinds.map((k) => PAUSE_LABELS[k]).join('、');
    // under an Art 35 date, that date is the deadline a pause must begin by
    const dueSoFar = delayedN ?? cal.addN(startN, base + excluded);
    if (span.from > dueSoFar) {
      explanation.push(`${label}始于${zh(span.from)}，已在答复期限届满之后，不暂停计算`);
      continue;
    }
    if (span.to === null) {
      openFrom = span.from;
      explanation.push(`${label}，自${zh(span.from)}起暂停计算`);
      break; // an open span absorbs every later pause
    }
    const k = cal.countN(span.from, span.to);
    excluded += k;
    counted.push({ from: span.from, to: span.to });
    explanation.push(
      delayedN !== null
        ? `${label}，${zh(span.from)}至${zh(span.to)}（依条例第三十五条确定的答复期限不因此顺延）`
        : `${label}，${zh(span.from)}至${zh(span.to)}暂停计算${k}个工作日`,
    );
  }
  if (extension > 0) explanation.push(`经批准延长答复期限${extension}个工作日`);

  // Paused (consulting, awaiting_fee): no deadline runs; the days left are frozen at the pause start.
  if (openFrom !== null) {
    const asOf = concludedN ?? todayN;
    const used = Math.max(0, cal.countN(startN, openFrom) - excluded);
    const left = delayedN !== null ? cal.countN(openFrom, delayedN) : base - used;
    const pausedNow = Math.max(0, cal.countN(openFrom, asOf));
    const resumedDue = delayedN ?? cal.addN(startN, base + excluded + pausedNow);
    if (delayedN !== null) explanation.push(`依条例第三十五条延迟答复至${zh(delayedN)}`);
    if (concluded) {
      explanation.push(`${zh(concludedN)}在暂停计算期间办结`);
    } else {
      explanation.push(`暂停计算中，恢复计算后尚余${left}个工作日`);
    }
    return {
      start: isoOf(startN),
      due: null,
      computedDue: null,
      dueIfResumedToday: concluded ? null : isoOf(resumedDue),
      paused: !concluded,
      concluded,
      workingDaysUsed: used,
      workingDaysLeft: left,
      overdue: false,
      provisional: !concluded && delayedN === null && cal.isProvisionalN(resumedDue),
      totalDays: delayedN !== null ? cal.countN(startN, delayedN) : base + excluded + pausedNow,
      pausedDays: excluded + pausedNow,
      explanation,
    };
  }

  const computedN = cal.addN(startN, base + excluded);
  const deadlineN = delayedN ?? computedN;
  // An Art 35 date is set by the agency, not computed: it is never provisional.
  const provisional = delayedN === null && cal.isProvisionalN(computedN);
  explanation.push(
    delayedN !== null
      ? `依条例第三十五条延迟答复，答复期限为${zh(delayedN)}`
      : `答复期限为${zh(computedN)}` + (provisional ? provisionalNote(cal, startN, computedN) : ''),
  );

  const asOf = concludedN ?? todayN;
  let pausedBeforeAsOf = 0;
  for (const s of counted) if (asOf > s.from) pausedBeforeAsOf += cal.countN(s.from, Math.min(s.to, asOf));
  const used = Math.max(0, cal.countN(startN, asOf) - pausedBeforeAsOf);
  const overdue = asOf > deadlineN;
  // working days from today to the deadline; past it, at least −1: a non-working day right after the due day is
  // already late (contract: 0 on the due day, negative when overdue), though no working day has yet gone by
  const daysTo = cal.countN(asOf, deadlineN);
  const left = overdue ? Math.min(daysTo, -1) : daysTo;
  if (concluded) {
    explanation.push(`${zh(concludedN)}办结，` + (overdue ? lateBy(-daysTo) : '未超过答复期限'));
  } else if (overdue) {
    explanation.push(`已${lateBy(-daysTo)}`);
  }
  const iso = isoOf(deadlineN);
  return {
    start: isoOf(startN),
    due: concluded ? null : iso,
    computedDue: iso,
    dueIfResumedToday: null,
    paused: false,
    concluded,
    workingDaysUsed: used,
    workingDaysLeft: left,
    overdue,
    provisional,
    totalDays: delayedN !== null ? cal.countN(startN, delayedN) : base + excluded,
    pausedDays: excluded,
    explanation,
  };
}

/** Art 30: the last day on which a correction may be requested (7 working days after receipt). */
export function correctionRequestDeadline(receipt: string, cal: WorkingCalendar): DayResult {
  return cal.addWorkingDays(receipt, CORRECTION_REQUEST_DAYS);
}

/**
 * The end of a period that runs from the addressee's receipt of a notice (statute §4): the applicant's
 * correction period (Art 30, default `CORRECTION_PERIOD_DAYS`), the fee payment (`FEE_PAYMENT_DAYS`),
 * a consultation's answer (Arts 32, 34, `CONSULTATION_RESPONSE_DAYS`). `from` is the delivery date, or
 * until one is recorded the day the notice was sent.
 */
export function applicantPeriodEnd(from: string, days: number, cal: WorkingCalendar): DayResult {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  return cal.addWorkingDays(from, days);
}

/** A period ending on `end` has lapsed on `on` (a lapse may be recorded only the day after the end, or later). */
export function periodLapsed(end: string, on: string): boolean {
  return day(on, 'on') > day(end, 'end');
}

/**
 * The deadline has not passed on `on`: a clock runs (or stands paused) and `on` is on or before the due
 * date. Guards pauses ("no pause may begin after the deadline has passed", statute §4).
 */
export function withinDeadline(state: ClockState, on: string): boolean {
  if (state.start === null || state.concluded) return false;
  if (state.paused) return true;
  return state.due !== null && day(on, 'on') <= day(state.due, 'due');
}

/** Art 33 ¶2 (our rule): an extension may be approved only on or before the current deadline. */
export function extensionApprovable(state: ClockState, on: string): boolean {
  return withinDeadline(state, on);
}
