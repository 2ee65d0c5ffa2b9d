import { spawn, type ChildProcess } from 'node:child_process';
import type { Response as HttpResponse } from 'supertest';
import { request } from 'node:http';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEnv, PG_ADMIN_URL } from './support/env';
import { bearer, createTestApp, seedOrg, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/database';
import { freePort } from '../src/infra/database/embedded-postgres';
import { intake } from './support/cases';
import { within } from './support/within';

const ROOT = join(__dirname, '..');

/** Runs src/main.ts the way `node dist/main.js` would, compiled on the fly by swc. */
function runMain(env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined, NODE_ENV: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(p: ChildProcess): { out: () => string } {
  let out = '';
  p.stdout?.on('data', (d) => (out += String(d)));
  p.stderr?.on('data', (d) => (out += String(d)));
  return { out: () => out };
}

/** A GET or POST with node:http (no fetch in Jest's node environment). */
function http(port: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port: Number(port), method, path, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const exited = (p: ChildProcess) => new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));

describe('start-up', () => {
  it('refuses a bad configuration with one message listing every problem, exit code 1', async () => {
    const p = runMain({ PORT: 'eighty', JWT_SECRET: 'short', ENCRYPTION_KEY: 'nothex', HASH_KEY: '', DATABASE_URL: 'mysql://x', WORKERS: 'maybe' });
    const log = collect(p);
    expect(await exited(p)).toBe(1);
    const text = log.out();
    for (const name of ['PORT', 'JWT_SECRET', 'ENCRYPTION_KEY', 'HASH_KEY', 'DATABASE_URL', 'WORKERS']) expect(text).toContain(name);
    expect(text).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it('refuses the development secrets in production', async () => {
    const p = runMain({ ...exampleEnv(), NODE_ENV: 'production', DEMO_DATA: 'off' });
    const log = collect(p);
    expect(await exited(p)).toBe(1);
    expect(log.out()).toContain('refused when NODE_ENV=production');
  });

  it('starts with the embedded defaults (no DATABASE_URL, no REDIS_URL), migrates, seeds the demo, sends its due reminders, stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gi-embedded-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach the data directory
    const port = String(await freePort()); // below the ephemeral range: the app binds it only after the demo is seeded
    const env: Record<string, string | undefined> = { ...exampleEnv(), PORT: port, VAR_DIR: join(dir, 'var'), DEMO_DATA: 'on', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const p = runMain(env);
    const log = collect(p);
    let stopFailure: Error | null = null;
    try {
      let body: { status?: string; info?: { queue?: { backend?: string } } } = {};
      const end = Date.now() + 150_000; // a hang detector: under load the demo seeding alone can take a minute
      while (Date.now() < end) {
        try {
          const res = await http(port, 'GET', '/health');
          if (res.status === 200) {
            body = res.body as typeof body;
            break;
          }
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(body.status).toBe('ok');
      expect(body.info?.queue?.backend).toBe('postgres');
      const login = await http(port, 'POST', '/api/v1/auth/login', { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      // the demo cases were planned and their due reminders went out (as files: no SMTP_HOST)
      const end2 = Date.now() + 30_000;
      let sent = 0;
      while (Date.now() < end2 && sent === 0) {
        const h = await http(port, 'GET', '/health');
        sent = (h.body as { info?: { reminders?: { sent?: number } } }).info?.reminders?.sent ?? 0;
        if (!sent) await new Promise((r) => setTimeout(r, 500));
      }
      expect(sent).toBeGreaterThan(0);
      expect(readdirSync(join(dir, 'var', 'mail')).some((f) => f.endsWith('.eml'))).toBe(true);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- output ---\n${log.out().slice(-3000)}`);
    } finally {
      p.kill('SIGTERM');
      const code = await within(exited(p), 10_000, 'hung' as const);
      if (code === 'hung') p.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      // Nest closes everything, then re-raises the signal: a clean stop ends by SIGTERM (or exit 0)
      if (code !== 0 && p.signalCode !== 'SIGTERM') stopFailure = new Error(`exit ${String(code)}\n--- output ---\n${log.out().slice(-3000)}`);
    }
    if (stopFailure) throw stopFailure;
  }, 240_000);
});

/** A TCP proxy to PostgreSQL that the test can cut, to make the database unreachable after start-up. */
async function pgProxy(): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const target = new URL(PG_ADMIN_URL);
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('health when a dependency is unreachable', () => {
  it('answers 503 within two seconds when Redis is unreachable', async () => {
    const t: TestApp = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const started = Date.now();
      const res = await t.http().get('/health');
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.details.error.queue.status).toBe('down');
      expect(res.body.details.info.database.status).toBe('up');
    } finally {
      await t.close();
    }
  });

  it('answers 503 within two seconds when PostgreSQL becomes unreachable', async () => {
    const db = await createTestDatabase();
    const proxy = await pgProxy();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const t: TestApp = await createTestApp({ databaseUrl: url.toString() });
    try {
      expect((await t.http().get('/health')).status).toBe(200);
      const org = await seedOrg(t);
      proxy.cut();
      const started = Date.now();
      const res = await t.http().get('/health');
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
      expect(res.body.details.error.database.status).toBe('down');
      // and any other request: 503 with a Retry-After, not a 500 (the account check and the list both need the database)
      for (const path of ['/api/v1/cases', '/api/v1/auth/me']) {
        const r = await t.http().get(path).set(bearer(org.people['dept.supervisor']));
        expect([path, r.status, r.body.code, r.body.details.reason, r.headers['retry-after']]).toEqual([path, 503, 'SERVICE_UNAVAILABLE', 'database_unreachable', '5']);
      }
      const login = await t.http().post('/api/v1/auth/login').send({ username: 'dept.clerk', password: 'correct-horse-battery' });
      expect([login.status, login.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    } finally {
      await t.close().catch(() => undefined);
      await proxy.close();
      await db.drop();
    }
  });
});

describe('an overloaded database', () => {
  it('answers 503 with a short Retry-After when no pooled connection frees up in time, and serves again after', async () => {
    const t: TestApp = await createTestApp({ env: { DATABASE_POOL_SIZE: '2' } });
    try {
      const org = await seedOrg(t);
      const clerk = bearer(org.people['dept.clerk']);
      const c = await intake(t, org.people['dept.clerk'], '2024-09-02');
      expect((await t.http().get('/api/v1/cases').set(clerk)).status).toBe(200);
      // every connection of the app's pool held elsewhere
      const held = [t.ds.createQueryRunner(), t.ds.createQueryRunner()];
      await Promise.all(held.map((r) => r.connect()));
      try {
        // a list (TypeORM's query runner) and a case read (straight on the pool) alike
        for (const path of ['/api/v1/cases', `/api/v1/cases/${c.id}`]) {
          const res = await t.http().get(path).set(clerk);
          expect([path, res.status, res.body.code, res.body.details.reason, res.headers['retry-after']]).toEqual([path, 503, 'SERVICE_UNAVAILABLE', 'database_busy', '1']);
          expect(res.body.message).toBe('系统繁忙，请稍后重试');
        }
      } finally {
        await Promise.all(held.map((r) => r.release()));
      }
      expect((await t.http().get('/api/v1/cases').set(clerk)).status).toBe(200);
      expect((await t.http().get(`/api/v1/cases/${c.id}`).set(clerk)).status).toBe(200);
    } finally {
      await t.close();
    }
  }, 120_000); // a hang detector: a whole app and its seeding under a loaded machine take well over 40 s

  it('refuses requests beyond four per pooled connection at once (503 at the door, CORS headers kept), and only those', async () => {
    const t: TestApp = await createTestApp({ env: { DATABASE_POOL_SIZE: '2', CORS_ORIGINS: 'https://portal.example.cn' } });
    try {
      const org = await seedOrg(t);
      const clerk = bearer(org.people['dept.clerk']);
      const c = await intake(t, org.people['dept.clerk'], '2024-09-02');
      const held = [t.ds.createQueryRunner(), t.ds.createQueryRunner()];
      await Promise.all(held.map((r) => r.connect()));
      let waiting: Promise<HttpResponse>[] = [];
      try {
        // eight reads wait for a connection: the most the app lets in at once with a pool of two
        waiting = Array.from({ length: 8 }, () => t.http().get(`/api/v1/cases/${c.id}`).set(clerk).then((r) => r));
        await new Promise((r) => setTimeout(r, 500));
        const started = Date.now();
        const refused = await t.http().get(`/api/v1/cases/${c.id}`).set(clerk).set('Origin', 'https://portal.example.cn');
        expect(Date.now() - started).toBeLessThan(1000);
        expect([refused.status, refused.body.code, refused.body.details.reason, refused.headers['retry-after']]).toEqual([503, 'SERVICE_UNAVAILABLE', 'overloaded', '1']);
        expect(refused.body.correlationId).toBe(refused.headers['x-request-id']);
        expect(refused.headers['access-control-allow-origin']).toBe('https://portal.example.cn');
        expect(refused.headers['x-content-type-options']).toBe('nosniff');
        // paths outside the API are never refused
        expect((await t.http().get('/api/docs-json')).status).toBe(200);
      } finally {
        await Promise.all(held.map((r) => r.release()));
      }
      // the eight admitted were served once connections came free; then the door is open again
      expect((await Promise.all(waiting)).map((r) => r.status)).toEqual(Array(8).fill(200));
      expect((await t.http().get(`/api/v1/cases/${c.id}`).set(clerk)).status).toBe(200);
    } finally {
      await t.close();
    }
  }, 120_000); // a hang detector: a whole app and its seeding under a loaded machine take well over 40 s
});

