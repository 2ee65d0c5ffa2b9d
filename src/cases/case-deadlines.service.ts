import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../infra/queue/job-registry';
import { QueueService } from '../infra/queue/queue.service';
import { WorkerHost } from '../infra/queue/worker-host';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { CaseEvents } from './case-events';
import { derivedColumns } from './case-clock';
import { CasesRepository } from './cases.repository';
import { DeadlineRecomputesRepository, type RecomputeRun } from './deadline-recomputes.repository';
import type { CaseEntity } from './case.entity';
import { OPEN_STATES } from '../statute/case-states';
import type { WorkingCalendar } from '../statute/working-calendar';

export const RECOMPUTE_BATCH = 200;
/** A run not done whose last batch is older than this is resumed by a worker's timer (a batch takes seconds). */
export const RECOMPUTE_STALLED_AFTER_MS = 5 * 60_000;

/**
 * Loading a calendar year can move deadlines: every open case is recomputed in batches,
 * each change written with compare-and-set and recorded in its history. The run's progress
 * is kept in `deadline_recomputes`, so one cut short (Redis wiped, the workers stopped) is
 * resumed where it stopped.
 */
@Injectable()
export class CaseDeadlines implements OnModuleInit {
  private readonly logger = new Logger(CaseDeadlines.name);
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly recomputes: DeadlineRecomputesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: CaseEvents,
    private readonly queue: QueueService,
    private readonly registry: JobRegistry,
    private readonly workers: WorkerHost,
  ) {}

  onModuleInit(): void {
    // each batch is a job; a job schedules the next batch (ids unique per run)
    this.registry.register('calendar.recompute-cases', async (data) => {
      if (!(await this.recomputes.isCurrent(data.year, data.runId))) return { lastId: null, changed: 0 }; // superseded or done
      const r = await this.recomputeBatch(data.year, data.afterId ?? null);
      await this.recomputes.progress(data.year, data.runId, r.lastId, this.clock.now());
      if (r.lastId) await this.queue.add('calendar.recompute-cases', { ...data, afterId: r.lastId }, { jobId: `recompute-${data.runId}-${r.lastId}` });
      return r;
    });
    this.calendar.onYearLoaded(async (year) => {
      for (const r of await this.request(year)) await this.start(r.year, r.runId, null);
    });
    this.workers.every(RECOMPUTE_STALLED_AFTER_MS, 'resume deadline recomputes', () => this.resumeStalled());
  }

  private async start(year: number, runId: string, afterId: string | null): Promise<void> {
    try {
      await this.queue.add('calendar.recompute-cases', { year, runId, ...(afterId ? { afterId } : {}) }, { jobId: `recompute-${runId}-${afterId ?? 'start'}` });
    } catch (e) {
      // the queue is unreachable: do it here rather than not at all
      this.logger.warn({ err: (e as Error).message, year }, 'queue unavailable; recomputing deadlines in this process');
      void this.runHere(year, runId, afterId).catch((err: Error) => this.logger.error({ err: err.message, year }, 'recompute failed'));
    }
  }

  /**
   * A run for each calendar year loaded since its last run was asked for (`requested_at` is the load's own
   * time, `calendar_years.updated_at`): `year` right after its load, or every such year loaded more than
   * `loadedAgoMs` ago (a process that died between the load's commit and this request). A year another
   * process already asked for is not asked again. The runs to start.
   */
  private async request(year: number | null, loadedAgoMs = 0): Promise<RecomputeRun[]> {
    return this.recomputes.request(await this.calendar.loadsOlderThan(year, loadedAgoMs), this.clock.now());
  }

  /**
   * Calendar loads whose recompute was never asked for (the process died right after the load) get one; runs
   * not done whose last batch is older than RECOMPUTE_STALLED_AFTER_MS start again from their last case under a
   * new run id (taken with compare-and-set, so one worker resumes each). The number of runs started.
   */
  async resumeStalled(stalledAfterMs = RECOMPUTE_STALLED_AFTER_MS): Promise<number> {
    const missed = await this.request(null, stalledAfterMs);
    for (const r of missed) {
      this.logger.warn({ year: r.year }, 'a calendar load had no deadline recompute: starting one');
      await this.start(r.year, r.runId, null);
    }
    const now = this.clock.now();
    const started = new Set(missed.map((r) => r.runId));
    const stalled = (await this.recomputes.stalled(new Date(now.getTime() - stalledAfterMs))).filter((r) => !started.has(r.runId));
    let resumed = 0;
    for (const r of stalled) {
      const runId = randomUUID();
      if (!(await this.recomputes.takeOver(r, runId, now))) continue;
      this.logger.warn({ year: r.year, afterId: r.afterId }, 'resuming a deadline recompute that stopped');
      await this.start(r.year, runId, r.afterId);
      resumed++;
    }
    return missed.length + resumed;
  }

  /** One batch after `afterId`; returns the last id seen (null when done) and how many changed. */
  async recomputeBatch(year: number, afterId: string | null, limit = RECOMPUTE_BATCH): Promise<{ lastId: string | null; changed: number }> {
    const cal = await this.calendar.fresh();
    const today = this.clock.today();
    const batch = await this.cases.openWithClock(afterId, limit);
    let changed = 0;
    for (const first of batch) {
      // a case changed meanwhile goes round again, read afresh: that change may have used a calendar read before
      // the load (another process's, within its refresh); a few rounds at most
      let c: CaseEntity | null = first;
      for (let round = 0; c && round < 3; round++) {
        const r = await this.recomputeOne(c, cal, today, year);
        if (r !== 'again') {
          if (r) changed++;
          break;
        }
        c = await this.cases.findById(first.id);
        if (c && !OPEN_STATES.includes(c.state as never)) c = null;
      }
    }
    return { lastId: batch.length === limit ? batch[batch.length - 1].id : null, changed };
  }

  /** One case: true when its deadline changed (recorded), false when it stood, 'again' when the case moved meanwhile. */
  private async recomputeOne(c: CaseEntity, cal: WorkingCalendar, today: string, year: number): Promise<boolean | 'again'> {
    const d = derivedColumns(c, cal, today);
    if (d.dueDate === c.dueDate && d.computedDue === c.computedDue && d.deadlineProvisional === c.deadlineProvisional) {
      // the deadline stands, but the periods that run from a notice's receipt (correction, fee, consultations)
      // may have moved with the calendar: the follow-up work is planned again
      const planned = await this.ds.transaction(async (m) => {
        const row = await this.cases.lock(m, c.id);
        if (row?.version !== c.version) return 'again' as const;
        await this.events.changed(m, c, { action: 'recompute-deadline', fromState: c.state, toState: c.state, payload: { calendarYear: year, unchanged: true } });
        return true;
      });
      if (planned === 'again') return 'again';
      await this.events.committed(c.id);
      return false;
    }
    const wrote = await this.ds.transaction(async (m) => {
      if (!(await this.cases.updateIfVersion(m, c.id, c.version, d))) return 'again' as const;
      const updated = (await this.cases.findById(c.id, m))!;
      await this.cases.appendHistory(m, {
        caseId: c.id,
        at: this.clock.now(),
        on: today,
        actorId: null,
        actorRole: 'system',
        action: 'recompute-deadline',
        fromState: c.state,
        toState: c.state,
        payload: { calendarYear: year, from: { due: c.dueDate, computedDue: c.computedDue, provisional: c.deadlineProvisional }, to: { due: d.dueDate, computedDue: d.computedDue, provisional: d.deadlineProvisional } },
        recordedLate: false,
        versionAfter: updated.version,
      });
      await this.events.changed(m, updated, { action: 'recompute-deadline', fromState: c.state, toState: c.state });
      return true as const;
    });
    if (wrote === 'again') return 'again';
    await this.events.committed(c.id);
    return true;
  }

  /** The whole run in this process (the queue unreachable): batch after batch, the progress recorded. */
  private async runHere(year: number, runId: string, afterId: string | null): Promise<number> {
    let after = afterId;
    let total = 0;
    do {
      if (!(await this.recomputes.isCurrent(year, runId))) break;
      const r = await this.recomputeBatch(year, after);
      await this.recomputes.progress(year, runId, r.lastId, this.clock.now());
      total += r.changed;
      after = r.lastId;
    } while (after);
    if (total) this.logger.log({ year, changed: total }, 'deadlines recomputed after a calendar load');
    return total;
  }
}
