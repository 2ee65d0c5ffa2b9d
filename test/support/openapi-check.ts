/**
 * Every HTTP answer of the tests, checked against the live OpenAPI document (`/api/docs-json`): the status must be
 * documented for the operation, and a JSON body must be valid against the schema documented for that status (ajv,
 * strict mode, ajv-formats; objects admit no undocumented property). Errors are checked like any answer. A
 * violation fails the running test (see check-responses.ts). Only non-API paths are exempt: the docs, the queue
 * board, /metrics, and CORS preflights.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json> };
}

const EXEMPT = [/^\/api\/docs/, /^\/admin\/queues/, /^\/metrics/];
const violations: string[] = [];
/** one checker per document text: a file's apps share their compiled validators */
const checkers = new Map<string, ResponseChecker>();

/** The violations recorded since the last call. */
export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}

/** OpenAPI 3.0 schema → JSON Schema draft-07 for ajv: nullable as a type union, refs into one schema, annotations dropped. */
export function toJsonSchema(s: unknown, closeObjects: boolean): unknown {
  if (Array.isArray(s)) return s.map((x) => toJsonSchema(x, closeObjects));
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s as Json)) {
    if (k === 'example' || k === 'xml' || k === 'externalDocs' || k === 'nullable') continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', 'openapi.json#/definitions/');
    else if (k === 'properties' || k === 'patternProperties') out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, ps]) => [p, toJsonSchema(ps, closeObjects)]));
    else if (k === 'default' || k === 'enum' || k === 'const') out[k] = v;
    else out[k] = toJsonSchema(v, closeObjects);
  }
  if (closeObjects && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if ((s as Json).nullable === true) {
    if (typeof out.type === 'string' && !out.allOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export function makeAjv(doc: OpenApiDocument, closeObjects = true): Ajv {
  // strictRequired off: a body needing one of two fields is `anyOf: [{ required: [a] }, { required: [b] }]`
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true, multipleOfPrecision: 8 });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: 'openapi.json', definitions: toJsonSchema(doc.components?.schemas ?? {}, closeObjects) as Json });
  return ajv;
}

export class ResponseChecker {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = makeAjv(doc);
  }

  /** null when the answer is what the document says, else what is wrong. */
  check(method: string, route: string | undefined, status: number, contentType: string | undefined, body: string | null): string | null {
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    let responses: Operation['responses'];
    let key: string;
    if (route === undefined) {
      // no route matched: the error body, 404 (or 405 for a known path)
      if (status !== 404 && status !== 405) return `unrouted ${method} answered ${status}`;
      responses = { [status]: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } } };
      key = `unrouted ${status}`;
    } else {
      const path = route.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/$/, '');
      const op = this.doc.paths[path]?.[m];
      if (!op) return `${m.toUpperCase()} ${path} is not in the document (answered ${status})`;
      responses = op.responses;
      key = `${m} ${path} ${status}`;
    }
    const r = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!r) return `${key}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    const type = contentType?.split(';')[0].trim().toLowerCase();
    // documented media types compared without their parameters (text/csv; charset=utf-8)
    const content = r.content && Object.fromEntries(Object.entries(r.content).map(([k, v]) => [k.split(';')[0].trim().toLowerCase(), v]));
    if (!content) {
      return body && body.length > 0 ? `${key}: a body (${type}) where the document has none` : null;
    }
    if (method.toLowerCase() === 'head') return null;
    if (!type || !content[type]) {
      if (status === 204 || (!body && !type)) return `${key}: no content where the document has ${Object.keys(content).join(', ')}`;
      return `${key}: content type ${type} not documented (documented: ${Object.keys(content).join(', ')})`;
    }
    const schema = content[type].schema;
    if (!schema || type !== 'application/json' || body === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return `${key}: body is not JSON`;
    }
    let validate = this.compiled.get(`${key} ${type}`);
    if (!validate) {
      // a plain reference is compiled once per component, not once per operation
      const ref = Object.keys(schema).length === 1 && typeof schema.$ref === 'string' ? (toJsonSchema(schema, true) as { $ref: string }).$ref : null;
      validate = (ref && this.ajv.getSchema(ref)) || this.ajv.compile(toJsonSchema(schema, true) as Json);
      this.compiled.set(`${key} ${type}`, validate);
    }
    if (validate(value)) return null;
    const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
    return `${key}: body does not match the document: ${errors.join('; ')}\n  body: ${body.slice(0, 600)}`;
  }
}

/**
 * Adds the checking hook to a Fastify instance (before it is ready); `documentOf` gives the live document once
 * the app is up. Answers are recorded in the module's list, which check-responses.ts drains after each test.
 */
export function installResponseCheck(fastify: FastifyInstance, documentOf: () => OpenApiDocument | null): void {
  let checker: ResponseChecker | null = null;
  fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
    try {
      const url = req.url.split('?')[0];
      if (req.method === 'OPTIONS' || EXEMPT.some((re) => re.test(url))) return done(null, payload);
      const doc = documentOf();
      if (!doc) return done(null, payload);
      if (!checker) {
        const text = JSON.stringify(doc);
        checker = checkers.get(text) ?? new ResponseChecker(doc);
        checkers.set(text, checker);
      }
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
      const streamed = payload !== null && payload !== undefined && body === null;
      const ct = reply.getHeader('content-type');
      const route = req.routeOptions?.url;
      const problem = checker.check(req.method, route, reply.statusCode, typeof ct === 'string' ? ct : undefined, streamed ? null : body);
      if (problem) violations.push(`${req.method} ${url.slice(0, 200)} → ${reply.statusCode}: ${problem}`);
    } catch (err) {
      violations.push(`${req.method} ${req.url.slice(0, 200)}: the check itself failed: ${(err as Error).message}`);
    }
    done(null, payload);
  });
}
