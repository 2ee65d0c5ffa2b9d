import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobRegistry } from '../infra/queue/job-registry';
import { QUEUES } from '../infra/queue/job-names';
import { QueueService } from '../infra/queue/queue.service';
import { WorkerHost } from '../infra/queue/worker-host';
import { AuditRepository, type AuditEvent } from './audit.repository';

/** The purge's BullMQ job scheduler: every day at 03:17 Shanghai time. */
export const AUDIT_PURGE_SCHEDULER = 'audit-purge';
const AUDIT_PURGE_PATTERN = '17 3 * * *';
/** How often each worker upserts the scheduler again (it lives in Redis, which may lose it). */
const RESCHEDULE_MS = 3_600_000;

/**
 * The audit trail: sign-ins, failed sign-ins, refresh-token reuse, authorisation failures (403) and identity
 * reveals, append-only in `audit_events`; rows older than AUDIT_RETENTION_DAYS go in a daily purge (a BullMQ
 * repeatable job, upserted by every worker process hourly: one job a day whatever the number of workers).
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(
    private readonly repo: AuditRepository,
    private readonly registry: JobRegistry,
    private readonly workers: WorkerHost,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register('audit.purge', async () => ({ deleted: await this.purge() }));
    this.workers.every(RESCHEDULE_MS, 'audit-purge-schedule', () =>
      this.queues.queue(QUEUES.maintenance).upsertJobScheduler(AUDIT_PURGE_SCHEDULER, { pattern: AUDIT_PURGE_PATTERN, tz: 'Asia/Shanghai' }, { name: 'audit.purge', data: {} }),
    );
  }

  /** Records an event, in `manager`'s transaction when given (it commits or rolls back with the act). */
  record(event: AuditEvent, manager?: EntityManager): Promise<void> {
    return this.repo.insert(event, manager);
  }

  /** Records an event beside an answer already decided (a refusal): a failure to record is logged, never thrown. */
  recordQuietly(event: AuditEvent): void {
    this.repo.insert(event).catch((e: Error) => this.logger.warn({ kind: event.kind, err: e.message, correlationId: event.correlationId }, 'audit event not recorded'));
  }

  /** Deletes the events older than AUDIT_RETENTION_DAYS; how many. */
  async purge(): Promise<number> {
    const n = await this.repo.purgeOlderThan(this.config.auditRetentionDays);
    if (n) this.logger.log({ deleted: n, retentionDays: this.config.auditRetentionDays }, 'audit events purged');
    return n;
  }
}
