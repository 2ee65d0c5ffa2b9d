import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../infra/queue/job-registry';
import { QueueService } from '../infra/queue/queue.service';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { CaseEvents } from './case-events';
import { derivedColumns } from './case-clock';
import { CasesRepository } from './cases.repository';

export const RECOMPUTE_BATCH = 200;

/**
 * Loading a calendar year can move deadlines: every open case is recomputed in batches,
 * each change written with compare-and-set and recorded in its history.
 */
@Injectable()
export class CaseDeadlines implements OnModuleInit {
  private readonly logger = new Logger(CaseDeadlines.name);
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: CaseEvents,
    private readonly queue: QueueService,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    // each batch is a job; a job schedules the next batch (ids unique per load)
    this.registry.register('calendar.recompute-cases', async (data) => {
      const r = await this.recomputeBatch(data.year, data.afterId ?? null);
      if (r.lastId) await this.queue.add('calendar.recompute-cases', { ...data, afterId: r.lastId }, { jobId: `recompute-${data.runId}-${r.lastId}` });
      return r;
    });
    this.calendar.onYearLoaded(async (year) => {
      const runId = randomUUID();
      try {
        await this.queue.add('calendar.recompute-cases', { year, runId }, { jobId: `recompute-${runId}-start` });
      } catch (e) {
        // the queue is unreachable: do it here rather than not at all
        this.logger.warn({ err: (e as Error).message, year }, 'queue unavailable; recomputing deadlines in this process');
        void this.recomputeAll(year).catch((err: Error) => this.logger.error({ err: err.message, year }, 'recompute failed'));
      }
    });
  }

  /** One batch after `afterId`; returns the last id seen (null when done) and how many changed. */
  async recomputeBatch(year: number, afterId: string | null, limit = RECOMPUTE_BATCH): Promise<{ lastId: string | null; changed: number }> {
    const cal = await this.calendar.fresh();
    const today = this.clock.today();
    const batch = await this.cases.openWithClock(afterId, limit);
    let changed = 0;
    for (const c of batch) {
      const d = derivedColumns(c, cal, today);
      if (d.dueDate === c.dueDate && d.computedDue === c.computedDue && d.deadlineProvisional === c.deadlineProvisional) {
        // the deadline stands, but the periods that run from a notice's receipt (correction, fee, consultations)
        // may have moved with the calendar: the follow-up work is planned again, unless the case changed meanwhile
        const planned = await this.ds.transaction(async (m) => {
          const [row] = (await m.query(`SELECT version FROM cases WHERE id = $1 FOR UPDATE`, [c.id])) as { version: number }[];
          if (row?.version !== c.version) return false;
          await this.events.changed(m, c, { action: 'recompute-deadline', fromState: c.state, toState: c.state, payload: { calendarYear: year, unchanged: true } });
          return true;
        });
        if (planned) await this.events.committed(c.id);
        continue;
      }
      const wrote = await this.ds.transaction(async (m) => {
        if (!(await this.cases.updateIfVersion(m, c.id, c.version, d))) return false; // changed meanwhile: that change recomputed it
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
        return true;
      });
      if (wrote) {
        changed++;
        await this.events.committed(c.id);
      }
    }
    return { lastId: batch.length === limit ? batch[batch.length - 1].id : null, changed };
  }

  async recomputeAll(year: number): Promise<number> {
    let after: string | null = null;
    let total = 0;
    do {
      const r = await this.recomputeBatch(year, after);
      total += r.changed;
      after = r.lastId;
    } while (after);
    if (total) this.logger.log({ year, changed: total }, 'deadlines recomputed after a calendar load');
    return total;
  }
}
