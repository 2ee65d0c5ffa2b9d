/**
 * The SQL statements one intake and one read cost, per checkout of the app:
 * `npm run bench -- statements <checkout> [<checkout> …] [count]` (this checkout when none is named).
 * Each checkout's app (src/main.ts, production mode, WORKERS=off, its own fresh database) runs with
 * bench/pg-statement-log.js preloaded, which records every statement sent through node-postgres; then `count`
 * intakes (default 50) and `count` reads of the bodies bench/http.ts uses, one at a time. Printed: statements per
 * request, and per kind of statement (its first 60 characters). Issue 13's comparison of two builds counts work this
 * way; timing is bench/http-builds.ts's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { dropQueueKeys, freePort, intakeBodies, must, start, stop, waitHealthy } from './http';

const ROOT = join(__dirname, '..');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const statementsOf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function count(root: string, n: number, logDir: string): Promise<void> {
  const hex = randomBytes(4).toString('hex');
  const db = `gi_bench_stmts_${hex}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const password = randomBytes(12).toString('base64url');
  const varDir = join(logDir, 'var');
  const child = start(
    'src/main.ts',
    {
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      HASH_KEY: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `${PG_URL}/${db}`,
      REDIS_URL,
      QUEUE_PREFIX: db.replace(/_/g, ''),
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'off',
      WORKERS: 'off',
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: password,
      ACCESS_TOKEN_TTL: '3600',
      VAR_DIR: varDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'pg-statement-log.js')}`.trim(),
      BENCH_STATEMENT_LOG: logDir,
    },
    root,
  );
  try {
    await waitHealthy(child, `${base}/health`, 300_000);
    const file = join(logDir, `${child.proc.pid}.log`);
    const admin = (await must(base, 'POST', '/api/v1/auth/login', null, { username: 'bench-admin', password }, 200)).accessToken as string;
    const city = await must(base, 'POST', '/api/v1/agencies', admin, { name: '基准市人民政府办公室', code: 'bench-city', parentId: null }, 201);
    await must(base, 'POST', '/api/v1/users', admin, { username: 'bench.clerk', password, displayName: '基准经办人', email: 'bench.clerk@example.cn', role: 'clerk', agencyId: city.id }, 201);
    const token = (await must(base, 'POST', '/api/v1/auth/login', null, { username: 'bench.clerk', password }, 200)).accessToken as string;
    const bodies = intakeBodies(4096);
    const ids: string[] = [];
    // a few of each first, so that the caches the app keeps (account state, sessions, calendar) are warm
    for (let i = 0; i < 10; i++) ids.push((await must(base, 'POST', '/api/v1/cases', token, JSON.parse(bodies[i]), 201)).id);
    for (const id of ids) await must(base, 'GET', `/api/v1/cases/${id}`, token, undefined, 200);
    console.log(`\n${root}`);
    for (const [route, send] of [
      ['intake', (i: number) => must(base, 'POST', '/api/v1/cases', token, JSON.parse(bodies[100 + i]), 201)],
      ['read', (i: number) => must(base, 'GET', `/api/v1/cases/${ids[i % ids.length]}`, token, undefined, 200)],
    ] as const) {
      const before = statementsOf(file).length;
      for (let i = 0; i < n; i++) await send(i);
      const sent = statementsOf(file).slice(before);
      const kinds = new Map<string, number>();
      for (const s of sent) kinds.set(s.slice(0, 60), (kinds.get(s.slice(0, 60)) ?? 0) + 1);
      console.log(`  ${route}: ${(sent.length / n).toFixed(2)} statements per request (${n} requests)`);
      for (const [kind, k] of kinds) console.log(`    ${(k / n).toFixed(2)}  ${kind}`);
    }
  } finally {
    await stop(child);
    const c = new Client({ connectionString: `${PG_URL}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
    await c.end();
    await dropQueueKeys(REDIS_URL, db.replace(/_/g, ''));
  }
}

export async function main(args: string[]): Promise<void> {
  const n = args.length && /^\d+$/.test(args[args.length - 1]) ? Number(args.pop()) : 50;
  const roots = args.length ? args.map((a) => resolve(a)) : [ROOT];
  console.log(`statements per request, ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores`);
  for (const root of roots) {
    const logDir = mkdtempSync(join(os.tmpdir(), 'gi-bench-stmts-'));
    try {
      await count(root, n, logDir);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  }
}
