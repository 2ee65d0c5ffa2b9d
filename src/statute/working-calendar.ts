import {
  dayNumberFromParts,
  formatDayNumber,
  parseIsoDate,
  weekday,
  weekdayNameZh,
} from './iso-date';
import { OFFICIAL_ARRANGEMENTS, type YearArrangement } from './holiday-data';
import { LAST_STATUTORY_YEAR, statutoryDaysOff, type StatutoryDayOff } from './statutory-holidays';

export type { YearArrangement } from './holiday-data';


export interface ArrangementProblem {
  field: string;
  /** Chinese, for people. */
  message: string;
}

export type DayKind = 'holiday' | 'adjusted_workday' | 'weekend' | 'workday';

export interface DayResult {
  date: string;
  provisional: boolean;
}

export interface CountResult {
  workingDays: number;
  provisional: boolean;
}

export interface DayInfo {
  date: string;
  workingDay: boolean;
  kind: DayKind;
  provisional: boolean;
}

/** The precomputed range; outside it every method throws a `RangeError`. */
export const CALENDAR_RANGE = { from: '1990-01-01', to: '2200-12-31' } as const;
const FIRST = dayNumberFromParts(1990, 1, 1);
const LAST = dayNumberFromParts(2200, 12, 31);
const SIZE = LAST - FIRST + 1;
/** Arrangement years whose previous December lies inside the range. */
const MIN_YEAR = 1991;
const MAX_YEAR = 2200;

// Day kind codes: working days are the odd codes.
const K_WEEKEND = 0;
const K_WORKDAY = 1;
const K_HOLIDAY = 2;
const K_ADJUSTED = 3;
const KIND_NAMES: readonly DayKind[] = ['weekend', 'workday', 'holiday', 'adjusted_workday'];

/** Weekday-only kinds over the whole range, built once and copied for each calendar. */
let weekdayKinds: Uint8Array | undefined;
function baseKinds(): Uint8Array {
  if (!weekdayKinds) {
    weekdayKinds = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i++) {
      const w = weekday(FIRST + i);
      weekdayKinds[i] = w === 0 || w === 6 ? K_WEEKEND : K_WORKDAY;
    }
  }
  return weekdayKinds.slice();
}

/** `YYYY-MM-DD` strings of the whole range, built on first use (shared; ~77k strings). */
let isoStrings: string[] | undefined;
function isoString(n: number): string {
  const i = n - FIRST;
  if (i >= 0 && i < SIZE) {
    if (!isoStrings) {
      isoStrings = new Array<string>(SIZE);
      for (let j = 0; j < SIZE; j++) isoStrings[j] = formatDayNumber(FIRST + j);
    }
    return isoStrings[i];
  }
  return formatDayNumber(n);
}

/**
 * Problems with a year's arrangement, before it is loaded (admin `PUT /calendar/years/{year}`).
 * Checks: well-formed real dates; inside the year (the previous December is allowed, as in the 2019 and
 * 2023 notices); `work` days are Saturdays or Sundays (调休上班 only moves weekend days); no date in both
 * lists; no duplicates. An empty list means no problem.
 */
export function validateArrangement(
  year: number,
  arrangement: { off: readonly unknown[]; work: readonly unknown[] },
): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    problems.push({ field: 'year', message: `年份应为${MIN_YEAR}至${MAX_YEAR}之间的整数` });
    return problems;
  }
  const lowest = dayNumberFromParts(year - 1, 12, 1);
  const highest = dayNumberFromParts(year, 12, 31);
  const seen = new Map<number, 'off' | 'work'>();
  for (const field of ['off', 'work'] as const) {
    const list = arrangement[field];
    if (!Array.isArray(list)) {
      problems.push({ field, message: '应为日期列表' });
      continue;
    }
    list.forEach((value: unknown, index: number) => {
      const at = `${field}[${index}]`;
      const n = typeof value === 'string' ? parseIsoDate(value) : null;
      if (n === null) {
        problems.push({ field: at, message: `"${String(value)}"不是有效日期（格式应为YYYY-MM-DD）` });
        return;
      }
      const s = value as string;
      if (n < lowest || n > highest) {
        problems.push({ field: at, message: `${s}不在${year}年内（仅允许${year}年或${year - 1}年12月的日期）` });
        return;
      }
      if (field === 'work') {
        const w = weekday(n);
        if (w !== 0 && w !== 6) {
          problems.push({ field: at, message: `${s}是${weekdayNameZh(n)}，调休上班日应为星期六或星期日` });
        }
      }
      const before = seen.get(n);
      if (before === field) {
        problems.push({ field: at, message: `${s}重复出现` });
      } else if (before !== undefined) {
        problems.push({ field: at, message: `${s}同时出现在放假日期和调休上班日期中` });
      } else {
        seen.set(n, field);
      }
    });
  }
  return problems;
}

/** Thrown by `fromArrangements` / `withYear` for an arrangement that `validateArrangement` rejects. */
export class ArrangementError extends Error {
  constructor(
    readonly year: number,
    readonly problems: ArrangementProblem[],
  ) {
    super(`Invalid arrangement for ${year}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'ArrangementError';
  }
}

function toDay(s: string, what: string): number {
  const n = parseIsoDate(s);
  if (n === null) throw new RangeError(`${what} is not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return n;
}

function freeze(a: YearArrangement): YearArrangement {
  return Object.freeze({
    year: a.year,
    off: Object.freeze([...a.off]),
    work: Object.freeze([...a.work]),
    notices: Object.freeze([...(a.notices ?? [])]),
  });
}

/**
 * The working-day calendar (工作日, statute §3), immutable.
 *
 * A date is a working day iff (Monday–Friday and in no `off` list) or in some `work` list. Years before the
 * first loaded year count on weekdays alone; years after the last loaded year take off, besides weekends, the
 * statutory days of 《全国年节及纪念日放假办法》 and their compensation days (`statutory-holidays.ts`). Anything
 * touching a date on or after 1 December of the last loaded year is `provisional`: the next year's notice may
 * still change late December, and the arrangement of a year not loaded adds days no rule can foresee.
 *
 * Periods (Regulation Arts 30, 32, 33; our rule after 民事诉讼法 Art 85): N working days from D end on the
 * N-th working day strictly after D; D never counts and may be a non-working day. `count(a, b)` is the
 * number of working days in (a, b]. Both are O(1) lookups in arrays precomputed over `CALENDAR_RANGE`.
 */
export class WorkingCalendar {
  /** First day of the provisional zone (day number): 1 December of the last loaded year. */
  readonly provisionalFromN: number;
  readonly provisionalFrom: string;
  readonly firstLoadedYear: number;
  readonly lastLoadedYear: number;

  private readonly years: ReadonlyMap<number, YearArrangement>;
  /** Kind code per day index. */
  private readonly kinds: Uint8Array;
  /** prefix[i] = working days among indices [0, i). Length SIZE + 1. */
  private readonly prefix: Int32Array;
  /** nth[k] = day number of the (k+1)-th working day of the range. */
  private readonly nth: Int32Array;

  private constructor(years: Map<number, YearArrangement>) {
    if (years.size === 0) throw new RangeError('A working calendar needs at least one year');
    this.years = years;
    const sorted = [...years.keys()].sort((a, b) => a - b);
    this.firstLoadedYear = sorted[0];
    this.lastLoadedYear = sorted[sorted.length - 1];
    this.provisionalFromN = dayNumberFromParts(this.lastLoadedYear, 12, 1);
    this.provisionalFrom = formatDayNumber(this.provisionalFromN);

    const kinds = baseKinds();
    for (const y of sorted) {
      for (const s of years.get(y)!.off) kinds[parseIsoDate(s)! - FIRST] = K_HOLIDAY;
    }
    // A declared working day wins over an `off` entry of another year's notice.
    for (const y of sorted) {
      for (const s of years.get(y)!.work) kinds[parseIsoDate(s)! - FIRST] = K_ADJUSTED;
    }
    // Years after the last loaded one: the days off the 办法 fixes in advance (provisional, as the whole zone is).
    for (let y = this.lastLoadedYear + 1; y <= Math.min(MAX_YEAR, LAST_STATUTORY_YEAR); y++) {
      for (const d of statutoryDaysOff(y)) {
        const i = parseIsoDate(d.date)! - FIRST;
        if (i < SIZE) kinds[i] = K_HOLIDAY;
      }
    }
    const prefix = new Int32Array(SIZE + 1);
    let total = 0;
    for (let i = 0; i < SIZE; i++) {
      prefix[i] = total;
      total += kinds[i] & 1;
    }
    prefix[SIZE] = total;
    const nth = new Int32Array(total);
    for (let i = 0, k = 0; i < SIZE; i++) if (kinds[i] & 1) nth[k++] = FIRST + i;
    this.kinds = kinds;
    this.prefix = prefix;
    this.nth = nth;
  }

  /** Builds a calendar; throws `ArrangementError` for an invalid year, `RangeError` for none or a repeated year. */
  static fromArrangements(arrangements: readonly YearArrangement[]): WorkingCalendar {
    const years = new Map<number, YearArrangement>();
    for (const a of arrangements) {
      const problems = validateArrangement(a.year, a);
      if (problems.length > 0) throw new ArrangementError(a.year, problems);
      if (years.has(a.year)) throw new RangeError(`Year ${a.year} given twice`);
      years.set(a.year, freeze(a));
    }
    return new WorkingCalendar(years);
  }

  /** The calendar of the official arrangements shipped with the product (2019–2026). */
  static official(): WorkingCalendar {
    return WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS);
  }

  /** A new calendar with `arrangement` added or replacing the same year; this one is unchanged. */
  withYear(arrangement: YearArrangement): WorkingCalendar {
    const problems = validateArrangement(arrangement.year, arrangement);
    if (problems.length > 0) throw new ArrangementError(arrangement.year, problems);
    const years = new Map(this.years);
    years.set(arrangement.year, freeze(arrangement));
    return new WorkingCalendar(years);
  }

  /** The loaded arrangements, oldest first. */
  loadedYears(): YearArrangement[] {
    return [...this.years.values()].sort((a, b) => a.year - b.year);
  }

  // ---- day-number API (hot path) ----

  private index(n: number): number {
    const i = n - FIRST;
    if (!(i >= 0 && i < SIZE) || (i | 0) !== i) {
      throw new RangeError(`Day ${n} is outside the calendar range ${CALENDAR_RANGE.from}..${CALENDAR_RANGE.to}`);
    }
    return i;
  }

  /**
   * The `days`-th working day strictly after day `n` (for `days` < 0, strictly before; `days` = 0 gives `n`).
   * Throws `RangeError` when the answer leaves the precomputed range.
   */
  addN(n: number, days: number): number {
    const i = this.index(n);
    if ((days | 0) !== days) throw new RangeError(`Working days must be an integer: ${days}`);
    if (days === 0) return n;
    const k = days > 0 ? this.prefix[i + 1] + days - 1 : this.prefix[i] + days;
    if (k < 0 || k >= this.nth.length) throw new RangeError(`${days} working days from day ${n} leave the calendar range`);
    return this.nth[k];
  }

  /** Working days in (a, b]; negative when b < a (−count(b, a)). */
  countN(a: number, b: number): number {
    return this.prefix[this.index(b) + 1] - this.prefix[this.index(a) + 1];
  }

  isWorkingDayN(n: number): boolean {
    return (this.kinds[this.index(n)] & 1) === 1;
  }

  /** Whether day `n` is on or after 1 December of the last loaded year. */
  isProvisionalN(n: number): boolean {
    return n >= this.provisionalFromN;
  }

  /**
   * The statutory days off this calendar assumed in (a, b] for years not yet loaded (empty once they are): what a
   * provisional deadline took off besides weekends, to be shown beside it.
   */
  assumedDaysOffN(a: number, b: number): StatutoryDayOff[] {
    const out: StatutoryDayOff[] = [];
    const fromYear = Math.max(this.lastLoadedYear + 1, Number(formatDayNumber(a).slice(0, 4)));
    const toYear = Math.min(LAST_STATUTORY_YEAR, Number(formatDayNumber(b).slice(0, 4)));
    for (let y = fromYear; y <= toYear; y++) {
      for (const d of statutoryDaysOff(y)) {
        const n = parseIsoDate(d.date)!;
        if (n > a && n <= b) out.push(d);
      }
    }
    return out;
  }

  kindN(n: number): DayKind {
    return KIND_NAMES[this.kinds[this.index(n)]];
  }

  /** `n` itself when it is a working day, else the next one. */
  nextWorkingDayOnOrAfterN(n: number): number {
    return this.kinds[this.index(n)] & 1 ? n : this.addN(n, 1);
  }

  /** The last working day strictly before `n`. */
  previousWorkingDayN(n: number): number {
    return this.addN(n, -1);
  }

  // ---- string API (HTTP, case module) ----

  /** The N-th working day strictly after `from` (`GET /calendar/add-working-days`). */
  addWorkingDays(from: string, days: number): DayResult {
    const a = toDay(from, 'from');
    const d = this.addN(a, days);
    return { date: isoString(d), provisional: (d > a ? d : a) >= this.provisionalFromN };
  }

  /** Working days in (from, to] (`GET /calendar/working-days`). */
  countWorkingDays(from: string, to: string): CountResult {
    const a = toDay(from, 'from');
    const b = toDay(to, 'to');
    return { workingDays: this.countN(a, b), provisional: (b > a ? b : a) >= this.provisionalFromN };
  }

  /** `GET /calendar/days/{date}`. */
  dayInfo(date: string): DayInfo {
    const n = toDay(date, 'date');
    const code = this.kinds[this.index(n)];
    return {
      date: isoString(n),
      workingDay: (code & 1) === 1,
      kind: KIND_NAMES[code],
      provisional: n >= this.provisionalFromN,
    };
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayN(toDay(date, 'date'));
  }

  /** `date` when it is a working day, else the next working day (e.g. to move a reminder). */
  nextWorkingDayOnOrAfter(date: string): DayResult {
    const d = this.nextWorkingDayOnOrAfterN(toDay(date, 'date'));
    return { date: isoString(d), provisional: d >= this.provisionalFromN };
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): DayResult {
    const n = toDay(date, 'date');
    const d = this.previousWorkingDayN(n);
    return { date: isoString(d), provisional: n >= this.provisionalFromN };
  }
}

let official: WorkingCalendar | undefined;
/** A shared instance of `WorkingCalendar.official()`, built on first use. */
export function officialCalendar(): WorkingCalendar {
  return (official ??= WorkingCalendar.official());
}

/** Exposed for tests and tools: `YYYY-MM-DD` of a day number, served from the shared table when in range. */
export function isoOf(n: number): string {
  return isoString(n);
}
