import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service';
import type { JobsOptions } from 'bullmq';
import { QUEUES, type JobPayloads } from '../infra/queue/job-names';
import { QueueService } from '../infra/queue/queue.service';
import { WorkerHost } from '../infra/queue/worker-host';
import { NotificationsRepository } from './notifications.repository';
import { nineAm, nextWorkingDay } from '../statute/reminder-rules';
import { ENQUEUE_HORIZON_MS } from './reminder-planner';

export const SWEEP_INTERVAL_MS = 30_000;
/** an enqueued job should have run by then; if BullMQ no longer holds it, enqueue again */
export const STALE_AFTER_MS = 60_000;
/** A failed action (retries exhausted) is tried again this long after its last try… */
export const FAILED_RETRY_AFTER_MS = 15 * 60_000;
/** …until it has been tried this many times (about three hours of outage). */
export const MAX_SWEEP_ATTEMPTS = 12;
const SWEEP_BATCH = 1000;

/**
 * The sweep, on its own timer in every worker process (not a BullMQ scheduler, which lives
 * in Redis and vanishes with it): claims due actions that are not live in the queue, bumps
 * their attempt and enqueues them again; plans each agency's daily digest.
 */
@Injectable()
export class Sweeper implements OnModuleInit {
  private readonly logger = new Logger(Sweeper.name);

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly queue: QueueService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly workers: WorkerHost,
  ) {}

  onModuleInit(): void {
    this.workers.every(SWEEP_INTERVAL_MS, 'sweep', () => this.sweepOnce().then(() => this.planDigests()));
  }

  /** One pass; returns how many jobs it enqueued. Tests call it directly with a manual clock. */
  async sweepOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.sweepBatch();
      total += n.enqueued;
      if (n.claimed < SWEEP_BATCH) break;
    }
    if (total) this.logger.log({ enqueued: total }, 'sweep enqueued due actions');
    return total;
  }

  private async sweepBatch(): Promise<{ claimed: number; enqueued: number }> {
    const now = this.clock.now();
    const rows = await this.repo.claimForSweep(
      new Date(now.getTime() + ENQUEUE_HORIZON_MS),
      new Date(now.getTime() - STALE_AFTER_MS),
      now,
      SWEEP_BATCH,
      new Date(now.getTime() - FAILED_RETRY_AFTER_MS),
      MAX_SWEEP_ATTEMPTS,
    );
    const jobs: { data: JobPayloads['scheduled-action.run']; opts: JobsOptions & { jobId: string } }[] = [];
    for (const r of rows) {
      // a job of the previous attempt still waiting or running in BullMQ is left alone
      if (r.was_enqueued && (await this.queue.liveState(QUEUES.notifications, `${r.id}-${r.attempt - 1}`))) continue;
      jobs.push({ data: { actionId: r.id, attempt: r.attempt }, opts: { jobId: `${r.id}-${r.attempt}`, delay: Math.max(0, r.due_at.getTime() - now.getTime()) } });
    }
    await this.queue.addBulk('scheduled-action.run', jobs);
    return { claimed: rows.length, enqueued: jobs.length };
  }

  /** Each agency with supervisors gets a digest at 09:00 of the next working day. */
  /** the digest day this process last planned: the tick does nothing more until the day moves on */
  private plannedDay: string | null = null;

  async planDigests(): Promise<void> {
    const cal = this.calendar.current();
    const today = this.clock.today();
    const day = cal.isWorkingDay(today) && this.clock.now().getTime() < nineAm(today).getTime() ? today : nextWorkingDay(cal, today);
    if (day === this.plannedDay) return;
    await this.repo.insertDigests(day, nineAm(day));
    await this.limiter.purgeBefore(new Date(this.clock.now().getTime() - 2 * 86400_000));
    this.plannedDay = day;
  }
}
