import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The development values of .env.example, parsed as the shell would (KEY=VALUE lines). */
export function exampleEnv(): Record<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** set by the global setup for this run */
export const templateDb = (): string => process.env.TEST_TEMPLATE_DB ?? 'gi_tpl_missing';

export function databaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
