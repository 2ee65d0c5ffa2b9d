import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_TYPES } from '../infra/database/data-source-options';

/**
 * Where report and board queries read: the read replica when DATABASE_REPLICA_URL is set (reports
 * tolerate the replica's lag: they count concluded facts, and a few seconds behind the primary changes
 * nothing a supervisor acts on), otherwise the primary's pool. Reads only; every command writes to the primary.
 */
@Injectable()
export class ReportDb implements OnModuleDestroy {
  private readonly replica: Pool | null;

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.replica = config.databaseReplicaUrl
      ? new Pool({ connectionString: config.databaseReplicaUrl, max: Math.max(2, Math.ceil(config.databasePoolSize / 4)), application_name: 'gov-info-disclosure-reports', types: PG_TYPES })
      : null;
  }

  /** true when reads go to a replica */
  get usesReplica(): boolean {
    return this.replica !== null;
  }

  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.replica) return (await this.replica.query<T>(sql, params)).rows;
    return this.ds.query<T[]>(sql, params);
  }

  async onModuleDestroy(): Promise<void> {
    await this.replica?.end();
  }
}
