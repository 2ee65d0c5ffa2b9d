import { Client } from 'pg';
import { runMigrations } from '../../src/infra/database/run-migrations';
import { databaseUrl, PG_ADMIN_URL, TEMPLATE_DB } from './env';

/**
 * Once per run: migrate a template database; each test file then clones it
 * (CREATE DATABASE … TEMPLATE …) so files run in parallel and never collide.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // leftovers of earlier runs
    const old = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'gi_t_%' OR datname = $1`, [TEMPLATE_DB]);
    for (const r of old.rows as { datname: string }[]) {
      await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(TEMPLATE_DB));
}
