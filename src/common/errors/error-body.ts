import { HttpException } from '@nestjs/common';
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
  const unavailable = databaseUnavailable(err, pgCode);
  if (unavailable) {
    const retryAfterSeconds = unavailable === 'busy' ? 1 : 5;
    const message = unavailable === 'busy' ? '系统繁忙，请稍后重试' : ERROR_CODES.SERVICE_UNAVAILABLE.message;
    return { body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message, details: { database: unavailable, retryAfterSeconds }, correlationId }, known: true, headers: { 'Retry-After': String(retryAfterSeconds) } };
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

/** Network errors of a connection to PostgreSQL that went away or never came. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL's own "not now": shutting down, crash recovery, starting up (connection failures: class 08). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/**
 * The database cannot serve the request now: every pooled connection stayed busy past the pool's wait
 * or PostgreSQL had no connection slot left (`busy`: an overload, answered 503 with a short Retry-After instead of
 * queueing without end), or PostgreSQL is
 * unreachable or refusing connections (`unreachable`). Neither is the client's fault nor a bug: 503, not 500.
 */
export function databaseUnavailable(err: unknown, pgCode = (err as { driverError?: { code?: string } })?.driverError?.code ?? (err as { code?: string })?.code): 'busy' | 'unreachable' | null {
  const e = (err as { driverError?: unknown })?.driverError ?? err;
  const message = (e as { message?: unknown })?.message;
  // the pool's wait ran out, or PostgreSQL has no connection slot left (53300)
  if (message === 'timeout exceeded when trying to connect' || pgCode === '53300') return 'busy';
  if (typeof pgCode === 'string' && (CONNECTION_ERRNOS.has(pgCode) || UNAVAILABLE_SQLSTATES.has(pgCode) || /^08[0-9A-Z]{3}$/.test(pgCode))) return 'unreachable';
  if (typeof message === 'string' && /^Connection terminated( unexpectedly| due to connection timeout)?$/.test(message)) return 'unreachable';
  return null;
}
