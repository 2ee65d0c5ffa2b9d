import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const MIGRATION_LOCK = 727_2019;

/**
 * Runs pending migrations, one transaction each. A session-level advisory lock held on
 * its own connection serialises processes that start at once (API and worker copies).
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 3 } }));
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return done.map((m) => m.name);
  } finally {
    await lock.release();
    await ds.destroy();
  }
}
