import { Queue, Worker, withBackend, createPostgresBackend, type Processor, type WorkerOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';

/**
 * BullMQ on Redis when REDIS_URL is set, otherwise on BullMQ's PostgreSQL backend
 * (its own schema in the application's database), so a newcomer needs nothing but Node.
 */
export interface QueueBackend {
  kind: 'redis' | 'postgres';
  createQueue(name: string): Queue;
  createWorker(name: string, processor: Processor, opts?: Partial<WorkerOptions>): Worker;
  /** answers within the timeout or throws */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}

export function createQueueBackend(opts: { redisUrl: string | null; databaseUrl: string; prefix: string }): QueueBackend {
  if (opts.redisUrl) return redisBackend(opts.redisUrl, opts.prefix);
  return postgresBackend(opts.databaseUrl, opts.prefix);
}

function redisBackend(url: string, prefix: string): QueueBackend {
  // Producers fail fast (a Redis outage must never hang a request; the sweep catches up);
  // workers wait forever (BullMQ's production advice: maxRetriesPerRequest null).
  const producerOpts: RedisOptions = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false };
  const producer = new IORedis(url, producerOpts);
  producer.on('error', () => undefined); // surfaced through health and failed adds
  const probe = new IORedis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => 1000 });
  probe.on('error', () => undefined);
  const workerConnections: IORedis[] = [];
  const queues: Queue[] = [];
  return {
    kind: 'redis',
    createQueue(name) {
      const q = new Queue(name, { connection: producer, prefix });
      q.on('error', () => undefined);
      queues.push(q);
      return q;
    },
    createWorker(name, processor, wopts = {}) {
      const conn = new IORedis(url, { maxRetriesPerRequest: null });
      conn.on('error', () => undefined);
      workerConnections.push(conn);
      return new Worker(name, processor, { connection: conn, prefix, ...wopts });
    },
    async ping(timeoutMs) {
      await withTimeout(probe.ping(), timeoutMs, 'Redis');
    },
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
      for (const c of [producer, probe, ...workerConnections]) c.disconnect();
    },
  };
}

function postgresBackend(databaseUrl: string, prefix: string): QueueBackend {
  const Pg = withBackend(createPostgresBackend);
  const connection = { connectionString: databaseUrl, schema: `bullmq_${prefix}`, max: 4, migrate: true };
  const queues: Queue[] = [];
  return {
    kind: 'postgres',
    createQueue(name) {
      const q = new Pg.Queue(name, { connection }) as unknown as Queue;
      q.on('error', () => undefined);
      queues.push(q);
      return q;
    },
    createWorker(name, processor, wopts = {}) {
      return new Pg.Worker(name, processor, { connection, ...wopts } as never) as unknown as Worker;
    },
    async ping(timeoutMs) {
      if (!queues.length) this.createQueue('health');
      await withTimeout(queues[0].getJobCounts('waiting'), timeoutMs, 'queue backend');
    },
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
    },
  };
}
