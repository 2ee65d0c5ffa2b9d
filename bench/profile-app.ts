/**
 * A CPU profile of the app alone under one route's load (for finding where the time goes):
 *   node -r @swc-node/register bench/profile-app.ts read|intake [seconds] [profileDir] [bare]
 * With `bare`, bench/bare-server.ts is then profiled the same way on the same database. With BENCH_STRACE=1
 * the servers' system calls during the drive are counted (strace -c) into the profile directory; with BENCH_PERF=1
 * both are recorded with Linux perf instead of V8's profiler.
 * Starts src/main.ts with --cpu-prof in production mode on a fresh database, logs an agency,
 * a clerk and 300 cases, drives the route with autocannon, stops the app (the profile is written
 * then) and drops the database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { residentIdCheckChar } from '../src/statute/id-number';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function healthy(base: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not start`);
}

async function call(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<any> {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function residentId(i: number): string {
  const first17 = `110105${19500101 + (i % 28)}${String(i % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** V8's sampling profiler, or with BENCH_PERF=1 the JIT symbol map for Linux perf (perf samples kernel time too). */
const PERF = process.env.BENCH_PERF === '1';
const profFlags = (dir: string): string[] => (PERF ? ['--perf-basic-prof-only-functions'] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]);

/**
 * With BENCH_STRACE=1, counts the server's system calls during the drive (strace -c) into `file`; with
 * BENCH_PERF=1, records it with `perf record -g` into `file` with .data for .txt
 * (then `perf report -i <file> --no-children --sort dso,sym`).
 */
async function traced<T>(pid: number, file: string, run: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_STRACE !== '1' && !PERF) return run();
  mkdirSync(dirname(file), { recursive: true });
  const st = PERF
    ? spawn('perf', ['record', '-F', '997', '-g', '-p', String(pid), '-o', file.replace(/\.txt$/, '.data')], { stdio: 'ignore' })
    : spawn('strace', ['-c', '-f', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  const exited = new Promise((r) => st.once('exit', r));
  await new Promise((r) => setTimeout(r, 500));
  try {
    return await run();
  } finally {
    st.kill('SIGINT');
    await exited;
  }
}

async function main(): Promise<void> {
  const route = (process.argv[2] ?? 'read') as 'read' | 'intake';
  const seconds = Number(process.argv[3] ?? 15);
  const dir = process.argv[4] ?? 'var/profiles';
  const hex = randomBytes(4).toString('hex');
  const db = `gi_prof_${hex}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const adminPassword = randomBytes(12).toString('base64url');
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex'), HASH_KEY: randomBytes(32).toString('hex') };
  const app = spawn(process.execPath, [...profFlags(dir), '-r', '@swc-node/register', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `${PG_URL}/${db}`,
      REDIS_URL,
      QUEUE_PREFIX: `prof${hex}`,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'off',
      WORKERS: 'off',
      ...secrets,
      ADMIN_USERNAME: 'prof-admin',
      ADMIN_PASSWORD: adminPassword,
      ACCESS_TOKEN_TTL: '3600',
      VAR_DIR: join('var', `prof-${hex}`),
    },
  });
  try {
    await healthy(base);
    const adminToken = (await call(base, 'POST', '/api/v1/auth/login', null, { username: 'prof-admin', password: adminPassword })).accessToken;
    const city = await call(base, 'POST', '/api/v1/agencies', adminToken, { name: '剖析市人民政府办公室', code: 'prof-city', parentId: null });
    await call(base, 'POST', '/api/v1/users', adminToken, { username: 'prof.clerk', password: adminPassword, displayName: '经办人', email: 'c@example.cn', role: 'clerk', agencyId: city.id });
    const token = (await call(base, 'POST', '/api/v1/auth/login', null, { username: 'prof.clerk', password: adminPassword })).accessToken;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const body = (i: number) => ({
      channel: 'in_person',
      receiptDate: today,
      applicant: { type: 'natural_person', name: '张伟', idType: 'resident_id', idNumber: residentId(i), phone: '13900001111', email: 'a@example.cn', address: '辽宁省盘锦市兴隆台区' },
      description: `申请公开2024年第${i}号城市更新项目的批复文件`,
      form: 'electronic',
      delivery: 'email',
    });
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await call(base, 'POST', '/api/v1/cases', token, body(i))).id);
    let n = 0;
    const drive = (url: string) =>
      autocannon({
        url,
        connections: 20,
        duration: seconds,
        requests: [
          route === 'read'
            ? { method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/api/v1/cases/${ids[n++ % ids.length]}`, headers: { authorization: `Bearer ${token}` } }) }
            : { method: 'POST', path: '/api/v1/cases', setupRequest: (req: any) => ({ ...req, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body(1000 + n++)) }) },
        ],
      });
    const r = await traced(app.pid!, `${dir}/${PERF ? 'perf' : 'strace'}-app.txt`, () => drive(base));
    console.log(`app ${route}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
    if (process.argv[5] === 'bare') {
      const barePort = await freePort();
      const bare = spawn(process.execPath, [...profFlags(`${dir}/bare`), '-r', '@swc-node/register', 'bench/bare-server.ts'], {
        cwd: join(__dirname, '..'),
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, DATABASE_URL: `${PG_URL}/${db}`, REDIS_URL, QUEUE_PREFIX: `prof${hex}`, PORT: String(barePort), JWT_SECRET: secrets.JWT_SECRET, ENCRYPTION_KEY: secrets.ENCRYPTION_KEY, HASH_KEY: secrets.HASH_KEY },
      });
      const bareBase = `http://127.0.0.1:${barePort}`;
      await healthy(bareBase);
      const rb = await traced(bare.pid!, `${dir}/${PERF ? 'perf' : 'strace'}-bare.txt`, () => drive(bareBase));
      console.log(`bare ${route}: ${Math.round(rb.requests.average)} req/s, p50 ${rb.latency.p50} ms, p99 ${rb.latency.p99} ms, non-2xx ${rb.non2xx}`);
      bare.kill('SIGTERM');
      await new Promise((r) => bare.once('exit', r));
    }
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    const c = new Client({ connectionString: `${PG_URL}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
