import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { OFFICIAL_ARRANGEMENTS } from '../statute/holiday-data';
import { validateArrangement, WorkingCalendar, type YearArrangement } from '../statute/working-calendar';
import { CalendarRepository, type YearLoad } from './calendar.repository';
import type { YearSource } from './dto/calendar.dto';

/** How stale the in-memory calendar may get before it is checked against `calendar_years` again. */
export const CALENDAR_REFRESH_MS = 5_000;
/** How stale it may be for a command that fixes a deadline (CalendarService.fresh). */
export const CALENDAR_COMMAND_MAX_AGE_MS = 1000;

export type YearLoadedListener = (year: number) => Promise<void> | void;

export interface YearMeta {
  source: YearSource;
  loadedBy: string | null;
  loadedAt: string | null;
}

/** The calendar built from the shipped data and the stored years, with what it was built from. */
export interface CalendarSnapshot {
  calendar: WorkingCalendar;
  meta: ReadonlyMap<number, YearMeta>;
  /** Fingerprint of `calendar_years` the calendar was built from. */
  signature: string;
}

export const SHIPPED: YearMeta = { source: 'shipped', loadedBy: null, loadedAt: null };

/**
 * The working calendar in force, held in memory: the official arrangements shipped in `holiday-data.ts`, each
 * year replaced by the one an administrator stored in `calendar_years` when there is one.
 *
 * `current()` is synchronous and O(1): it returns the instance held in memory. That instance is checked
 * against the table every `CALENDAR_REFRESH_MS` (a timer, and lazily from `current()`), so a year loaded
 * by another process (API replica, worker) takes effect here within seconds, without a restart. Commands
 * that must not act on a stale calendar use `await fresh()`. The endpoints are {@link CalendarEndpoints}.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CalendarService.name);
  private readonly listeners = new Set<YearLoadedListener>();

  private snapshot: CalendarSnapshot = shippedSnapshot();
  /** Snapshots are numbered when their read starts (or, for a load, when it commits); an older one never replaces a newer. */
  private sequence = 0;
  private appliedSequence = 0;
  private checkedAt = 0;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loads: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ds: DataSource,
    private readonly years: CalendarRepository,
  ) {}

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

  /** The calendar in memory with where each year came from. */
  inForce(): CalendarSnapshot {
    return this.snapshot;
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

  /** The stored years (or `year`) loaded at least `agoMs` ago, with their exact load times (deadline recomputes). */
  loadsOlderThan(year: number | null, agoMs: number): Promise<YearLoad[]> {
    return this.years.loadsOlderThan(year, agoMs);
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
   * Stores a valid year's arrangement, replacing the shipped or earlier loaded one of that year; the new
   * calendar is in force in this process on return (in others within seconds), and the listeners have run.
   * The snapshot now in force and whether the year was stored before.
   */
  storeYear(arrangement: YearArrangement, actorId: string | null): Promise<{ snapshot: CalendarSnapshot; existed: boolean }> {
    // One load at a time in this process, so snapshots are applied in the order they were committed.
    const run = this.loads.then(() => this.store(arrangement, actorId));
    this.loads = run.catch(() => undefined);
    return run;
  }

  // ---- internals ----

  private async store(arrangement: YearArrangement, actorId: string | null): Promise<{ snapshot: CalendarSnapshot; existed: boolean }> {
    const { year } = arrangement;
    const stored = await this.ds.transaction(async (m) => {
      const { existed } = await this.years.storeYear(m, arrangement, actorId);
      return { snapshot: await this.readSnapshot(m), existed };
    });
    // Numbered at commit: a background check that read the table before the commit cannot undo it.
    this.apply(stored.snapshot, ++this.sequence);
    this.logger.log({ year, actorId, off: arrangement.off.length, work: arrangement.work.length }, 'calendar year loaded');
    await this.notify(year);
    return stored;
  }

  private refreshInBackground(): void {
    if (this.running) return;
    this.checkedAt = Date.now();
    this.refresh().catch((err: unknown) => this.logger.error({ err }, 'calendar refresh failed; keeping the calendar in memory'));
  }

  private async reload(): Promise<void> {
    this.checkedAt = Date.now();
    const sequence = ++this.sequence;
    const signature = await this.years.signature();
    if (signature === this.snapshot.signature) return;
    const snapshot = await this.readSnapshot(this.ds.manager, signature);
    this.apply(snapshot, sequence);
  }

  private apply(snapshot: CalendarSnapshot, sequence: number): void {
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
  private async readSnapshot(m: EntityManager, knownSignature?: string): Promise<CalendarSnapshot> {
    const signature = knownSignature ?? (await this.years.signature(m));
    const rows = await this.years.storedYears(m);
    const years = new Map<number, YearArrangement>(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, a]));
    const meta = new Map<number, YearMeta>(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, SHIPPED]));
    for (const row of rows) {
      const arrangement: YearArrangement = { year: row.year, off: row.off, work: row.work, notices: row.notices };
      const problems = validateArrangement(row.year, arrangement);
      if (problems.length > 0) {
        // Only a hand edit can get here (loads are validated): keep the shipped year rather than refuse to start.
        this.logger.error({ year: row.year, problems }, 'stored calendar year is invalid; ignored');
        continue;
      }
      years.set(row.year, arrangement);
      meta.set(row.year, { source: 'loaded', loadedBy: row.loadedBy, loadedAt: row.loadedAt.toISOString() });
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

function shippedSnapshot(): CalendarSnapshot {
  return {
    calendar: WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS),
    meta: new Map(OFFICIAL_ARRANGEMENTS.map((a) => [a.year, SHIPPED])),
    signature: '',
  };
}
