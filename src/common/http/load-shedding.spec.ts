import { connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { installLoadShedding } from './load-shedding';

/** A Fastify app whose /api/v1/slow answers only when the test lets it; /health is exempt. */
async function server(maxInFlight: number) {
  const app: FastifyInstance = Fastify({ logger: false });
  const shedding = installLoadShedding(app, { maxInFlight, retryAfterSeconds: 1, exempt: (url) => !url.startsWith('/api/v1/') });
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  app.get('/api/v1/slow', async () => {
    await gate;
    return { ok: true };
  });
  app.post('/api/v1/echo', async (req) => req.body);
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return {
    app,
    port,
    inFlight: shedding.inFlight,
    release: () => {
      open();
      gate = new Promise<void>((r) => (open = r));
    },
  };
}

const get = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`);

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
  });
}

describe('load shedding', () => {
  it('refuses beyond the limit at once (503, Retry-After, the contract’s body), never exempt paths, and counts back down', async () => {
    const s = await server(3);
    try {
      const admitted = [1, 2, 3].map(() => get(s.port, '/api/v1/slow'));
      await until(() => s.inFlight() === 3);
      const refused = await get(s.port, '/api/v1/slow');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: '系统繁忙，请稍后重试', details: { reason: 'overloaded', retryAfterSeconds: 1 }, correlationId: expect.any(String) });
      expect((await get(s.port, '/health')).status).toBe(200);
      s.release();
      expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
      await until(() => s.inFlight() === 0);
    } finally {
      s.app.server.closeAllConnections();
      await s.app.close();
    }
  });

  it('counts each request once, also when a pipelined connection breaks with answers still queued on it', async () => {
    const s = await server(4);
    try {
      const sock = await rawSocket(s.port);
      // six requests in one write: four admitted (one answering, three queued behind it), two refused
      sock.write('GET /api/v1/slow HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(6));
      await until(() => s.inFlight() === 4);
      sock.destroy();
      await until(() => s.inFlight() === 0);
      s.release();
      // and the door is open again
      const again = [1, 2, 3, 4].map(() => get(s.port, '/api/v1/slow'));
      await until(() => s.inFlight() === 4);
      s.release();
      expect((await Promise.all(again)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await until(() => s.inFlight() === 0);
    } finally {
      s.app.server.closeAllConnections();
      await s.app.close();
    }
  });

  it('gives no place to a request whose body has not arrived', async () => {
    const s = await server(1);
    try {
      const stalled = await Promise.all([1, 2, 3].map(() => rawSocket(s.port)));
      for (const sock of stalled) sock.write('POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
      await new Promise((r) => setTimeout(r, 100));
      expect(s.inFlight()).toBe(0);
      const r = await fetch(`http://127.0.0.1:${s.port}/api/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect([r.status, await r.json()]).toEqual([200, { a: 1 }]);
      for (const sock of stalled) sock.destroy();
      await until(() => s.inFlight() === 0);
    } finally {
      s.app.server.closeAllConnections();
      await s.app.close();
    }
  });
});
