import { join } from 'node:path';
import { types as pgTypes } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../../entities';
import { DatabaseClient } from './database-client';
import { poolTiming } from './pool-timing';

/** Compiled (dist/) loads dist/migrations/*.js; under ts (tests, CLI) the top-level migrations/*.ts. */
export function migrationsGlob(): string {
  return __filename.endsWith('.js') ? join(__dirname, '..', '..', 'migrations', '*.js') : join(__dirname, '..', '..', '..', 'migrations', '*.ts');
}

/**
 * PostgreSQL `date` columns arrive as their 'YYYY-MM-DD' text, as the domain keeps dates (no JS Date built at local
 * midnight only for TypeORM to format it back: the same string, without the time-zone round trip). Raw queries get
 * the same strings; other types parse as pg's defaults do.
 */
const DATE_OID = 1082;
export const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === DATE_OID && format !== 'binary' ? (v: string) => v : (pgTypes.getTypeParser(oid, format) as (v: string) => unknown)),
};

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [migrationsGlob()],
    migrationsTableName: 'migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, ...poolTiming(poolSize), connectionTimeoutMillis: 5000, application_name: 'gov-info-disclosure', types: PG_TYPES, Client: DatabaseClient },
    ...extra,
  } as DataSourceOptions;
}
