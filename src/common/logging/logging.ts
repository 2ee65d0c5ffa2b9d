import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

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

export function loggerParams(level: string, pretty: boolean): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      customProps: (req) => ({ correlationId: (req as IncomingMessage & { id?: string }).id }),
      // query strings can carry search terms (names): log the path only
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: String(req.url).split('?')[0], id: req.id }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => String(req.url).startsWith('/health') },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}
