import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type FieldProblem } from '../common/errors/domain-error';
import {
  type CalendarYearDto,
  type CalendarYearsDto,
  fieldError,
  type LoadYearResultDto,
  MAX_DATES_PER_LIST,
  MAX_NOTICE_LENGTH,
  MAX_NOTICES,
  type YearSource,
  yearProblem,
} from './dto/calendar.dto';
import { OFFICIAL_ARRANGEMENTS } from '../statute/holiday-data';
import { CALENDAR_RANGE, type CountResult, type DayInfo, type DayResult, validateArrangement, WorkingCalendar, type YearArrangement } from '../statute/working-calendar';

/** How stale the in-memory calendar may get before it is checked against `calendar_years` again. */
/** How stale it may be for a command that fixes a deadline (CalendarService.fresh). */
export const CALENDAR_COMMAND_MAX_AGE_MS = 1000;
export const CALENDAR_REFRESH_MS = 5_000;

export type YearLoadedListener = (year: number) => Promise<void> | void;

export interface LoadYearInput {
  off: readonly unknown[];
  work: readonly unknown[];
  notices?: readonly unknown[];
}

interface YearMeta {
  source: YearSource;
  loadedBy: string | null;
  loadedAt: string | null;
}

/** The calendar built from the shipped data and the stored years, with what it was built from. */
interface Snapshot {
  calendar: WorkingCalendar;
  meta: ReadonlyMap<number, YearMeta>;
  /** Fingerprint of `calendar_years` the calendar was built from. */
  signature: string;
}

interface StoredYearRow {
  year: number;
  off: string[];
  work: string[];
  notices: string[];
  loaded_by: string | null;
  updated_at: Date;
}

/** Changes whenever any stored year changes (a row added, removed, re-loaded, or edited by hand). */
const SIGNATURE_SQL = `
  SELECT count(*)::int AS n,
         max(updated_at) AS latest,
         md5(coalesce(string_agg(year::text || ':' || off::text || ':' || work::text || ':' || notices::text || ':' || updated_at::text, '|' ORDER BY year), '')) AS digest
    FROM calendar_years`;

const ROWS_SQL = `
  SELECT year,
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(off) AS d ORDER BY d) AS off,
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(work) AS d ORDER BY d) AS work,
         notices, loaded_by, updated_at
    FROM calendar_years
   ORDER BY year`;

const UPSERT_SQL = `
  INSERT INTO calendar_years (year, off, work, notices, loaded_by, updated_at)
  VALUES ($1, $2::date[], $3::date[], $4::text[], $5, clock_timestamp())
  ON CONFLICT (year) DO UPDATE
     SET off = EXCLUDED.off, work = EXCLUDED.work, notices = EXCLUDED.notices,
         loaded_by = EXCLUDED.loaded_by, updated_at = EXCLUDED.updated_at`;

/**
 * The working calendar in force: the official arrangements shipped in `holiday-data.ts`, each year
 * replaced by the one an administrator stored in `calendar_years` when there is one.
 *
 * `current()` is synchronous and O(1): it returns the instance held in memory. That instance is checked
 * against the table every `CALENDAR_REFRESH_MS` (a timer, and lazily from `current()`), so a year loaded
 * by another process (API replica, worker) takes effect here within seconds, without a restart. Commands
 * that must not act on a stale calendar use `await fresh()`.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CalendarService.name);
  private readonly listeners = new Set<YearLoadedListener>();

  private snapshot: Snapshot = shippedSnapshot();
  /** Snapshots are numbered when their read starts (or, for a load, when it commits); an older one never replaces a newer. */
  private sequence = 0;
  private appliedSequence = 0;
  private checkedAt = 0;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loads: Promise<unknown> = Promise.resolve();

  constructor(private readonly ds: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => this.refreshInBackground(), CALENDAR_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await (this.queued ?? this.running)?.catch(() => undefined);
  }

  // ---- reading the calendar ----

  /** The calendar in force, from memory (at most ~`CALENDAR_REFRESH_MS` behind another process's load). */
  current(): WorkingCalendar {
    if (Date.now() - this.checkedAt >= CALENDAR_REFRESH_MS) this.refreshInBackground();
    return this.snapshot.calendar;
  }

  /**
   * The calendar in force as of now in the database, or as of a check begun at most `maxAgeMs` ago: for
   * commands that fix a deadline (a load in another process reaches them within `maxAgeMs`, not within the
   * background refresh).
   */
  async fresh(maxAgeMs = 0): Promise<WorkingCalendar> {
    if (maxAgeMs > 0 && Date.now() - this.checkedAt < maxAgeMs) return this.snapshot.calendar;
    await this.refresh();
    return this.snapshot.calendar;
  }

  /**
   * Checks `calendar_years` and rebuilds the calendar when it changed. Concurrent calls share the check
   * in flight plus at most one more, started after it, so a caller always sees a check begun after its call.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.reload().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      });
    return this.queued;
  }

  /** `GET /calendar/add-working-days`. */
  addWorkingDays(from: string, days: number): { from: string; days: number } & DayResult {
    try {
      return { from, days, ...this.current().addWorkingDays(from, days) };
    } catch (err) {
      throw asClientError(err, 'days');
    }
  }

  /** `GET /calendar/working-days`. */
  countWorkingDays(from: string, to: string): { from: string; to: string } & CountResult {
    if (to < from) throw fieldError('to', '结束日期不能早于开始日期（from）');
    try {
      return { from, to, ...this.current().countWorkingDays(from, to) };
    } catch (err) {
      throw asClientError(err, 'from');
    }
  }

  /** `GET /calendar/days/{date}`. */
  dayInfo(date: string): DayInfo {
    try {
      return this.current().dayInfo(date);
    } catch (err) {
      throw asClientError(err, 'date');
    }
  }

  /** `GET /calendar/years`: every year in force, with where it came from. */
  years(): CalendarYearsDto {
    const { calendar, meta } = this.snapshot;
    return {
      items: calendar.loadedYears().map((a) => mapYear(a, meta.get(a.year))),
      lastLoadedYear: calendar.lastLoadedYear,
      provisionalFrom: calendar.provisionalFrom,
    };
  }

  // ---- loading a year ----

  /**
   * Registers a listener called with the year after an administrator loads one in this process (the case
   * module recomputes open deadlines). Listeners run one after another; their errors are logged, never
   * passed to the administrator. Returns a function that unregisters it.
   */
  onYearLoaded(listener: YearLoadedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Validates and stores a year's official arrangement, replacing the shipped or earlier loaded one of
   * that year; the new calendar is in force in this process on return (in others within seconds), and
   * the listeners have run. 400 `VALIDATION_FAILED` naming `year`, `off`, `work[2]`, `notices[0]` ….
   */
  async loadYear(year: number, input: LoadYearInput, actorId: string | null): Promise<LoadYearResultDto> {
    const arrangement = checkInput(year, input);
    // One load at a time in this process, so snapshots are applied in the order they were committed.
    const run = this.loads.then(() => this.store(arrangement, actorId));
    this.loads = run.catch(() => undefined);
    return run;
  }

  // ---- internals ----

  private async store(arrangement: YearArrangement, actorId: string | null): Promise<LoadYearResultDto> {
    const { year } = arrangement;
    const { snapshot, existed } = await this.ds.transaction(async (m) => {
      // Writers of every process queue here, so the rows read below include every earlier load.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('calendar_years'))`);
      const found: unknown[] = await m.query('SELECT 1 FROM calendar_years WHERE year = $1', [year]);
      await m.query(UPSERT_SQL, [year, arrangement.off, arrangement.work, arrangement.notices ?? [], actorId]);
      return { snapshot: await this.readSnapshot(m), existed: found.length > 0 };
    });
    // Numbered at commit: a background check that read the table before the commit cannot undo it.
    this.apply(snapshot, ++this.sequence);
    this.logger.log({ year, actorId, off: arrangement.off.length, work: arrangement.work.length }, 'calendar year loaded');
    await this.notify(year);
    const { calendar, meta } = snapshot;
    const loaded = calendar.loadedYears().find((a) => a.year === year) ?? arrangement;
    return {
      ...mapYear(loaded, meta.get(year)),
      replaced: existed || OFFICIAL_ARRANGEMENTS.some((a) => a.year === year),
      lastLoadedYear: calendar.lastLoadedYear,
      provisionalFrom: calendar.provisionalFrom,
    };
  }

  // ---- internals ----

  private refreshInBackground(): void {
    if (this.running) return;
    this.checkedAt = Date.now();
    this.refresh().catch((err: unknown) => this.logger.error({ err }, 'calendar refresh failed; keeping the calendar in memory'));
  }

  private async reload(): Promise<void> {
    this.checkedAt = Date.now();
    const sequence = ++this.sequence;
    const signature = await readSignature(this.ds.manager);
    if (signature === this.snapshot.signature) return;
    const snapshot = await this.readSnapshot(this.ds.manager, signature);
    this.apply(snapshot, sequence);
  }

  private apply(snapshot: Snapshot, sequence: number): void {
    if (sequence <= this.appliedSequence) return;
    this.appliedSequence = sequence;
    const before = this.snapshot.calendar;
    this.snapshot = snapshot;
    if (before.lastLoadedYear !== snapshot.calendar.lastLoadedYear) {
      this.logger.log({ lastLoadedYear: snapshot.calendar.lastLoadedYear, provisionalFrom: snapshot.calendar.provisionalFrom }, 'calendar refreshed');
    }
  }

  /**
   * Reads every stored year. The signature is read first: should a load commit in between, the rows are
   * newer than the signature, and the next check simply reads them again.
   */
  private async readSnapshot(m: EntityManager, knownSignature?: string): Promise<Snapshot> {
    const signature = knownSignature ?? (await readSignature(m));
    const rows: StoredYearRow[] = await m.query(ROWS_SQL);
    const years = new Map<number, YearArrangement>(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, a]));
    const meta = new Map<number, YearMeta>(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, SHIPPED]));
    for (const row of rows) {
      const arrangement: YearArrangement = { year: row.year, off: row.off, work: row.work, notices: row.notices ?? [] };
      const problems = validateArrangement(row.year, arrangement);
      if (problems.length > 0) {
        // Only a hand edit can get here (loadYear validates): keep the shipped year rather than refuse to start.
        this.logger.error({ year: row.year, problems }, 'stored calendar year is invalid; ignored');
        continue;
      }
      years.set(row.year, arrangement);
      meta.set(row.year, { source: 'loaded', loadedBy: row.loaded_by, loadedAt: new Date(row.updated_at).toISOString() });
    }
    return { calendar: WorkingCalendar.fromArrangements([...years.values()]), meta, signature };
  }

  private async notify(year: number): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(year);
      } catch (err) {
        this.logger.error({ err, year }, 'calendar year listener failed');
      }
    }
  }
}

const SHIPPED: YearMeta = { source: 'shipped', loadedBy: null, loadedAt: null };

function shippedSnapshot(): Snapshot {
  return {
    calendar: WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS),
    meta: new Map(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, SHIPPED])),
    signature: '',
  };
}

async function readSignature(m: EntityManager): Promise<string> {
  const [row] = await m.query<{ n: number; latest: Date | null; digest: string }[]>(SIGNATURE_SQL);
  return `${row.n}:${row.latest ? new Date(row.latest).toISOString() : '-'}:${row.digest}`;
}

function mapYear(a: YearArrangement, meta: YearMeta | undefined): CalendarYearDto {
  const m = meta ?? SHIPPED;
  return { year: a.year, source: m.source, off: [...a.off], work: [...a.work], notices: [...(a.notices ?? [])], loadedBy: m.loadedBy, loadedAt: m.loadedAt };
}

/** A `RangeError` from the calendar (a date or a result outside 1990..2200) is the client's doing: 400. */
function asClientError(err: unknown, field: string): unknown {
  if (err instanceof RangeError) return fieldError(field, `结果超出可计算范围（${CALENDAR_RANGE.from}至${CALENDAR_RANGE.to}）`);
  return err;
}

/** Every problem with a year's arrangement at once, or the arrangement with its lists sorted. */
function checkInput(year: number, input: LoadYearInput): YearArrangement & { off: string[]; work: string[]; notices: string[] } {
  const yp = yearProblem(year);
  if (yp) throw fieldError(yp.field, yp.message);
  const problems: FieldProblem[] = [];
  const body = (input ?? {}) as Partial<LoadYearInput>;
  const lists: Record<'off' | 'work', readonly unknown[]> = { off: [], work: [] };
  for (const field of ['off', 'work'] as const) {
    const list = body[field];
    if (!Array.isArray(list)) problems.push({ field, message: '必须是日期列表' });
    else if (list.length > MAX_DATES_PER_LIST) problems.push({ field, message: `元素过多（最多${MAX_DATES_PER_LIST}）` });
    else lists[field] = list;
  }
  if (Array.isArray(body.off) && body.off.length === 0) problems.push({ field: 'off', message: '放假日期不能为空' });
  const notices = body.notices ?? [];
  if (!Array.isArray(notices)) problems.push({ field: 'notices', message: '必须是数组' });
  else if (notices.length > MAX_NOTICES) problems.push({ field: 'notices', message: `元素过多（最多${MAX_NOTICES}）` });
  else {
    notices.forEach((n: unknown, i: number) => {
      if (typeof n !== 'string') problems.push({ field: `notices[${i}]`, message: '必须是文本' });
      else if (n.length > MAX_NOTICE_LENGTH) problems.push({ field: `notices[${i}]`, message: `长度超过限制（最多${MAX_NOTICE_LENGTH}）` });
    });
  }
  problems.push(...validateArrangement(year, lists));
  if (problems.length > 0) throw DomainError.validation(problems, `${problems[0].field}：${problems[0].message}`);
  return {
    year,
    off: [...(lists.off as string[])].sort(),
    work: [...(lists.work as string[])].sort(),
    notices: [...(notices as string[])],
  };
}
