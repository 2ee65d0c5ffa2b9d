import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './infra/database/embedded-postgres';
import { ensureDatabase } from './infra/database/ensure-database';
import { runMigrations } from './infra/database/run-migrations';

export interface Infrastructure {
  config: AppConfig;
  databaseUrl: string;
  embedded: EmbeddedDatabase | null;
}

/** Reads the configuration or exits with every problem listed. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/**
 * The database before Nest starts: the embedded server when DATABASE_URL is unset,
 * the database created when missing, pending migrations run (MIGRATE_ON_START, default on).
 */
export async function prepareInfrastructure(config: AppConfig): Promise<Infrastructure> {
  const logger = new Logger('Bootstrap');
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.varDir);
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    if (await ensureDatabase(databaseUrl)) logger.log('database created');
    if (config.migrateOnStart) {
      const ran = await runMigrations(databaseUrl);
      if (ran.length) logger.log(`migrations run: ${ran.join(', ')}`);
    }
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return { config, databaseUrl, embedded };
}
