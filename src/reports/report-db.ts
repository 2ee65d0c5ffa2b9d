import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_TYPES } from '../infra/database/data-source-options';

const AGGREGATE_SETTINGS = `SELECT set_config('work_mem', '32MB', true), set_config('jit', 'off', true)`;

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

  /**
   * A large aggregate (hundreds of thousands of rows into a few thousand groups): in its own transaction with the
   * memory to hash the groups (the planner cannot estimate groups keyed by computed values and would sort every row
   * to disk) and without JIT compilation (which costs more than it saves on a query run once).
   */
  async aggregate<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.replica) {
      const client = await this.replica.connect();
      try {
        await client.query('BEGIN READ ONLY');
        await client.query(AGGREGATE_SETTINGS);
        const rows = (await client.query<T>(sql, params)).rows;
        await client.query('COMMIT');
        return rows;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    }
    return this.ds.transaction(async (m) => {
      await m.query(AGGREGATE_SETTINGS);
      return m.query<T[]>(sql, params);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.replica?.end();
  }
}
