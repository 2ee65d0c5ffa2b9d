/**
 * Calendar dates as "day numbers": integer days since 1970-01-01 (day 0, a Thursday).
 *
 * All statutory periods of the Regulation are counted in whole calendar dates of Asia/Shanghai (statute §2–3),
 * so the calendar never needs times or time zones except to find "today" (`todayInShanghai`).
 * Parsing and formatting use integer arithmetic (Hinnant's civil-date algorithms), not `Date`.
 */

const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const CHAR_0 = 48;
const CHAR_DASH = 45;

/** Days in each month of a common year, index 1..12. */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month];
}

/** Day number of a proleptic Gregorian date (no validation: callers pass a real date). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `{ year, month, day }` of a day number. */
export function partsFromDayNumber(n: number): { year: number; month: number; day: number } {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * Strict `YYYY-MM-DD` (years 0001–9999) → day number, or `null` when malformed or impossible
 * (2024-02-30, 2023-02-29, 2024-13-01, ' 2024-01-01', '2024-1-1' are all `null`).
 */
export function parseIsoDate(s: string): number | null {
  if (typeof s !== 'string' || s.length !== 10) return null;
  if (s.charCodeAt(4) !== CHAR_DASH || s.charCodeAt(7) !== CHAR_DASH) return null;
  const y0 = s.charCodeAt(0) - CHAR_0;
  const y1 = s.charCodeAt(1) - CHAR_0;
  const y2 = s.charCodeAt(2) - CHAR_0;
  const y3 = s.charCodeAt(3) - CHAR_0;
  const m0 = s.charCodeAt(5) - CHAR_0;
  const m1 = s.charCodeAt(6) - CHAR_0;
  const d0 = s.charCodeAt(8) - CHAR_0;
  const d1 = s.charCodeAt(9) - CHAR_0;
  // Unsigned compare rejects both negatives and values above 9 in one test per digit.
  if (
    (y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 ||
    (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9
  ) {
    return null;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  if (day > 28 && day > daysInMonth(year, month)) return null;
  return dayNumberFromParts(year, month, day);
}

/** Type guard: a strict, real `YYYY-MM-DD` date. */
export function isIsoDate(s: unknown): s is string {
  return typeof s === 'string' && parseIsoDate(s) !== null;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** Day number → `YYYY-MM-DD`. */
export function formatDayNumber(n: number): string {
  const { year, month, day } = partsFromDayNumber(n);
  const y = year >= 1000 ? '' + year : ('000' + year).slice(-4);
  return y + '-' + pad2(month) + '-' + pad2(day);
}

/** Day of the week, 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function isWeekend(n: number): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

/** The calendar date in Asia/Shanghai (UTC+8) at the instant `now`, as `YYYY-MM-DD` (statute §2). */
export function todayInShanghai(now: Date = new Date()): string {
  return formatDayNumber(Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** `2024年9月27日`, the form used in explanations and letters. */
export function formatChineseDate(n: number): string {
  const { year, month, day } = partsFromDayNumber(n);
  return `${year}年${month}月${day}日`;
}

const WEEKDAY_NAMES_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** `星期一` … for a day number. */
export function weekdayNameZh(n: number): string {
  return WEEKDAY_NAMES_ZH[weekday(n)];
}
