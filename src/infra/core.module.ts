import { type BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock, SystemClock } from '../common/clock/clock';
import { IdempotencyService } from '../common/idempotency.service';
import { IdempotencyRepository } from '../common/idempotency.repository';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service';
import { RateLimitsRepository } from '../common/rate-limit/rate-limits.repository';
import { AppShutdown } from './app-shutdown';
import { dataSourceOptions } from './database/data-source-options';
import { poolTiming } from './database/pool-timing';
import { createQueueBackend, type QueueBackend } from './queue/queue-backend';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

/** Closes the queue connections before the database goes away. */
@Injectable()
class QueueBackendLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(QUEUE_BACKEND) private readonly backend: QueueBackend) {}
  async beforeApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }
}

/**
 * Opens the pool's kept connections at start-up: opened on demand, the first burst of load paid
 * for forking them all at once (a stall of about half a second on a 2-core machine).
 */
@Injectable()
class PoolWarmup implements OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    const { min } = poolTiming(this.config.databasePoolSize);
    await Promise.all(Array.from({ length: min }, () => this.ds.query('SELECT 1')));
  }
}

export interface CoreOptions {
  config: AppConfig;
  /** the resolved database URL (the embedded server's when DATABASE_URL is unset) */
  databaseUrl: string;
  /** tests pass a ManualClock */
  clock?: Clock;
}

/** Configuration, clock, database, queue backend and the small shared services. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: CoreOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: opts.config },
      { provide: Clock, useValue: opts.clock ?? new SystemClock() },
      {
        provide: QUEUE_BACKEND,
        useFactory: (): QueueBackend =>
          createQueueBackend({ redisUrl: opts.config.redisUrl, databaseUrl: opts.databaseUrl, prefix: opts.config.queuePrefix }),
      },
      QueueBackendLifecycle,
      PoolWarmup,
      IdempotencyService,
      IdempotencyRepository,
      RateLimiter,
      RateLimitsRepository,
      AppShutdown,
    ];
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(opts.databaseUrl, {}, opts.config.databasePoolSize), retryAttempts: 3, retryDelay: 500 })],
      providers,
      exports: [APP_CONFIG, Clock, QUEUE_BACKEND, IdempotencyService, RateLimiter, AppShutdown],
    };
  }
}
