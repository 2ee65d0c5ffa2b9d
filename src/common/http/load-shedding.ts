import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../errors/error-codes';

export interface LoadSheddingOptions {
  /** requests being served at once, beyond which new ones are refused */
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
 *
 * A request is counted from `preHandler`, once its body has arrived (a client that sends its body slowly, or never,
 * holds no place; the server's request timeout ends it), until its answer is done or its connection closes,
 * whichever comes first, and only once: an answer queued behind another on a pipelined connection that breaks
 * never gets a 'close' of its own. Added after the CORS and security-header hooks (those run on `onRequest`), so a
 * refusal carries them.
 */
export function installLoadShedding(fastify: FastifyInstance, opts: LoadSheddingOptions): { inFlight: () => number } {
  let inFlight = 0;
  /** the releases still to come of each connection's counted requests */
  const bySocket = new WeakMap<Socket, Set<() => void>>();
  const body = (correlationId: string) => ({
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE' satisfies ErrorCode,
    message: '系统繁忙，请稍后重试',
    details: { reason: 'overloaded', retryAfterSeconds: opts.retryAfterSeconds },
    correlationId,
  });
  fastify.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (opts.exempt(req.url)) return done();
    if (inFlight >= opts.maxInFlight) {
      void reply.code(503).header('Retry-After', String(opts.retryAfterSeconds)).send(body(String(req.id)));
      return;
    }
    inFlight++;
    const socket = req.raw.socket;
    let pending = bySocket.get(socket);
    if (!pending) {
      const set = (pending = new Set());
      bySocket.set(socket, set);
      socket.once('close', () => {
        for (const release of [...set]) release();
      });
    }
    const release = () => {
      if (!pending.delete(release)) return;
      inFlight--;
    };
    pending.add(release);
    reply.raw.once('close', release);
    done();
  });
  return { inFlight: () => inFlight };
}
