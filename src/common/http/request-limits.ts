import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes';
import type { ErrorBody } from '../errors/error-body';
import { DomainError } from '../errors/domain-error';

/**
 * The deepest nesting of arrays and objects a JSON body may have. No request of the contract nests more than four
 * levels; class-validator and class-transformer recurse once per level (about 2,000 levels overflowed the stack),
 * so the limit is enforced on the raw text, before JSON.parse builds anything.
 */
export const MAX_JSON_DEPTH = 64;

/** The longest request target (path and query) answered; longer is 414 (Node refuses more than 16 KB of headers with 431). */
export const MAX_URL_LENGTH = 8192;

/** Whether a JSON text (or its UTF-8 bytes) nests arrays and objects deeper than `limit` (brackets inside strings do not count); stops at the first level too deep. */
export function jsonDepthExceeds(text: string | Buffer, limit = MAX_JSON_DEPTH): boolean {
  const at: (i: number) => number = typeof text === 'string' ? (i) => text.charCodeAt(i) : (i) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The contract's error body (for answers written outside Nest's filter). */
export function errorBody(code: ErrorCode, correlationId: string, message: string = ERROR_CODES[code].message, details: Record<string, unknown> = {}): ErrorBody {
  return { statusCode: ERROR_CODES[code].status, code, message, details, correlationId };
}

/** The answer to a body nested too deeply: 400 VALIDATION_FAILED naming `body`. */
export function jsonTooDeep(): DomainError {
  return DomainError.field('body', `JSON嵌套层数超过${MAX_JSON_DEPTH}层`);
}

type RouteMatcher = { method: string; segments: string[] };

/**
 * The methods of the routes a path matches (a path parameter `:x` matches one non-empty segment, `*` the rest):
 * for a 405 with `Allow` instead of a 404 when the path exists but the method does not.
 */
export class RouteTable {
  private readonly routes: RouteMatcher[] = [];

  add(method: string | string[], url: string): void {
    // a catch-all (CORS answers OPTIONS on every path) says nothing about which paths exist
    if (split(url)[0] === '*') return;
    for (const m of Array.isArray(method) ? method : [method]) {
      this.routes.push({ method: m.toUpperCase(), segments: split(url) });
      if (m.toUpperCase() === 'GET') this.routes.push({ method: 'HEAD', segments: split(url) });
    }
  }

  allowed(path: string): string[] {
    const parts = split(path.split('?')[0]);
    const methods = new Set<string>();
    for (const r of this.routes) if (matches(r.segments, parts)) methods.add(r.method);
    return ORDER.filter((m) => methods.has(m)).concat([...methods].filter((m) => !ORDER.includes(m)).sort());
  }
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function split(url: string): string[] {
  return url.split('/').filter((s) => s !== '');
}

function matches(pattern: string[], parts: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*') return true;
    if (i >= parts.length) return false;
    if (p.startsWith(':')) continue;
    if (p !== parts[i]) return false;
  }
  return pattern.length === parts.length;
}

const TABLES = new WeakMap<object, RouteTable>();

/** The route table of the app `req` belongs to (every encapsulated context shares the root's decorator). */
export function routeTableOf(req: FastifyRequest): RouteTable | undefined {
  const server = req.server as FastifyInstance & { giRouteTable?: RouteTable };
  return server?.giRouteTable ?? TABLES.get(server);
}

/**
 * Fastify's and Node's own refusals in the contract's shape, the request never echoed:
 * - request targets over MAX_URL_LENGTH: 414 URI_TOO_LONG;
 * - a route table for 405 METHOD_NOT_ALLOWED (read by the global filter).
 * Must run before any route is registered (the table learns them through `onRoute`).
 */
export function installRequestLimits(fastify: FastifyInstance): void {
  const table = new RouteTable();
  TABLES.set(fastify, table);
  fastify.decorate('giRouteTable', table);
  fastify.addHook('onRoute', (route) => table.add(route.method, route.url ?? route.path));
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.raw.url && req.raw.url.length > MAX_URL_LENGTH) {
      void reply.status(414).send(errorBody('URI_TOO_LONG', String(req.id)));
      return;
    }
    done();
  });
}

/**
 * Fastify's `frameworkErrors`: errors met while routing, before any hook runs (a path parameter over 100
 * characters, a malformed URL component). Answered in the contract's shape with the usual headers.
 */
export function frameworkErrors(headers: () => Readonly<Record<string, string>>) {
  return (error: { code?: string }, req: FastifyRequest, reply: FastifyReply): void => {
    const id = String(req.id);
    const body =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? errorBody('URI_TOO_LONG', id)
        : errorBody('VALIDATION_FAILED', id, '请求地址格式不正确', { fields: [{ field: 'path', message: '请求地址格式不正确' }] });
    void reply.headers(headers()).header('X-Request-Id', id).status(body.statusCode).send(body);
  };
}

/**
 * Node's `clientError` (the request could not even be parsed): headers over Node's limit (16 KB, a long query
 * string among them) become 431 HEADERS_TOO_LARGE, any other malformed request 400, both in the error shape;
 * a request that timed out keeps Fastify's 408.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const id = randomUUID();
  let status = '400 Bad Request';
  let body: string;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = '431 Request Header Fields Too Large';
    body = JSON.stringify(errorBody('HEADERS_TOO_LARGE', id));
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = '408 Request Timeout';
    body = '{"error":"Request Timeout","message":"Client Timeout","statusCode":408}';
  } else {
    body = JSON.stringify(errorBody('VALIDATION_FAILED', id, '请求格式不正确', { fields: [{ field: 'request', message: '请求格式不正确' }] }));
  }
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`);
}
