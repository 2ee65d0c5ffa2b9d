import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { QUEUE_BACKEND } from '../core.module';
import { QUEUES, type JobName, type JobPayloads, type QueueName } from './job-names';
import type { QueueBackend } from './queue-backend';
import { JobRegistry } from './job-registry';

export const WORKERS_ENABLED = Symbol('WORKERS_ENABLED');
/**
 * Reminder jobs in flight per worker process. They wait mostly on the SMTP server; the sender
 * gathers those running at the same moment into one database transaction, so this is not
 * bounded by the connection pool.
 */
export const NOTIFICATIONS_CONCURRENCY = 64;
/**
 * A reminder job whose worker died is handed to another worker once its lock has expired and a
 * stalled check has seen it twice: with BullMQ's defaults (30 s, 30 s) that took about a minute,
 * more under load. Reminder jobs last well under a second and the sender is idempotent, so short
 * locks cost nothing: the rescue takes 15–35 s.
 */
const RESCUE_TIMING = { lockDuration: 15_000, stalledInterval: 10_000 };

export interface WorkerHooks {
  /** called when BullMQ gives up on a job (all attempts used) */
  onExhausted?(job: Job, err: Error): Promise<void>;
  /** started with the workers, stopped before them */
  start?(): void;
  stop?(): Promise<void>;
}

/**
 * Runs the BullMQ workers in this process when workers are enabled (WORKERS=on, or the
 * worker entry point). Graceful shutdown: stop fetching, let active jobs finish.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHost.name);
  private readonly workers: Worker[] = [];
  private readonly hooks: WorkerHooks[] = [];
  private started = false;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    @Inject(WORKERS_ENABLED) private readonly enabled: boolean,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
  ) {}

  addHooks(h: WorkerHooks): void {
    this.hooks.push(h);
  }

  /**
   * A task on its own timer in every worker process (not a BullMQ scheduler, which lives in Redis and vanishes
   * with it): run once when the workers start, then every `intervalMs`, never two at once; failures are logged
   * and left to the next run; shutdown waits for the run in flight.
   */
  every(intervalMs: number, label: string, task: () => Promise<unknown>): void {
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return running;
      running = task()
        .catch((e: Error) => this.logger.warn({ task: label, err: e.message }, 'periodic task failed; the next run retries'))
        .finally(() => (running = null));
      return running;
    };
    this.addHooks({
      start: () => {
        // tick() catches the task's failure itself (logged, retried by the next run)
        timer = setInterval(() => {
          tick().catch(() => undefined);
        }, intervalMs);
        timer.unref();
        tick().catch(() => undefined);
      },
      stop: async () => {
        if (timer) clearInterval(timer);
        timer = null;
        await running;
      },
    });
  }

  get running(): boolean {
    return this.started;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const missing = this.registry.missing();
    if (missing.length) throw new Error(`job names without a handler: ${missing.join(', ')}`);
    for (const name of Object.values(QUEUES) as QueueName[]) {
      const w = this.backend.createWorker(
        name,
        async (job: Job) => {
          const handler = this.registry.handler(job.name);
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          return handler(job.data as JobPayloads[JobName], job); // the payload of the job's own name
        },
        name === QUEUES.notifications ? { concurrency: NOTIFICATIONS_CONCURRENCY, ...RESCUE_TIMING } : { concurrency: 2 },
      );
      w.on('failed', (job, err) => {
        if (!job) return;
        const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger.warn({ job: job.name, jobId: job.id, attempt: job.attemptsMade, exhausted, err: err.message, correlationId: (job.data as { correlationId?: string }).correlationId }, 'job failed');
        if (exhausted) for (const h of this.hooks) h.onExhausted?.(job, err).catch((e: Error) => this.logger.warn({ job: job.name, jobId: job.id, err: e.message }, 'exhausted-job hook failed'));
      });
      w.on('error', (err) => this.logger.warn({ queue: name, err: err.message }, 'worker error'));
      this.workers.push(w);
    }
    for (const h of this.hooks) h.start?.();
    this.started = true;
    this.logger.log(`workers running (${this.backend.kind} backend, prefix ${this.config.queuePrefix})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const h of this.hooks) await h.stop?.().catch(() => undefined);
    await Promise.allSettled(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
