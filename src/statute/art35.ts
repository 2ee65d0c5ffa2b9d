/**
 * Art 35 (申请人申请公开政府信息的数量、频次明显超过合理范围): the agency may ask the applicant to
 * explain; an unreasonable explanation (or none) lets it not handle the application (`rejected.vexatious`);
 * a reasonable one, when the applications cannot be answered in time, lets it set a later reply date.
 * Pure rules: the thresholds that flag an applicant at intake, and the guards of the two outcomes.
 */
import { applicantPeriodEnd } from './reply-clock';
import type { WorkingCalendar } from './working-calendar';

/** An agency's thresholds: more than `perMonth` applications in a calendar month, or more than `perWindow` within `windowDays` calendar days. */
export interface Art35Thresholds {
  readonly perMonth: number;
  readonly windowDays: number;
  readonly perWindow: number;
}

/** Our defaults: beyond the per-item fee's free ten a month, or more than five in a week. */
export const DEFAULT_ART35_THRESHOLDS: Art35Thresholds = { perMonth: 10, windowDays: 7, perWindow: 5 };

/** The applicant's period to explain, in working days from the receipt of the request (our default, as for a correction). */
export const REASONS_PERIOD_DAYS = 15;

/** The applicant's applications at the agency, this one included. */
export interface Art35Counts {
  /** in the calendar month of this application's receipt date */
  readonly month: number;
  /** within the `windowDays` calendar days ending on its receipt date (that day and the days before it) */
  readonly window: number;
}

export interface Art35Flag {
  readonly month: number;
  readonly window: number;
  readonly thresholds: Art35Thresholds;
  /** why, for the clerk */
  readonly reasons: readonly string[];
}

/** The flag intake sets when a count exceeds its threshold; null when neither does. */
export function art35Flag(counts: Art35Counts, t: Art35Thresholds = DEFAULT_ART35_THRESHOLDS): Art35Flag | null {
  for (const [k, v] of Object.entries(counts)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  }
  const reasons: string[] = [];
  if (counts.month > t.perMonth) reasons.push(`同一申请人本自然月内已向本机关提出申请${counts.month}件，超过本机关设定的${t.perMonth}件`);
  if (counts.window > t.perWindow) reasons.push(`同一申请人${t.windowDays}日内已向本机关提出申请${counts.window}件，超过本机关设定的${t.perWindow}件`);
  return reasons.length ? { month: counts.month, window: counts.window, thresholds: t, reasons } : null;
}

/** The request for reasons (说明理由) and, once recorded, the answer and the agency's finding. */
export interface ReasonsRequest {
  readonly requestedOn: string;
  readonly items: readonly string[];
  readonly periodDays: number;
  readonly answeredOn: string | null;
  readonly content: string | null;
  /** the agency's finding on the answer; null until recorded */
  readonly reasonable: boolean | null;
  /** the day the request in force went out, when a superseded request letter was replaced (its period runs from it) */
  readonly noticeOn?: string;
}

/** The last day the applicant may explain: `periodDays` working days from the recorded delivery (else the day it was sent). */
export function reasonsPeriodEnd(r: ReasonsRequest, deliveredOn: string | null, cal: WorkingCalendar): string {
  const from = deliveredOn && deliveredOn >= r.requestedOn ? deliveredOn : r.requestedOn;
  return applicantPeriodEnd(from, r.periodDays, cal).date;
}

export type Art35Decision = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly periodEnds?: string };

/**
 * `rejected.vexatious` (Art 35): reasons were asked, and answered and found unreasonable, or not answered
 * by the end of the period (`on` after it).
 */
export function vexatiousAllowed(r: ReasonsRequest | null, periodEnd: string | null, on: string): Art35Decision {
  if (!r) return { ok: false, message: '须先依条例第三十五条要求申请人说明理由' };
  if (r.reasonable === false) return { ok: true };
  if (r.reasonable === true) return { ok: false, message: '申请人说明的理由已认定为合理，不能以“无正当理由大量反复申请”不予处理' };
  if (periodEnd && on > periodEnd) return { ok: true };
  return { ok: false, message: `说明理由的期限至${periodEnd}届满，届满前申请人未说明理由的，不能认定为无正当理由`, ...(periodEnd ? { periodEnds: periodEnd } : {}) };
}

/** The Art 35 later reply date: the applicant's reasons were recorded and found reasonable. */
export function delayedReplyAllowed(r: ReasonsRequest | null): Art35Decision {
  if (!r) return { ok: false, message: '延迟答复须先依条例第三十五条要求申请人说明理由' };
  if (r.reasonable === true) return { ok: true };
  if (r.reasonable === false) return { ok: false, message: '申请人说明的理由已认定为不合理，不能延迟答复' };
  return { ok: false, message: '申请人尚未说明理由或本机关尚未认定其理由合理，不能延迟答复' };
}

/** A reasons request may be made once; its answer recorded once (a later finding is a new request's). */
export function reasonsRequestAllowed(r: ReasonsRequest | null): Art35Decision {
  if (r && r.reasonable === null) return { ok: false, message: '已要求申请人说明理由，尚待登记其说明' };
  if (r) return { ok: false, message: '本案已要求过申请人说明理由并作出认定' };
  return { ok: true };
}

export function recordReasonsAllowed(r: ReasonsRequest | null): Art35Decision {
  if (!r) return { ok: false, message: '本案未要求申请人说明理由' };
  if (r.reasonable !== null) return { ok: false, message: '申请人的说明已登记并作出认定' };
  return { ok: true };
}
