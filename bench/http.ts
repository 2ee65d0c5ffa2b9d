/**
 * HTTP benchmark: the real app (src/main.ts in a child process, production mode, its own bootstrap
 * creating and migrating a fresh database) against a bare Fastify + pg server doing the same SQL work
 * (bench/bare-server.ts, another child process, same database), measured with autocannon from this
 * process:
 *
 * 1. intake `POST /api/v1/cases` as a clerk, bodies varied (2,000 applicants, 5 channels, 5 receipt dates);
 * 2. reads `GET /api/v1/cases/:id` as the same clerk, over 300 cases logged beforehand;
 * each for the app and the bare server at 20 connections, after a warm-up, in alternating 4-second rounds
 * (app, bare, bare, app, …; BENCH_HTTP_ROUNDS, default 6 each) so that other load on a shared machine falls on both
 * alike; the ratio is given pooled (all requests over all rounds) and as the lower median of the pairs of adjacent
 * rounds (less moved by the machine's drift during the run). The bare server must first give the app's answer (the
 * same body and headers for a read, the same shape for an intake); then
 * 3. intake at a fixed 1,000 requests per second for 10 s: with autocannon `overallRate`, and with a paced
 *    open-loop sender measuring from each request's due time (also at 100 per second, a load the app sustains);
 *    CPU per request of the server process and of PostgreSQL (Linux /proc);
 * 4. (run before 3.) what each request costs the database: transactions and rows per request (pg_stat_database and
 *    pg_stat_user_tables, flushed by ending the bench database's own sessions) over 200 sequential requests.
 *
 * BENCH_HTTP_QUICK=1 runs step 1 and 2 only (BENCH_HTTP_ROUTES=read or intake: one of them).
 *
 *   npm run bench -- http          (PostgreSQL: BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432;
 *                                   Redis: BENCH_REDIS_URL, default redis://127.0.0.1:6379)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Client } from 'pg';
import { formatDayNumber, parseIsoDate, todayInShanghai } from '../src/statute/iso-date';
import { residentIdCheckChar } from '../src/statute/id-number';

const ROOT = join(__dirname, '..');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = 20;
const WARMUP_S = 2;
/** app and bare take turns (ABBA…): pairs of adjacent rounds see the same machine */
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 6);
const ROUND_S = 4;
const RATE = 1000;
const RATE_S = 10;
/** a rate the app sustains on a small machine: its latency without queueing */
const LOW_RATE = 100;
const LOW_RATE_S = 5;
const READ_CASES = 300;
const DIAG_REQUESTS = 200;
/** BENCH_HTTP_QUICK=1: only the alternating rounds (about a minute), for trying a change */
const QUICK = process.env.BENCH_HTTP_QUICK === '1';
/** BENCH_HTTP_ROUTES=read (or intake): with QUICK, only that route */
const ROUTES = (QUICK && process.env.BENCH_HTTP_ROUTES ? process.env.BENCH_HTTP_ROUTES.split(',') : ['intake', 'read']) as ('intake' | 'read')[];

export interface HttpRow {
  route: 'intake' | 'read';
  target: 'app' | 'bare';
  mode: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU milliseconds per request of the server process, and of all PostgreSQL processes on the host */
  serverCpuMs: number | null;
  postgresCpuMs: number | null;
}

export interface PacedRow extends PacedResult {
  target: 'app' | 'bare';
  rate: number;
}

export interface HttpBenchReport {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string; postgres: string; date: string };
  rows: HttpRow[];
  paced: PacedRow[];
  ratios: { intake: number; read: number };
  /** the median of app / bare over the pairs of adjacent rounds */
  pairedRatios: { intake: number; read: number };
  perRequest: { route: string; target: string; transactions: number; rowsInserted: Record<string, number> }[];
  /** 1-minute load average before and after the timed runs: other work on the machine */
  loadAverage: [number, number];
}

// ------------------------------------------------------------------ processes and plumbing

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  output: () => string;
  stopping: boolean;
}

/** `script` under Node with the TypeScript register, in `cwd` (another checkout of the app, for bench/http-builds.ts). */
export function start(script: string, env: Record<string, string>, cwd = ROOT): Child {
  // BENCH_APP_PROF=dir: a CPU profile of the app, written when it stops
  const prof = process.env.BENCH_APP_PROF && script.startsWith('src/') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_APP_PROF}`] : [];
  const proc = spawn(process.execPath, [...prof, '-r', '@swc-node/register', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const child: Child = { proc, output: () => out, stopping: false };
  proc.once('exit', (code, signal) => {
    if (!child.stopping) console.error(`!! ${script} (pid ${proc.pid}) exited unexpectedly: code ${code}, signal ${signal}\n${out.slice(-2000)}`);
  });
  return child;
}

export async function waitHealthy(child: Child, url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`${url}: the process exited (${child.proc.exitCode}):\n${child.output()}`);
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}: not healthy after ${timeoutMs} ms:\n${child.output()}`);
}

export async function stop(child: Child | null): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.pid === undefined) return;
  child.stopping = true;
  const exited = new Promise<void>((r) => child.proc.once('exit', () => r()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function call(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: Object.fromEntries(r.headers) };
}

/** A JSON value's shape: its field names and value types, recursively (the values themselves left out). */
function shapeOf(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(shapeOf).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${shapeOf((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return v === null ? 'null' : typeof v;
}

export async function must(base: string, method: string, path: string, token: string | null, body: unknown, status: number): Promise<any> {
  const r = await call(base, method, path, token, body);
  if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Deletes the Redis keys under a queue prefix (the jobs an app with WORKERS=off left there); nothing when Redis is away. */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // nothing to clean when Redis is away
  } finally {
    redis.disconnect();
  }
}

// ------------------------------------------------------------------ CPU accounting (Linux /proc; null elsewhere)

export const TICK_MS = 10; // USER_HZ = 100 on Linux

/** User and system CPU ticks of one process so far (Linux /proc). */
export function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** CPU ticks of every PostgreSQL process on the host (ours and anything else running), by pid. */
function postgresTicks(): Map<number, number> {
  const t = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (stat.includes('(postgres)')) t.set(Number(d), cpuTicks(Number(d)));
    } catch {
      // gone meanwhile
    }
  }
  return t;
}

interface CpuMeter {
  server: number;
  postgres: number;
}

interface CpuSnapshot {
  server: number;
  postgres: Map<number, number>;
}

function cpuNow(pid: number | undefined): CpuSnapshot | null {
  try {
    return pid === undefined ? null : { server: cpuTicks(pid), postgres: postgresTicks() };
  } catch {
    return null;
  }
}

/** CPU ticks between two snapshots; a PostgreSQL process that ended meanwhile is not counted (its last ticks are lost). */
function cpuSpent(a: CpuSnapshot, b: CpuSnapshot): CpuMeter {
  let postgres = 0;
  for (const [pid, t] of b.postgres) postgres += t - (a.postgres.get(pid) ?? 0);
  return { server: b.server - a.server, postgres };
}

// ------------------------------------------------------------------ request bodies

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴霞', '徐涛', '孙丽', '马骏', '朱婷', '胡斌', '郭琳'];
const TOPICS = [
  '申请公开{n}年度城市道路维修资金使用情况',
  '申请公开本街道{n}号地块征地补偿安置方案',
  '申请公开辖区河道水质监测月报（第{n}期）',
  '申请公开{n}年度义务教育学校生均经费拨付明细',
  '申请公开公共租赁住房第{n}批次配租结果',
  '申请公开城镇职工养老保险基金{n}年度收支决算',
  '申请公开行政处罚决定书（编号第{n}号）',
  '申请公开控制性详细规划修改批复（第{n}号）',
];
const CHANNEL_CYCLE = ['in_person', 'email', 'registered_post', 'ordinary_letter', 'fax'];

/** 2,000 distinct valid resident IDs, deterministic. */
function residentIds(n: number): string[] {
  const divisions = ['211102', '211103', '211104', '211122', '210103', '110105'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const birth = formatDayNumber(parseIsoDate('1950-01-01')! + ((i * 7_919) % 18_000)).replaceAll('-', '');
    const first17 = `${divisions[i % divisions.length]}${birth}${String(i % 1000).padStart(3, '0')}`;
    out.push(first17 + residentIdCheckChar(first17));
  }
  return out;
}

export function intakeBodies(count: number): string[] {
  const ids = residentIds(2000);
  const today = todayInShanghai();
  const dates = [0, 1, 2, 3, 4].map((k) => formatDayNumber(parseIsoDate(today)! - k));
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    bodies.push(
      JSON.stringify({
        channel: CHANNEL_CYCLE[i % CHANNEL_CYCLE.length],
        receiptDate: dates[(i >> 2) % dates.length],
        applicant: {
          type: 'natural_person',
          name: NAMES[i % NAMES.length],
          idType: 'resident_id',
          idNumber: ids[(i * 37) % ids.length],
          phone: `139${String(10_000_000 + ((i * 7_321) % 89_999_999)).slice(0, 8)}`,
          email: `applicant${i % 500}@example.cn`,
          address: `辽宁省盘锦市兴隆台区振兴街道${(i % 200) + 1}号`,
        },
        description: TOPICS[i % TOPICS.length].replace('{n}', String(2000 + (i % 26))),
        form: i % 3 === 0 ? 'paper' : 'electronic',
        delivery: i % 3 === 0 ? 'post' : 'email',
      }),
    );
  }
  return bodies;
}

// ------------------------------------------------------------------ autocannon

type Target = { name: 'app' | 'bare'; base: string };

export function cannon(opts: { base: string; token: string; route: 'intake' | 'read'; seconds: number; connections: number; rate?: number; bodies: string[]; paths: string[] }): Promise<autocannon.Result> {
  let i = 0;
  const headers = { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' };
  const request: autocannon.Request =
    opts.route === 'intake'
      ? { method: 'POST', path: '/api/v1/cases', headers, setupRequest: (req) => ({ ...req, body: opts.bodies[i++ % opts.bodies.length] }) }
      : { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: opts.paths[i++ % opts.paths.length] }) };
  return autocannon({
    url: opts.base,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [request],
  });
}

/** A run of autocannon, with the CPU the server and PostgreSQL spent meanwhile added to `acc`. */
async function measured(pid: number | undefined, acc: { cpu: CpuMeter | null }, opts: Parameters<typeof cannon>[0]): Promise<autocannon.Result> {
  const before = cpuNow(pid);
  const r = await cannon(opts);
  const after = cpuNow(pid);
  if (before && after && acc.cpu) {
    const d = cpuSpent(before, after);
    acc.cpu.server += d.server;
    acc.cpu.postgres += d.postgres;
  } else acc.cpu = null;
  return r;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rounds of one target: req/s over all of them; p50 and p99 the median of the rounds'. */
function combine(route: 'intake' | 'read', target: 'app' | 'bare', mode: string, rs: autocannon.Result[], cpu: CpuMeter | null): HttpRow {
  const total = rs.reduce((n, r) => n + r.requests.total, 0);
  return {
    serverCpuMs: cpu ? (cpu.server * TICK_MS) / total : null,
    postgresCpuMs: cpu ? (cpu.postgres * TICK_MS) / total : null,
    route,
    target,
    mode,
    rps: total / rs.reduce((s, r) => s + r.duration, 0),
    p50: median(rs.map((r) => r.latency.p50)),
    p99: median(rs.map((r) => r.latency.p99)),
    requests: total,
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
  };
}

// ------------------------------------------------------------------ paced (open-loop) fixed rate

interface PacedResult {
  sent: number;
  completed: number;
  /** still unanswered 5 s after the last request was sent: counted with their wait so far */
  unanswered: number;
  non2xx: number;
  /** answers other than 2xx, by status and error code ("503 SERVICE_UNAVAILABLE": count) */
  refusals: Record<string, number>;
  errors: number;
  p50: number;
  p99: number;
  seconds: number;
}

/**
 * `rate` intakes per second, sent on schedule whatever the answers (a new connection when all are busy),
 * each latency measured from the moment the request was due: what a client sees at that arrival rate.
 * (autocannon's `overallRate` instead lets each connection send its per-second quota back to back at the
 * top of every second, so its latencies include that burst.)
 */
export async function paced(base: string, token: string, rate: number, seconds: number, bodies: string[], offset: number): Promise<PacedResult> {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = rate * seconds;
  const latencies: number[] = [];
  const inflight = new Map<number, number>();
  let sent = 0;
  let completed = 0;
  let non2xx = 0;
  const refusals: Record<string, number> = {};
  let errors = 0;
  const t0 = performance.now();
  const fire = (i: number, due: number) => {
    inflight.set(i, due);
    const body = bodies[(offset + i) % bodies.length];
    const req = request(
      { hostname, port, path: '/api/v1/cases', method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const failed = (res.statusCode ?? 0) >= 300;
        const chunks: Buffer[] = [];
        if (failed) res.on('data', (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on('end', () => {
          if (!inflight.delete(i)) return;
          latencies.push(performance.now() - due);
          completed++;
          if (!failed) return;
          non2xx++;
          let code = '';
          try {
            code = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code ?? '');
          } catch {
            // not JSON
          }
          const key = `${res.statusCode} ${code}`.trim();
          refusals[key] = (refusals[key] ?? 0) + 1;
        });
      },
    );
    req.on('error', () => {
      if (!inflight.delete(i)) return;
      latencies.push(performance.now() - due);
      errors++;
    });
    req.end(body);
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      for (; sent < due; sent++) fire(sent, t0 + (sent * 1000) / rate);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const deadline = performance.now() + 5000;
  while (inflight.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const cut = performance.now();
  const unanswered = inflight.size;
  for (const due of inflight.values()) latencies.push(cut - due);
  inflight.clear();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const rank = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return { sent, completed, unanswered, non2xx, refusals, errors, p50: rank(0.5), p99: rank(0.99), seconds: (cut - t0) / 1000 };
}

// ------------------------------------------------------------------ database cost per request

interface DbStats {
  xact: number;
  ins: Record<string, number>;
}

/** The database's counters, after making every session of it (the app's and the bare server's pools) flush its statistics. */
async function dbStats(dbUrl: string, db: string): Promise<DbStats> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name IN ('gov-info-disclosure', 'bench-bare')`, [db]);
    await new Promise((r) => setTimeout(r, 300));
    await c.query('SELECT pg_stat_clear_snapshot()');
    const [d] = (await c.query(`SELECT xact_commit::int AS xact FROM pg_stat_database WHERE datname = $1`, [db])).rows;
    const t = (await c.query(`SELECT relname, n_tup_ins::int AS ins FROM pg_stat_user_tables`)).rows as { relname: string; ins: number }[];
    return { xact: d.xact, ins: Object.fromEntries(t.map((x) => [x.relname, x.ins])) };
  } finally {
    await c.end();
  }
}

async function perRequestCost(dbUrl: string, db: string, target: Target, token: string, route: 'intake' | 'read', bodies: string[], paths: string[]) {
  // reconnect the pools after the previous flush, then flush what reconnecting cost
  for (let i = 0; i < 5; i++) await fetch(`${target.base}/health`);
  await dbStats(dbUrl, db);
  for (let i = 0; i < 3; i++) await fetch(`${target.base}${route === 'read' ? paths[i] : '/health'}`, { headers: { authorization: `Bearer ${token}` } });
  const before = await dbStats(dbUrl, db);
  let failed = 0;
  for (let i = 0; i < DIAG_REQUESTS; i++) {
    const r =
      route === 'intake'
        ? await fetch(`${target.base}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: bodies[i] })
        : await fetch(`${target.base}${paths[i % paths.length]}`, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (r.status >= 300) failed++;
  }
  const after = await dbStats(dbUrl, db);
  const rowsInserted: Record<string, number> = {};
  for (const [t, n] of Object.entries(after.ins)) {
    const d = n - (before.ins[t] ?? 0);
    if (d > 0) rowsInserted[t] = Math.round((d / DIAG_REQUESTS) * 100) / 100;
  }
  // the statistics session itself commits one transaction: not the target's
  const transactions = Math.round(((after.xact - before.xact - 1) / DIAG_REQUESTS) * 100) / 100;
  return { route, target: target.name, transactions, rowsInserted, failed };
}

// ------------------------------------------------------------------ main

const f0 = (n: number) => n.toFixed(0);
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const cpuMs = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)} ms`);

export async function main(): Promise<HttpBenchReport> {
  const hex = randomBytes(4).toString('hex');
  const db = `gi_bench_${hex}`;
  const dbUrl = `${PG_URL}/${db}`;
  const prefix = `bench${hex}`;
  const varDir = join('var', `bench-${hex}`);
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex'), HASH_KEY: randomBytes(32).toString('hex') };
  const adminPassword = randomBytes(12).toString('base64url');
  const clerkPassword = randomBytes(12).toString('base64url');
  let app: Child | null = null;
  let bare: Child | null = null;
  const started = Date.now();

  const admin = new Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  const postgres = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await admin.end();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    postgres,
    date: new Date().toISOString(),
  };
  console.log(`machine: ${machine.cpu} ×${machine.cores}, ${machine.memoryGb} GB, node ${machine.node}, ${machine.platform}, PostgreSQL ${postgres} (same host), ${machine.date}`);

  try {
    const appPort = await freePort();
    const appBase = `http://127.0.0.1:${appPort}`;
    app = start('src/main.ts', {
      ...secrets,
      NODE_ENV: 'production',
      PORT: String(appPort),
      DATABASE_URL: dbUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'off',
      WORKERS: 'off',
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: adminPassword,
      ACCESS_TOKEN_TTL: '3600',
      VAR_DIR: varDir,
    });
    await waitHealthy(app, `${appBase}/health`);
    console.log(`app up (database ${db} created and migrated by its bootstrap) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // an agency and its clerk, through the API
    const adminToken = (await must(appBase, 'POST', '/api/v1/auth/login', null, { username: 'bench-admin', password: adminPassword }, 200)).accessToken as string;
    const city = await must(appBase, 'POST', '/api/v1/agencies', adminToken, { name: '基准市人民政府办公室', code: 'bench-city', parentId: null }, 201);
    await must(appBase, 'POST', '/api/v1/agencies', adminToken, { name: '基准市教育局', code: 'bench-edu', parentId: city.id }, 201);
    await must(appBase, 'POST', '/api/v1/users', adminToken, { username: 'bench.clerk', password: clerkPassword, displayName: '基准经办人', email: 'bench.clerk@example.cn', role: 'clerk', agencyId: city.id }, 201);
    const token = (await must(appBase, 'POST', '/api/v1/auth/login', null, { username: 'bench.clerk', password: clerkPassword }, 200)).accessToken as string;

    const bodies = intakeBodies(4096);
    const ids: string[] = [];
    for (let i = 0; i < READ_CASES; i++) ids.push((await must(appBase, 'POST', '/api/v1/cases', token, JSON.parse(bodies[4095 - i]), 201)).id);
    const paths = ids.map((id) => `/api/v1/cases/${id}`);
    console.log(`${READ_CASES} cases logged for the reads`);

    const barePort = await freePort();
    const bareBase = `http://127.0.0.1:${barePort}`;
    bare = start('bench/bare-server.ts', { ...secrets, DATABASE_URL: dbUrl, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(barePort) });
    await waitHealthy(bare, `${bareBase}/health`);
    // the bare server answers the app's own cases with the same body, so that both do the same work
    const probe = await call(bareBase, 'GET', paths[0], token);
    const own = await call(appBase, 'GET', paths[0], token);
    if (probe.status !== 200 || !isDeepStrictEqual(probe.body, own.body))
      throw new Error(`bare server read differs from the app's: ${probe.status}\nbare ${JSON.stringify(probe.body)}\napp  ${JSON.stringify(own.body)}`);
    if (!isDeepStrictEqual(Object.keys(probe.headers).sort(), Object.keys(own.headers).sort()))
      throw new Error(`bare server's headers differ from the app's: bare ${Object.keys(probe.headers).sort().join(' ')}; app ${Object.keys(own.headers).sort().join(' ')}`);
    // and an intake with an answer of the same shape (other ids and numbers): the same fields, headers and status
    const [appIntake, bareIntake] = [await call(appBase, 'POST', '/api/v1/cases', token, JSON.parse(bodies[3000])), await call(bareBase, 'POST', '/api/v1/cases', token, JSON.parse(bodies[3001]))];
    if (appIntake.status !== 201 || bareIntake.status !== 201 || shapeOf(appIntake.body) !== shapeOf(bareIntake.body) || shapeOf(Object.keys(appIntake.headers).sort()) !== shapeOf(Object.keys(bareIntake.headers).sort()))
      throw new Error(`bare server's intake answer differs from the app's:\nbare ${bareIntake.status} ${shapeOf(bareIntake.body)}\napp  ${appIntake.status} ${shapeOf(appIntake.body)}`);

    const targets: Target[] = [
      { name: 'app', base: appBase },
      { name: 'bare', base: bareBase },
    ];
    const rows: HttpRow[] = [];
    /** app / bare of each pair of adjacent rounds, by route: less moved by the machine's drift than the pooled ratio */
    const paired: Record<string, number[]> = {};
    const pids = { app: app.proc.pid, bare: bare.proc.pid };
    const fresh = () => ({ cpu: { server: 0, postgres: 0 } as CpuMeter | null });
    const load0 = os.loadavg()[0];
    // app and bare alternate in short rounds, so that other load on the machine falls on both alike
    for (const route of ROUTES) {
      for (const t of targets) await cannon({ base: t.base, token, route, seconds: WARMUP_S, connections: CONNECTIONS, bodies, paths });
      const rounds: Record<string, autocannon.Result[]> = { app: [], bare: [] };
      const cpu = { app: fresh(), bare: fresh() };
      for (let k = 0; k < ROUNDS; k++) {
        for (const t of k % 2 === 0 ? targets : [...targets].reverse()) {
          rounds[t.name].push(await measured(pids[t.name], cpu[t.name], { base: t.base, token, route, seconds: ROUND_S, connections: CONNECTIONS, bodies, paths }));
        }
      }
      for (const c of [app, bare]) if (c.proc.exitCode !== null || c.proc.signalCode !== null) throw new Error('a server died during the runs (see above)');
      const rps = (r: autocannon.Result) => r.requests.total / r.duration;
      paired[route] = rounds.app.map((r, k) => rps(r) / rps(rounds.bare[k]));
      for (const t of targets) {
        rows.push(combine(route, t.name, `${CONNECTIONS} connections, ${ROUNDS}×${ROUND_S} s`, rounds[t.name], cpu[t.name].cpu));
        const x = rows[rows.length - 1];
        console.log(`  ${route} ${t.name}: ${f0(x.rps)} req/s, p50 ${ms(x.p50)}, p99 ${ms(x.p99)}, CPU/request ${cpuMs(x.serverCpuMs)} server, ${cpuMs(x.postgresCpuMs)} PostgreSQL (${x.requests} requests, ${x.non2xx} non-2xx, ${x.errors} errors; rounds ${rounds[t.name].map((r) => f0(r.requests.total / r.duration)).join(', ')} req/s)`);
      }
    }
    // sequential, before the overload runs (an app fed 1,000 intakes a second keeps working off its backlog)
    const perRequest: HttpBenchReport['perRequest'] = [];
    for (const route of QUICK ? [] : (['intake', 'read'] as const)) {
      for (const t of targets) {
        try {
          const c = await perRequestCost(dbUrl, db, t, token, route, bodies, paths);
          perRequest.push(c);
          if (c.failed) console.log(`  (database cost of ${route} ${t.name}: ${c.failed} of ${DIAG_REQUESTS} requests failed)`);
        } catch (e) {
          const child = t.name === 'app' ? app : bare;
          console.log(`  database cost of ${route} ${t.name}: not measured (${(e as Error).message})${child && child.proc.exitCode !== null ? `; the server exited (${child.proc.exitCode}): ${child.output()}` : ''}`);
        }
      }
    }

    for (const t of QUICK ? [] : targets) {
      const acc = fresh();
      const r = await measured(pids[t.name], acc, { base: t.base, token, route: 'intake', seconds: RATE_S, connections: 100, rate: RATE, bodies, paths });
      rows.push(combine('intake', t.name, `autocannon overallRate ${RATE}/s, 100 connections, ${RATE_S} s`, [r], acc.cpu));
      const x = rows[rows.length - 1];
      console.log(`  intake ${t.name}, autocannon overallRate ${RATE}/s: achieved ${f0(x.rps)} req/s, p50 ${ms(x.p50)}, p99 ${ms(x.p99)} (${x.non2xx} non-2xx, ${x.errors} errors)`);
    }
    if (!QUICK) await new Promise((r) => setTimeout(r, 1000));
    // paced: the bare server first and the app last at the full rate (an overloaded app keeps working off its backlog)
    const pacedRows: PacedRow[] = [];
    for (const [t, rate, seconds] of [
      [targets[0], LOW_RATE, LOW_RATE_S],
      [targets[1], LOW_RATE, LOW_RATE_S],
      [targets[1], RATE, RATE_S],
      [targets[0], RATE, RATE_S],
    ] as const) {
      if (QUICK) break;
      const r = await paced(t.base, token, rate, seconds, bodies, pacedRows.length * 1000);
      pacedRows.push({ target: t.name, rate, ...r });
      const more = r.unanswered ? `, ${r.unanswered} unanswered after 5 s (counted with their wait so far)` : '';
      console.log(`  intake ${t.name}, paced ${rate}/s for ${seconds} s: ${r.completed} of ${r.sent} answered, p50 ${ms(r.p50)}, p99 ${r.unanswered ? '≥ ' : ''}${ms(r.p99)} (${r.non2xx} non-2xx${r.non2xx ? `: ${Object.entries(r.refusals).map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}, ${r.errors} errors${more})`);
    }
    const load1 = os.loadavg()[0];

    const get = (route: string, target: string) => rows.find((r) => r.route === route && r.target === target && r.mode.startsWith(`${CONNECTIONS} connections`))!;
    const ratio = (route: string) => (get(route, 'app') ? get(route, 'app').rps / get(route, 'bare').rps : NaN);
    const ratios = { intake: ratio('intake'), read: ratio('read') };

    console.log('');
    console.log(`| route | server | load | req/s | p50 | p99 | server CPU / req | PostgreSQL CPU / req | requests | non-2xx | errors |`);
    console.log(`| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const r of rows) {
      console.log(`| ${r.route} | ${r.target} | ${r.mode} | ${f0(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${cpuMs(r.serverCpuMs)} | ${cpuMs(r.postgresCpuMs)} | ${r.requests} | ${r.non2xx} | ${r.errors} |`);
    }
    console.log('');
    console.log(`| intake, paced (open loop) | rate | sent | answered | p50 | p99 |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
    for (const r of pacedRows) console.log(`| ${r.target} | ${r.rate}/s | ${r.sent} | ${r.completed}${r.unanswered ? ` (${r.unanswered} unanswered)` : ''} | ${ms(r.p50)} | ${r.unanswered ? '≥ ' : ''}${ms(r.p99)} |`);
    console.log('');
    console.log(`app / bare (req/s): intake ${ratios.intake.toFixed(2)}×, read ${ratios.read.toFixed(2)}×`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
    const pairedRatios = { intake: median(paired.intake ?? []), read: median(paired.read ?? []) };
    const pairs = (route: string) => (paired[route] ? `${pairedRatios[route as 'intake' | 'read'].toFixed(2)}× (rounds ${paired[route].map((x) => x.toFixed(2)).join(', ')})` : 'n/a');
    console.log(`app / bare, lower median of the ${ROUNDS} paired rounds: intake ${pairs('intake')}, read ${pairs('read')}`);
    const cpuRatio = (route: string) => {
      const a = get(route, 'app')?.serverCpuMs;
      const b = get(route, 'bare')?.serverCpuMs;
      return a && b ? `${(b / a).toFixed(2)}×` : 'n/a';
    };
    console.log(`bare / app (server CPU per request): intake ${cpuRatio('intake')}, read ${cpuRatio('read')}`);
    if (perRequest.length) {
      console.log('');
      console.log(`| database work per request (${DIAG_REQUESTS} sequential) | transactions | rows inserted |`);
      console.log(`| --- | ---: | --- |`);
      for (const p of perRequest) {
        const ins = Object.entries(p.rowsInserted).map(([k, v]) => `${k} ${v}`).join(', ') || '–';
        console.log(`| ${p.route} ${p.target} | ${p.transactions} | ${ins} |`);
      }
    }
    console.log(`\nload average (1 min) at the start of the runs ${load0.toFixed(2)}, at the end ${load1.toFixed(2)}, on ${machine.cores} cores`);
    console.log(`http benchmark took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { machine, rows, paced: pacedRows, ratios, pairedRatios, perRequest, loadAverage: [load0, load1] };
  } finally {
    await stop(bare);
    await stop(app);
    const c = new Client({ connectionString: `${PG_URL}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
    await c.end();
    await dropQueueKeys(REDIS_URL, prefix);
    rmSync(join(ROOT, varDir), { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
