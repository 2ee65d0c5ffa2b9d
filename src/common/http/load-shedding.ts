import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorCode } from '../errors/error-codes';

export interface LoadSheddingOptions {
  /** requests being served at once, beyond which new ones are refused at the door */
  maxInFlight: number;
  /** what the refusal's Retry-After says */
  retryAfterSeconds: number;
  /** paths never refused (health checks must see the service as it is) */
  exempt: (url: string) => boolean;
}

/** Requests in flight beyond the database pool: each holds one connection at a time, the rest wait their turn. */
export const IN_FLIGHT_PER_POOLED_CONNECTION = 4;

/**
 * Admission control: once `maxInFlight` requests are being served, a new one is answered 503 at once, with a
 * Retry-After, instead of joining the queue for a database connection. Without it an overload (more requests a
 * second than the database can take) lengthens that queue until every request waits past the pool's limit and
 * fails: the service then answers almost nothing but 503s after five seconds. With it, the requests admitted are
 * answered in their usual time and the others learn at once to come back.
 */
export const loadShedding = fp<LoadSheddingOptions>(
  (fastify: FastifyInstance, opts: LoadSheddingOptions, next: () => void) => {
    installLoadShedding(fastify, opts);
    next();
  },
  { name: 'load-shedding' },
);

/**
 * The hook itself, on `fastify` as it is now: register {@link loadShedding} instead to have it run after the hooks
 * of plugins registered before it (CORS: a refused cross-origin request must still carry its CORS headers).
 */
export function installLoadShedding(fastify: FastifyInstance, opts: LoadSheddingOptions): { inFlight: () => number } {
  let inFlight = 0;
  const body = (correlationId: string) => ({
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE' satisfies ErrorCode,
    message: '系统繁忙，请稍后重试',
    details: { reason: 'overloaded', retryAfterSeconds: opts.retryAfterSeconds },
    correlationId,
  });
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (opts.exempt(req.url)) return done();
    if (inFlight >= opts.maxInFlight) {
      void reply.code(503).header('Retry-After', String(opts.retryAfterSeconds)).send(body(String(req.id)));
      return;
    }
    inFlight++;
    // 'close' comes once, whether the answer was sent or the client went away
    reply.raw.once('close', () => inFlight--);
    done();
  });
  return { inFlight: () => inFlight };
}
