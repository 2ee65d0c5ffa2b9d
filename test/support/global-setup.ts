import { Client } from 'pg';
import { runMigrations } from '../../src/infra/database/run-migrations';
import { databaseUrl, PG_ADMIN_URL } from './env';

const STALE_MS = 2 * 3600_000;

/**
 * Once per run: migrate a template database of this run; each test file then clones it
 * (CREATE DATABASE … TEMPLATE …) so files run in parallel and never collide. Runs are
 * named by their start time and process, so concurrent runs on one machine leave each other alone.
 */
export default async function globalSetup(): Promise<void> {
  // start time first (the stale sweep below reads it), then the process: two runs started in the same millisecond differ
  const runId = `${Date.now().toString(36)}_${process.pid.toString(36)}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_TEMPLATE_DB = `gi_tpl_${runId}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // leftovers of runs that died more than two hours ago
    const old = await admin.query(`SELECT datname FROM pg_database WHERE datname ~ '^gi_(tpl|t)_[0-9a-z]+'`);
    for (const r of old.rows as { datname: string }[]) {
      const started = parseInt(r.datname.split('_')[2], 36);
      if (Number.isFinite(started) && Date.now() - started > STALE_MS) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${process.env.TEST_TEMPLATE_DB}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(process.env.TEST_TEMPLATE_DB));
}
