import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { onResponseHookHandler } from 'fastify';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger as PinoRoot, type LoggerOptions } from 'pino';

export type { PinoRoot };

/** The process's root logger, for the HTTP app's request log. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Paths pino replaces with "[redacted]": personal data and secrets never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-query-code"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.idNumber',
  '*.phone',
  '*.email',
  '*.accessToken',
  '*.refreshToken',
  '*.queryCode',
  '*.token',
  '*.address',
  'applicant',
  '*.applicant',
];

const ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

/** The correlation id: the caller's X-Request-Id when well formed, else a new UUID. */
export function correlationIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && ID_PATTERN.test(given) ? given : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/**
 * Fields of database errors that carry the values of a row: TypeORM's `parameters` (every bound value of the
 * failed statement: names, addresses, sealed numbers) and PostgreSQL's `detail` ("Failing row contains (…)",
 * "Key (…)=(…) already exists") and `where`. The SQL text, code, table, column and constraint stay.
 */
const ROW_VALUE_FIELDS = ['parameters', 'detail', 'where'] as const;

/** A copy of a serialized error without the row values (the logged object itself is left alone). */
function scrub(e: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e };
  for (const f of ROW_VALUE_FIELDS) if (f in out) out[f] = '[redacted]';
  if (depth > 0) {
    for (const k of ['driverError', 'cause']) {
      const inner = out[k];
      if (inner && typeof inner === 'object') out[k] = scrub(inner as Record<string, unknown>, depth - 1);
    }
    if (Array.isArray(out.aggregateErrors)) out.aggregateErrors = out.aggregateErrors.map((x: unknown) => (x && typeof x === 'object' ? scrub(x as Record<string, unknown>, depth - 1) : x));
  }
  return out;
}

/** pino's error serializer, without the row values a database error carries. */
export function errSerializer(err: unknown): unknown {
  // `err` is often a message (a string); pino's serializer passes anything but an Error through
  const out: unknown = pino.stdSerializers.err(err as Error);
  return out && typeof out === 'object' ? scrub(out as Record<string, unknown>, 3) : out;
}

/** The one pino logger of a process: Nest's logger (through nestjs-pino) and the request log write to it. */
export function createRootLogger(level: string, pretty: boolean, destination?: DestinationStream): PinoRoot {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // query strings can carry search terms (names): log the path only
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: String(req.url).split('?')[0], id: req.id }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: errSerializer,
    },
    ...(pretty && !destination ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino serves Nest's LoggerService from the root logger. Its per-request middleware (pino-http
 * with an AsyncLocalStorage around every request) is not mounted (`forRoutes: []`): an active
 * AsyncLocalStorage makes every promise of the process dearer on Node 20, and the request log is one
 * Fastify hook instead (requestLogHook). Code that logs for a request passes its correlationId.
 */
export function loggerParams(root: PinoRoot): Params {
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/** One line per answered request, as pino-http wrote it: method, path, status, time, correlation id. */
export function requestLogHook(root: PinoRoot): onResponseHookHandler {
  return function logRequest(req, reply, done) {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    if (root.isLevelEnabled(level) && !req.url.startsWith('/health')) {
      root[level]({ req: req.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime), correlationId: req.id }, status >= 500 ? 'request errored' : 'request completed');
    }
    done();
  };
}
