/**
 * Two builds of the app in alternating rounds of one invocation: `npm run bench -- builds <other checkout> [<this checkout>] [rounds]`.
 * The other checkout (for example `git worktree add /tmp/gi-old 2655078` with `node_modules` linked in) and this one
 * each start their own app (src/main.ts, production mode, its own fresh database created and migrated by its
 * bootstrap, `WORKERS=off`), get an agency, a clerk and 300 cases through the API, and are then measured with
 * autocannon exactly as bench/http.ts measures the app: intake `POST /api/v1/cases` and reads `GET /api/v1/cases/:id`
 * at 20 connections, after a warm-up, in 4-second rounds taking turns (other, this, this, other, …), so that other
 * load on a shared machine falls on both alike. Printed: each build's req/s over all its rounds with each round's
 * figure, the median p50 and p99, this / other for each pair of adjacent rounds and their lower median, and the
 * spread of each build's own rounds ((max − min) / median), the yardstick for "no difference"; and the CPU each build
 * spent per request during its rounds, in its own process and in the PostgreSQL backends connected to its own database
 * (from /proc: less moved by other load on the machine than req/s, which shares the cores). Both databases and the
 * jobs left on Redis under their queue prefixes are dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import type autocannon from 'autocannon';
import { Client } from 'pg';
import { cannon, type Child, cpuTicks, dropQueueKeys, freePort, intakeBodies, must, start, stop, TICK_MS, waitHealthy } from './http';

const ROOT = join(__dirname, '..');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = 20;
const WARMUP_S = 2;
const ROUND_S = 4;
const READ_CASES = 300;

interface Build {
  name: string;
  root: string;
  db: string;
  varDir: string;
  child: Child | null;
  base: string;
  token: string;
  paths: string[];
}

const queuePrefix = (b: Build) => b.db.replace(/_/g, '');

async function up(b: Build, bodies: string[]): Promise<void> {
  const port = await freePort();
  b.base = `http://127.0.0.1:${port}`;
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex'), HASH_KEY: randomBytes(32).toString('hex') };
  const adminPassword = randomBytes(12).toString('base64url');
  const clerkPassword = randomBytes(12).toString('base64url');
  const t0 = Date.now();
  b.child = start(
    'src/main.ts',
    {
      ...secrets,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `${PG_URL}/${b.db}`,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix(b),
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'off',
      WORKERS: 'off',
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: adminPassword,
      ACCESS_TOKEN_TTL: '3600',
      VAR_DIR: b.varDir,
    },
    b.root,
  );
  await waitHealthy(b.child, `${b.base}/health`, 300_000);
  const adminToken = (await must(b.base, 'POST', '/api/v1/auth/login', null, { username: 'bench-admin', password: adminPassword }, 200)).accessToken as string;
  const city = await must(b.base, 'POST', '/api/v1/agencies', adminToken, { name: '基准市人民政府办公室', code: 'bench-city', parentId: null }, 201);
  await must(b.base, 'POST', '/api/v1/users', adminToken, { username: 'bench.clerk', password: clerkPassword, displayName: '基准经办人', email: 'bench.clerk@example.cn', role: 'clerk', agencyId: city.id }, 201);
  b.token = (await must(b.base, 'POST', '/api/v1/auth/login', null, { username: 'bench.clerk', password: clerkPassword }, 200)).accessToken as string;
  for (let i = 0; i < READ_CASES; i++) b.paths.push(`/api/v1/cases/${(await must(b.base, 'POST', '/api/v1/cases', b.token, JSON.parse(bodies[4095 - i]), 201)).id}`);
  console.log(`${b.name} (${b.root}) up with ${READ_CASES} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

interface CpuSnapshot {
  server: number;
  postgres: Map<number, number>;
}

/** CPU ticks so far of the build's process and of the PostgreSQL backends on its database. */
async function cpuOf(b: Build, admin: Client): Promise<CpuSnapshot> {
  const postgres = new Map<number, number>();
  const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [b.db]);
  for (const { pid } of rows) {
    try {
      postgres.set(pid, cpuTicks(pid));
    } catch {
      // ended meanwhile
    }
  }
  return { server: cpuTicks(b.child!.proc.pid!), postgres };
}

/** Adds the ticks between two snapshots to `acc` (a backend that ended meanwhile loses its last ticks). */
function addCpu(acc: { server: number; postgres: number }, a: CpuSnapshot, z: CpuSnapshot): void {
  acc.server += z.server - a.server;
  for (const [pid, t] of z.postgres) acc.postgres += t - (a.postgres.get(pid) ?? 0);
}

const rps = (r: autocannon.Result) => r.requests.total / r.duration;
const lowerMedian = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const f0 = (n: number) => n.toFixed(0);

export async function main(args: string[]): Promise<void> {
  const other = args[0] ? resolve(args[0]) : '';
  if (!other) throw new Error('usage: npm run bench -- builds <other checkout> [<this checkout>] [rounds]');
  // a second checkout named stands for "this": two builds neither of which has this bench (a commit and its parent)
  const named = args[1] !== undefined && !/^\d+$/.test(args[1]);
  const self = named ? resolve(args[1]) : ROOT;
  const rounds = Number(args[named ? 2 : 1] ?? 6);
  const hex = randomBytes(4).toString('hex');
  const builds: Build[] = [
    { name: 'other', root: other, db: `gi_bench_other_${hex}`, varDir: join(ROOT, 'var', `bench-other-${hex}`), child: null, base: '', token: '', paths: [] },
    { name: 'this', root: self, db: `gi_bench_this_${hex}`, varDir: join(ROOT, 'var', `bench-this-${hex}`), child: null, base: '', token: '', paths: [] },
  ];
  const started = Date.now();
  const admin = new Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} ×${os.cpus().length}, node ${process.version}, ${new Date().toISOString()}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  try {
    const bodies = intakeBodies(4096);
    for (const b of builds) await up(b, bodies);
    const load0 = os.loadavg()[0];
    console.log('');
    console.log(`| route | build | req/s (all rounds) | rounds, req/s | spread of its rounds | p50 | p99 | server CPU / req | PostgreSQL CPU / req |`);
    console.log(`| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |`);
    const pairs: string[] = [];
    for (const route of ['intake', 'read'] as const) {
      const opts = (b: Build, seconds: number) => ({ base: b.base, token: b.token, route, seconds, connections: CONNECTIONS, bodies, paths: b.paths });
      for (const b of builds) await cannon(opts(b, WARMUP_S));
      const res: Record<string, autocannon.Result[]> = { other: [], this: [] };
      const cpu: Record<string, { server: number; postgres: number }> = { other: { server: 0, postgres: 0 }, this: { server: 0, postgres: 0 } };
      for (let k = 0; k < rounds; k++) {
        for (const b of k % 2 === 0 ? builds : [...builds].reverse()) {
          const before = await cpuOf(b, admin);
          res[b.name].push(await cannon(opts(b, ROUND_S)));
          addCpu(cpu[b.name], before, await cpuOf(b, admin));
        }
      }
      for (const b of builds) if (!b.child || b.child.proc.exitCode !== null) throw new Error(`${b.name} died during the runs`);
      for (const b of builds) {
        const rs = res[b.name];
        const each = rs.map(rps);
        const pooled = rs.reduce((n, r) => n + r.requests.total, 0) / rs.reduce((s, r) => s + r.duration, 0);
        const spread = (Math.max(...each) - Math.min(...each)) / lowerMedian(each);
        const bad = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
        const total = rs.reduce((n, r) => n + r.requests.total, 0);
        const perReq = (ticks: number) => `${((ticks * TICK_MS) / total).toFixed(2)} ms`;
        console.log(
          `| ${route} | ${b.name} | ${f0(pooled)} | ${each.map(f0).join(', ')} | ${(spread * 100).toFixed(0)} % | ${lowerMedian(rs.map((r) => r.latency.p50))} ms | ${lowerMedian(rs.map((r) => r.latency.p99))} ms | ${perReq(cpu[b.name].server)} | ${perReq(cpu[b.name].postgres)} |${bad ? ` (${bad} non-2xx or errors)` : ''}`,
        );
      }
      const ratios = res.this.map((r, k) => rps(r) / rps(res.other[k]));
      pairs.push(`${route}: this / other, lower median of ${rounds} paired rounds ${lowerMedian(ratios).toFixed(2)}× (pairs ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
    }
    console.log('');
    for (const p of pairs) console.log(p);
    console.log(`load average (1 min) at the start of the rounds ${load0.toFixed(2)}, at the end ${os.loadavg()[0].toFixed(2)}, on ${os.cpus().length} cores; took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const b of builds) await stop(b.child);
    for (const b of builds) await admin.query(`DROP DATABASE IF EXISTS "${b.db}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    for (const b of builds) await dropQueueKeys(REDIS_URL, queuePrefix(b));
    for (const b of builds) rmSync(b.varDir, { recursive: true, force: true });
  }
}
