import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** helmet's defaults, with a policy that lets the API docs (Swagger UI) and the queue board run their inline scripts and styles. */
export const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
  },
};

/**
 * helmet's headers, worked out once: with these options none depends on the request, so its eleven middlewares
 * are run once against a recording response, and each request gets the recorded set through Fastify's own reply
 * headers (no middleware chain, and no `setHeader` on the raw response, which would send Node down its slower
 * header path for every other header of the answer).
 */
export function staticSecurityHeaders(options = HELMET_OPTIONS): Readonly<Record<string, string>> {
  const recorded = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => void recorded.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void recorded.delete(name.toLowerCase()),
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet failed', { cause: err });
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers depend on the request');
  return Object.freeze(Object.fromEntries(recorded));
}

/** CORS for the portal's and the clerks' front ends: `origins` from CORS_ORIGINS; no cookies, only bearer tokens. */
export function corsOptions(origins: string[] | true) {
  return {
    origin: origins,
    credentials: false,
    // every method the API has: user, agency and review updates are PATCH, calendar loads PUT
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition', 'Allow'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'If-Match', 'X-Query-Code', 'X-Request-Id'],
  };
}
