import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { QUEUES } from '../infra/queue/job-names';
import { QueueService } from '../infra/queue/queue.service';
import { errorBody } from '../common/http/request-limits';
import { NotificationsRepository } from '../notifications/notifications.repository';

/** pg's pool, as TypeORM's PostgreSQL driver holds it. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Prometheus metrics of this process (prom-client, a registry per app): HTTP latency by route, the queues' depths,
 * the scheduled actions (reminders, escalations, digests) by status across every process, the database pool.
 * Served at GET /metrics only with `Authorization: Bearer $METRICS_TOKEN`; without METRICS_TOKEN the route does not exist.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status_code'>;

  constructor(
    private readonly ds: DataSource,
    private readonly queues: QueueService,
    private readonly actions: NotificationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gi_' });
    this.http = new Histogram({
      name: 'gi_http_request_duration_seconds',
      help: 'HTTP request latency by method, route (the pattern, "unmatched" for none) and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const queueService = this.queues;
    new Gauge({
      name: 'gi_queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of Object.values(QUEUES)) {
          const counts = await queueService.queue(name).getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
    const scheduled = this.actions;
    new Gauge({
      name: 'gi_scheduled_actions',
      help: 'Reminders, escalations and digests by status (sent, failed, pending, cancelled), across every process',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await scheduled.countByKindAndStatus()) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    const size = this.config.databasePoolSize;
    const dataSource = this.ds;
    new Gauge({
      name: 'gi_db_pool_connections',
      help: 'PostgreSQL pool of this process: max, total, idle, in use, and requests waiting for a connection',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { master?: PoolCounts }).master;
        this.set({ state: 'max' }, size);
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** Times every answered request (onResponse), labelled by its route's pattern. */
  observe(req: FastifyRequest, reply: FastifyReply): void {
    this.http.observe({ method: req.method, route: req.routeOptions?.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  }

  /** Mounts GET /metrics when METRICS_TOKEN is set (else nothing: 404 like any unknown path). */
  mount(fastify: FastifyInstance): void {
    const token = this.config.metricsToken;
    if (!token) return;
    const want = createHash('sha256').update(token).digest();
    fastify.addHook('onResponse', (req, reply, done) => {
      this.observe(req, reply);
      done();
    });
    fastify.get('/metrics', async (req, reply) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const given = createHash('sha256').update(m?.[1] ?? '').digest();
      if (!m || !timingSafeEqual(given, want)) {
        return reply.status(401).header('WWW-Authenticate', 'Bearer').send(errorBody('UNAUTHENTICATED', String(req.id)));
      }
      const text = await this.registry.metrics();
      return reply.header('Content-Type', this.registry.contentType).header('Cache-Control', 'no-store').send(text);
    });
  }
}
