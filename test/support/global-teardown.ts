import { Client } from 'pg';
import { PG_ADMIN_URL } from './env';

/** Drops this run's template and any database a file left behind. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const rows = await admin.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [`gi_tpl_${runId}`, `gi_t_${runId}_%`]);
    for (const r of rows.rows as { datname: string }[]) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
