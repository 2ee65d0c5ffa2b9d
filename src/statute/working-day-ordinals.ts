/**
 * Working-day ordinals: the working calendar over a window of dates as one array, so that SQL can count working days
 * by a subtraction (reports pass the array as a query parameter; the calendar itself stays `WorkingCalendar`, built
 * from the shipped and loaded years: one source of truth).
 *
 * `ordinals[i]` is the number of working days in (from, from + i]; for dates a, b in [from, to] the working days in
 * (a, b] are `ordinals[b − from] − ordinals[a − from]`, as `WorkingCalendar.countWorkingDays(a, b)` gives them.
 */
import { formatDayNumber, parseIsoDate } from './iso-date';
import { CALENDAR_RANGE, type WorkingCalendar } from './working-calendar';

export interface WorkingDayOrdinals {
  from: string;
  to: string;
  ordinals: number[];
}

/** The longest window (days): about thirty years. */
export const MAX_ORDINALS_WINDOW = 11_000;

/**
 * The ordinals of [from, to] on `cal`, the window clamped to the calendar's range (a window wholly outside it becomes
 * the range's nearest day). RangeError for a malformed date, `to` before `from`, or a window longer than
 * `MAX_ORDINALS_WINDOW` days.
 */
export function workingDayOrdinals(cal: WorkingCalendar, from: string, to: string): WorkingDayOrdinals {
  const a = day(from, 'from');
  const b = day(to, 'to');
  if (b < a) throw new RangeError(`window ${from}..${to} is empty`);
  if (b - a + 1 > MAX_ORDINALS_WINDOW) throw new RangeError(`window ${from}..${to} is longer than ${MAX_ORDINALS_WINDOW} days`);
  const lo = day(CALENDAR_RANGE.from, 'range');
  const hi = day(CALENDAR_RANGE.to, 'range');
  const first = Math.min(Math.max(a, lo), hi);
  const last = Math.max(Math.min(b, hi), first);
  const ordinals = new Array<number>(last - first + 1);
  for (let n = first; n <= last; n++) ordinals[n - first] = cal.countN(first, n);
  return { from: formatDayNumber(first), to: formatDayNumber(last), ordinals };
}

/** The window from `days` days before `to` to `to`, both ends clamped to the calendar's range. */
export function ordinalsWindowBack(to: string, days: number): { from: string; to: string } {
  const lo = day(CALENDAR_RANGE.from, 'range');
  const hi = day(CALENDAR_RANGE.to, 'range');
  const clamp = (n: number) => Math.min(Math.max(n, lo), hi);
  const n = day(to, 'to');
  return { from: formatDayNumber(clamp(n - days)), to: formatDayNumber(clamp(n)) };
}

function day(s: string, what: string): number {
  const n = parseIsoDate(s);
  if (n === null) throw new RangeError(`${what} is not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return n;
}
