import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
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
  /** set by the jobs module: queue the recompute instead of running it in this request */
  private scheduler: ((year: number) => Promise<void>) | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: CaseEvents,
  ) {}

  onModuleInit(): void {
    this.calendar.onYearLoaded(async (year) => {
      if (this.scheduler) await this.scheduler(year);
      else void this.recomputeAll(year).catch((e: Error) => this.logger.error({ err: e.message, year }, 'recompute failed'));
    });
  }

  useScheduler(s: (year: number) => Promise<void>): void {
    this.scheduler = s;
  }

  /** One batch after `afterId`; returns the last id seen (null when done) and how many changed. */
  async recomputeBatch(year: number, afterId: string | null, limit = RECOMPUTE_BATCH): Promise<{ lastId: string | null; changed: number }> {
    const cal = await this.calendar.fresh();
    const today = this.clock.today();
    const batch = await this.cases.openWithClock(afterId, limit);
    let changed = 0;
    for (const c of batch) {
      const d = derivedColumns(c, cal, today);
      if (d.dueDate === c.dueDate && d.computedDue === c.computedDue && d.deadlineProvisional === c.deadlineProvisional) continue;
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
