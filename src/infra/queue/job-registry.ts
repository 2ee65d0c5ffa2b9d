import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOB_QUEUE, type JobName, type JobPayloads } from './job-names';

export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job) => Promise<unknown>;

/** Every job name has exactly one handler; the worker refuses to start otherwise. */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`job "${name}" has two handlers`);
    this.handlers.set(name, handler as JobHandler<JobName>);
  }

  handler(name: string): JobHandler<JobName> | undefined {
    return this.handlers.get(name as JobName);
  }

  /** names without a handler (checked at worker start-up) */
  missing(): JobName[] {
    return (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => !this.handlers.has(n));
  }
}
