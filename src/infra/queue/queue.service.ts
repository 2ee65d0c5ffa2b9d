import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { QUEUE_BACKEND } from '../core.module';
import { JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './job-names';
import type { QueueBackend } from './queue-backend';

/** Retries with exponential backoff; finished jobs kept a while for Bull Board, then dropped. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

/**
 * BullMQ waits for its connection before it adds: with Redis down, an add would wait for ever and hold the
 * request that committed work (the sweeps enqueue it later). An add gives up after this long.
 */
export const PRODUCER_TIMEOUT_MS = 2_000;

function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the queue did not accept the job within ${PRODUCER_TIMEOUT_MS} ms`)), PRODUCER_TIMEOUT_MS);
      timer.unref();
    }),
  ]);
}

/** Producer side: typed job names, payloads of ids, deterministic job ids. */
@Injectable()
export class QueueService implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  private readonly defaults: JobsOptions;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.defaults = { ...DEFAULT_JOB_OPTIONS, attempts: config.jobAttempts, backoff: { type: 'exponential', delay: config.jobBackoffMs } };
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = this.backend.createQueue(name);
      this.queues.set(name, q);
    }
    return q;
  }

  /** Adds a job; a job whose id is still known to BullMQ is silently dropped by BullMQ (ids must be unique forever). */
  async add<N extends JobName>(name: N, data: JobPayloads[N], opts: JobsOptions & { jobId: string }): Promise<void> {
    await bounded(this.queue(JOB_QUEUE[name]).add(name, data, { ...this.defaults, ...opts }));
  }

  /** Many jobs of one name in one round trip (the sweep's batches). */
  async addBulk<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; opts: JobsOptions & { jobId: string } }[]): Promise<void> {
    if (!jobs.length) return;
    await bounded(this.queue(JOB_QUEUE[name]).addBulk(jobs.map((j) => ({ name, data: j.data, opts: { ...this.defaults, ...j.opts } }))));
  }

  /** waiting, delayed, active, prioritized… or null when BullMQ does not hold the job (completed, failed, lost). */
  async liveState(queue: QueueName, jobId: string): Promise<string | null> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job) return null;
    const state = await job.getState();
    return ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'].includes(state) ? state : null;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
