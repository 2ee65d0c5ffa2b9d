import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, PG_ADMIN_URL, templateDb } from './env';

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `gi_t_${process.env.TEST_RUN_ID ?? 'x'}_${randomBytes(6).toString('hex')}`;
  // the template may be busy for a moment while another file clones it
  for (let i = 0; ; i++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`));
      break;
    } catch (e) {
      if (i >= 20 || !/being accessed by other users/.test(String((e as Error).message))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
