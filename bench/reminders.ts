/**
 * Reminder throughput and lateness, with the real pipeline: scheduled actions in PostgreSQL,
 * two worker processes (sweep → BullMQ on Redis → sender → nodemailer) and a local SMTP sink.
 *   (a) N reminders due at the same moment: time until the sink has them all;
 *   (b) N reminders due evenly over a window: lateness = arrival at the sink − due time.
 * Duplicates (the same Message-ID twice) must be 0. Redis memory is sampled.
 *   node -r @swc-node/register bench/reminders.ts [a|b|all] [count] [windowSeconds]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { runMigrations } from '../src/infra/database/run-migrations';

const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sink {
  port: number;
  arrivals: Map<string, number>;
  duplicates: number;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const sink = { arrivals: new Map<string, number>(), duplicates: 0 } as Sink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 200,
    onData(stream, _s, cb) {
      let head = '';
      stream.on('data', (d: Buffer) => {
        if (head.length < 4096) head += d.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? `?${Math.random()}`;
        if (sink.arrivals.has(id)) sink.duplicates++;
        else sink.arrivals.set(id, Date.now());
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.port = (server.server.address() as { port: number }).port;
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}

async function admin<T>(sql: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG });
  await c.connect();
  try {
    return await sql(c);
  } finally {
    await c.end();
  }
}

function dbUrl(name: string): string {
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A database with one agency, its supervisor, and `count` reminders (no case: the pipeline is measured). */
async function prepare(name: string, count: number, firstDue: number, spreadMs: number): Promise<void> {
  await admin((c) => c.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`));
  await runMigrations(dbUrl(name));
  const c = new Client({ connectionString: dbUrl(name) });
  await c.connect();
  try {
    const [{ id }] = (await c.query(`INSERT INTO agencies (name, code, path) VALUES ('基准测试局', 'bench', '/') RETURNING id`)).rows;
    await c.query(`UPDATE agencies SET path = '/' || id || '/' WHERE id = $1`, [id]);
    await c.query(`INSERT INTO users (username, password_hash, display_name, email, role, agency_id) VALUES ('bench.sup', 'x', '基准', 'sup@bench.example', 'supervisor', $1)`, [id]);
    const step = count > 1 ? spreadMs / (count - 1) : 0;
    await c.query(
      `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data)
       SELECT 'bench:' || i, 'overdue_escalation', NULL, $1, 'supervisors', to_timestamp(($2::float8 + i * $3::float8) / 1000), '{"dueDate":"2026-11-20"}'::jsonb
         FROM generate_series(0, $4::int - 1) AS i`,
      [id, firstDue, step, count],
    );
  } finally {
    await c.end();
  }
}

function startWorkers(n: number, env: NodeJS.ProcessEnv): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.BENCH_WORKER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_PROF}`] : []), '-r', '@swc-node/register', 'src/worker.ts'], { cwd: join(__dirname, '..'), env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

async function run(kind: 'a' | 'b', count: number, windowSec: number): Promise<Record<string, string | number>> {
  const name = `gi_bench_${kind}_${randomBytes(4).toString('hex')}`;
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const sink = await startSink();
  const redis = new IORedis(REDIS);
  const t0 = Date.now() + 20_000; // workers need a few seconds to start
  const spread = kind === 'a' ? 0 : windowSec * 1000;
  await prepare(name, count, kind === 'a' ? Date.now() - 1000 : t0, spread);
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl(name),
    REDIS_URL: REDIS,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789',
    ENCRYPTION_KEY: '11'.repeat(32),
    HASH_KEY: '22'.repeat(32),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_SECURE: 'false',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'error',
    MIGRATE_ON_START: 'off',
  };
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const baseRedis = await usedMemory(); // other keys on the server are not ours
  let peakRedis = baseRedis;
  const sampler = setInterval(() => {
    // a sample that fails is only a missed sample
    usedMemory().then((used) => (peakRedis = Math.max(peakRedis, used))).catch(() => undefined);
  }, 500);
  const started = Date.now();
  const workers = startWorkers(2, env);
  const deadline = started + (kind === 'a' ? 600_000 : spread + 300_000);
  while (sink.arrivals.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const drained = Date.now();
  await new Promise((r) => setTimeout(r, 2000)); // late duplicates would show here
  clearInterval(sampler);
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  const db = new Client({ connectionString: dbUrl(name) });
  await db.connect();
  const rows = (await db.query(`SELECT status, count(*)::int AS n FROM scheduled_actions GROUP BY status`)).rows as { status: string; n: number }[];
  const result: Record<string, string | number> = { scenario: kind === 'a' ? `(a) ${count} due at once` : `(b) ${count} over ${windowSec} s`, delivered: sink.arrivals.size, duplicates: sink.duplicates };
  if (kind === 'a') {
    const first = Math.min(...sink.arrivals.values());
    result['first mail after s'] = ((first - started) / 1000).toFixed(1);
    result['drain seconds (from spawn)'] = ((drained - started) / 1000).toFixed(1);
    result['mails/s'] = Math.round(sink.arrivals.size / ((drained - started) / 1000));
  } else {
    const due = (await db.query(`SELECT message_id, extract(epoch from due_at) * 1000 AS due FROM scheduled_actions WHERE status = 'sent'`)).rows as { message_id: string; due: number }[];
    const lateness = due.map((r) => (sink.arrivals.get(r.message_id) ?? drained) - Number(r.due));
    result['lateness p50 ms'] = Math.round(pct(lateness, 50));
    result['lateness p99 ms'] = Math.round(pct(lateness, 99));
    result['lateness max ms'] = Math.round(Math.max(...lateness));
  }
  result['redis peak MiB (above start)'] = ((peakRedis - baseRedis) / 1048576).toFixed(1);
  result['rows'] = rows.map((r) => `${r.status}=${r.n}`).join(' ');
  await db.end();
  // the run's queue keys (BullMQ keeps the last 10,000 completed jobs) go with its database
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    if ((cursor = next) === '0') break;
  }
  redis.disconnect();
  await sink.close();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  return result;
}

export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  const which = args[0] ?? 'all';
  const count = Number(args[1] ?? 100_000);
  const windowSec = Number(args[2] ?? 600);
  console.log(`machine: ${cpus()[0]?.model} ×${cpus().length}, node ${process.version}, ${new Date().toISOString()}`);
  if (which === 'a' || which === 'all') console.table([await run('a', count, windowSec)]);
  if (which === 'b' || which === 'all') console.table([await run('b', count, windowSec)]);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
