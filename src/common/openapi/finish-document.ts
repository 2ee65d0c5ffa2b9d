import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/error-codes';
import { IDEMPOTENCY_KEY_PATTERN, IF_MATCH_PATTERN, MAX_PATH_PARAM_LENGTH, QUERY_CODE_PATTERN, TRACKING_NUMBER_PATTERN } from '../validation/patterns';

type Op = {
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };

/** The contract's error body (api-contract § General, src/common/errors/error-body.ts). */
const ERROR_BODY = {
  type: 'object',
  required: ['statusCode', 'code', 'message', 'details', 'correlationId'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', enum: Object.keys(ERROR_CODES) },
    message: { type: 'string', description: '给人看的中文说明' },
    details: {
      type: 'object',
      additionalProperties: true,
      properties: {
        fields: {
          type: 'array',
          description: 'VALIDATION_FAILED：每个有问题的字段',
          items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false },
        },
      },
    },
    correlationId: { type: 'string', description: '请求编号（与 X-Request-Id 相同）' },
  },
  additionalProperties: false,
};

/** Bodies that need one of some fields (a rule between fields, which a decorator cannot say). */
const ONE_OF_REQUIRED: Record<string, string[]> = {
  // record-delivery names the letter by its id or by its kind
  RecordDeliveryDto: ['of', 'letterId'],
};

/** What each added status means, for the document's readers. */
const ERROR_TEXT: Record<string, string> = {
  '400': 'VALIDATION_FAILED：details.fields 指明有问题的字段',
  '401': 'UNAUTHENTICATED：未登录或令牌无效、已过期',
  '403': 'FORBIDDEN：角色无权执行，或机关不在权限范围内',
  '404': 'NOT_FOUND：不存在，或不在调用者的查看范围内',
  '413': 'PAYLOAD_TOO_LARGE：请求体超过 1 MB',
  '414': 'URI_TOO_LONG：请求地址或路径参数过长',
  '405': 'METHOD_NOT_ALLOWED：此路径不支持该请求方法（Allow 头列出支持的方法）',
  '415': 'UNSUPPORTED_MEDIA_TYPE：请求体须为 application/json',
  '431': 'HEADERS_TOO_LARGE：请求头（含查询字符串）超过 16 KB',
  '422': 'IDEMPOTENCY_KEY_REUSED：同一幂等键用于内容不同的请求',
  '503': 'SERVICE_UNAVAILABLE：系统繁忙或数据库暂不可用（可能带 Retry-After）',
};

/**
 * What @nestjs/swagger cannot say from the decorators, added to the generated document once:
 * - the error body's schema, on every error response of every operation (AllExceptionsFilter answers them all);
 * - the errors every API operation can answer by the way it is built: 400 when it takes parameters or a body,
 *   401 and 403 when it needs a sign-in, 404 when its path has parameters, 413 and 415 when it takes a JSON body,
 *   422 when it takes an Idempotency-Key, 405, 414, 431 and 503 always (another method on the path; a URL or a
 *   path parameter too long; headers with the query string over Node's 16 KB; load shedding, database unavailable);
 * - path parameters named `id` or `…Id` are UUIDs (UuidParam answers 404 to anything else), and no path parameter
 *   is longer than Fastify's limit;
 * - the formats of the headers `Idempotency-Key`, `If-Match`, `X-Query-Code` and of a tracking number
 *   (src/common/validation/patterns.ts).
 * Operation-specific errors (409 codes, 429) are declared on the operations themselves.
 */
export function finishDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.ErrorBody = ERROR_BODY;
  for (const [name, fields] of Object.entries(ONE_OF_REQUIRED)) {
    const s = doc.components.schemas[name] as Record<string, unknown> | undefined;
    if (s) s.anyOf = fields.map((f) => ({ required: [f] }));
  }
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Op | undefined>)[method];
      if (!op) continue;
      const api = path.startsWith('/api/v1/');
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      for (const p of pathParams) {
        if (p.schema?.type === 'string' && !p.schema.enum) p.schema.maxLength = MAX_PATH_PARAM_LENGTH;
        if ((p.name === 'id' || p.name.endsWith('Id')) && p.schema && p.schema.type === 'string') p.schema.format = 'uuid';
      }
      for (const p of params) {
        const name = p.name.toLowerCase();
        if (p.in === 'header' && name === 'idempotency-key') p.schema = { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source };
        if (p.in === 'header' && name === 'if-match') p.schema = { type: 'string', pattern: IF_MATCH_PATTERN.source };
        if (p.in === 'header' && name === 'x-query-code') p.schema = { type: 'string', pattern: QUERY_CODE_PATTERN.source };
        if (p.in === 'path' && name === 'trackingnumber') p.schema = { type: 'string', pattern: TRACKING_NUMBER_PATTERN.source };
      }
      const json = op.requestBody !== undefined && !isMultipart(op.requestBody);
      const add = (status: string, when: boolean) => {
        if (when && !op.responses[status]) op.responses[status] = { description: ERROR_TEXT[status] };
      };
      if (api) {
        add('400', params.some((p) => p.in !== 'header') || op.requestBody !== undefined);
        add('401', op.security !== undefined && op.security.length > 0);
        add('403', op.security !== undefined && op.security.length > 0);
        add('404', pathParams.length > 0);
        add('405', true);
        add('414', true);
        add('431', true);
        add('413', op.requestBody !== undefined);
        add('415', json);
        add('422', params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'));
        add('503', true);
      }
      for (const [status, r] of Object.entries(op.responses)) {
        // the global filter answers every error in the one shape (a failed health check too)
        if (Number(status) >= 400) r.content = { 'application/json': { schema: ERROR_REF } };
      }
    }
  }
  return doc;
}

function isMultipart(body: unknown): boolean {
  const content = (body as { content?: Record<string, unknown> }).content ?? {};
  return Object.keys(content).some((t) => t.startsWith('multipart/'));
}
