import { DynamicModule, Global, Module } from '@nestjs/common';
import { JobRegistry } from './job-registry';
import { QueueService } from './queue.service';
import { WorkerHost, WORKERS_ENABLED } from './worker-host';

/** Producers everywhere; processors only where workers are enabled. */
@Global()
@Module({})
export class JobsModule {
  static forRoot(workers: boolean): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: WORKERS_ENABLED, useValue: workers }, QueueService, JobRegistry, WorkerHost],
      exports: [QueueService, JobRegistry, WorkerHost, WORKERS_ENABLED],
    };
  }
}
