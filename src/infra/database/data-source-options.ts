import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { poolTiming } from './pool-timing';

/** Compiled (dist/) loads dist/migrations/*.js; under ts (tests, CLI) the top-level migrations/*.ts. */
export function migrationsGlob(): string {
  return __filename.endsWith('.js') ? join(__dirname, '..', '..', 'migrations', '*.js') : join(__dirname, '..', '..', '..', 'migrations', '*.ts');
}

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
    extra: { max: poolSize, ...poolTiming(poolSize), connectionTimeoutMillis: 5000, application_name: 'gov-info-disclosure' },
    ...extra,
  } as DataSourceOptions;
}
