import { HttpException } from '@nestjs/common';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { connectionBrokeWithin, failedToConnect } from '../../infra/database/database-client';
import { DomainError } from './domain-error';
import { ERROR_CODES, ErrorCode } from './error-codes';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  correlationId: string;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own errors (raised before Nest sees the request). */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: '请求体不是有效的JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: '请求体为空' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容超过大小限制' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: '请求长度无效' },
};

/**
 * Unique constraints a client's input can run into when two requests race past the service's own check
 * (which answers the same code when they do not): the loser's insert is refused by the database.
 */
const UNIQUE_CONSTRAINTS: Record<string, { code: ErrorCode; field: string }> = {
  uq_agencies_code: { code: 'AGENCY_CODE_TAKEN', field: 'code' },
  uq_users_username: { code: 'USERNAME_TAKEN', field: 'username' },
  uq_users_username_lower: { code: 'USERNAME_TAKEN', field: 'username' },
};

/**
 * Turns anything thrown into the contract's error body. Unknown errors become a 500
 * that carries only the correlation id: never a stack, SQL text or internals.
 */
export function toErrorBody(err: unknown, correlationId: string): { body: ErrorBody; known: boolean; headers?: Record<string, string> } {
  if (err instanceof DomainError) {
    const headers = typeof err.details.retryAfterSeconds === 'number' ? { 'Retry-After': String(err.details.retryAfterSeconds) } : undefined;
    return { body: { statusCode: err.status, code: err.code, message: err.message, details: err.details, correlationId }, known: true, headers };
  }
  const fst = err as { code?: string; statusCode?: number };
  if (fst && typeof fst.code === 'string' && fst.code in FASTIFY_CODES) {
    const m = FASTIFY_CODES[fst.code];
    const details = m.code === 'VALIDATION_FAILED' ? { fields: [{ field: 'body', message: m.message }] } : {};
    return { body: { statusCode: ERROR_CODES[m.code].status, code: m.code, message: m.message, details, correlationId }, known: true };
  }
  // PostgreSQL refuses NUL and untranslatable characters in text: the client's input, so a 400
  const pgCode = (err as { driverError?: { code?: string } })?.driverError?.code ?? (err as { code?: string })?.code;
  const constraint = (err as { driverError?: { constraint?: string } })?.driverError?.constraint ?? (err as { constraint?: string })?.constraint;
  if (pgCode === '23505' && constraint && constraint in UNIQUE_CONSTRAINTS) {
    const u = UNIQUE_CONSTRAINTS[constraint];
    return { body: { statusCode: ERROR_CODES[u.code].status, code: u.code, message: ERROR_CODES[u.code].message, details: { field: u.field }, correlationId }, known: true };
  }
  const unavailable = databaseUnavailable(err);
  if (unavailable) {
    const { message, retryAfterSeconds } = UNAVAILABLE_ANSWERS[unavailable];
    const details = retryAfterSeconds === null ? { reason: unavailable } : { reason: unavailable, retryAfterSeconds };
    const headers = retryAfterSeconds === null ? undefined : { 'Retry-After': String(retryAfterSeconds) };
    return { body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message, details, correlationId }, known: true, headers };
  }
  if (pgCode === '22021' || pgCode === '22P05') {
    const message = '文本中含有不允许的控制字符';
    return { body: { statusCode: 400, code: 'VALIDATION_FAILED', message, details: { fields: [{ field: 'body', message }] }, correlationId }, known: true };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = STATUS_CODES[status];
    if (code) {
      if (status === 400) {
        // Fastify's body parser errors reach here mapped by Nest (malformed JSON, empty body)
        const message = /json/i.test(err.message) ? '请求体不是有效的JSON' : '请求内容不符合要求';
        return { body: { statusCode: 400, code, message, details: { fields: [{ field: 'body', message }] }, correlationId }, known: true };
      }
      const message = status === 404 ? '请求的资源不存在' : ERROR_CODES[code].message;
      // a health check that failed keeps the state of each dependency
      const response = err.getResponse();
      const details = status === 503 && typeof response === 'object' && response ? (response as Record<string, unknown>) : {};
      return { body: { statusCode: status, code, message, details, correlationId }, known: true };
    }
  }
  if (fst && typeof fst.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500 && STATUS_CODES[fst.statusCode]) {
    const code = STATUS_CODES[fst.statusCode];
    return { body: { statusCode: fst.statusCode, code, message: ERROR_CODES[code].message, details: {}, correlationId }, known: true };
  }
  return {
    body: { statusCode: 500, code: 'INTERNAL_ERROR', message: ERROR_CODES.INTERNAL_ERROR.message, details: {}, correlationId },
    known: false,
  };
}

/** A connection that could not be made: nothing reached PostgreSQL. */
const CONNECT_ERRNOS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** A connection that broke while in use: the statement may or may not have taken effect. */
const LOST_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** PostgreSQL shutting down or recovering (57P01, 57P02), or a connection failure (class 08), while in use. */
const LOST_SQLSTATES = /^(57P01|57P02|08[0-9A-Z]{3})$/;
const TERMINATED = /^Connection terminated( unexpectedly| due to connection timeout)?$/;

export type DatabaseUnavailable = 'database_busy' | 'database_unreachable' | 'database_connection_lost';

/**
 * The database cannot serve the request now, which is neither the client's fault nor a bug (503, not 500):
 * - `database_busy`: every pooled connection stayed busy past the pool's wait, or PostgreSQL had no connection slot
 *   left (53300): an overload; nothing was done, come back in a second;
 * - `database_unreachable`: no connection could be made (refused, no route, name unknown, PostgreSQL starting up:
 *   57P03, or cut off while connecting): nothing was done, come back in a few seconds;
 * - `database_connection_lost`: a connection in use broke (reset, PostgreSQL shutting down). The statement, a
 *   COMMIT among them, may have taken effect: no Retry-After, and the client is told to look before it repeats a
 *   submission.
 * Only database errors count: TypeORM's `QueryFailedError` around pg's error, the errors of getting a connection
 * (pg-pool's wait, pg's connect, marked by `DatabaseClient`), which TypeORM and `poolRead` pass on unwrapped, and a
 * statement refused because its connection broke in the middle of a transaction (TypeORM released the query runner
 * on the connection's error: connection lost, as statements before it may have been committed outside a
 * transaction; the same error without a broken connection is a bug, a 500).
 */
export function databaseUnavailable(err: unknown): DatabaseUnavailable | null {
  if (err instanceof QueryRunnerAlreadyReleasedError || err instanceof QueryRunnerProviderAlreadyReleasedError) return connectionBrokeWithin(60_000) ? 'database_connection_lost' : null;
  const wrapped = err instanceof QueryFailedError;
  const e = (wrapped ? (err as { driverError?: unknown }).driverError : err) as { code?: unknown; message?: unknown; syscall?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if (message === 'timeout exceeded when trying to connect' || code === '53300') return 'database_busy';
  if (code === '57P03' || (code && CONNECT_ERRNOS.has(code) && (e.syscall === 'connect' || e.syscall === 'getaddrinfo'))) return 'database_unreachable';
  if (wrapped) return (code && (LOST_ERRNOS.has(code) || LOST_SQLSTATES.test(code))) || TERMINATED.test(message) ? 'database_connection_lost' : null;
  // unwrapped: getting a connection failed (the server went away during its start-up exchange, reset it)
  return TERMINATED.test(message) || failedToConnect(e) ? 'database_unreachable' : null;
}

const UNAVAILABLE_ANSWERS: Record<DatabaseUnavailable, { message: string; retryAfterSeconds: number | null }> = {
  database_busy: { message: '系统繁忙，请稍后重试', retryAfterSeconds: 1 },
  database_unreachable: { message: '服务暂不可用，请稍后重试', retryAfterSeconds: 5 },
  database_connection_lost: { message: '服务暂不可用：操作可能已完成也可能未完成，如为提交，请先查询结果再决定是否重试', retryAfterSeconds: null },
};
