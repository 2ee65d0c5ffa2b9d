/**
 * Requests generated strictly from the OpenAPI document, for the check that the request schemas are as strict as
 * the server: every generated value is checked with ajv against the schema it came from (so a "valid" request is
 * valid by the document, nothing guessed by field names), and every "invalid" body is one valid body with one
 * thing broken that the document forbids (checked with ajv as well).
 */
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { makeAjv, toJsonSchema, type OpenApiDocument } from '../support/openapi-check';

type Json = Record<string, any>;

export interface GeneratedRequest {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** a multipart body, sent as it is (its content type in headers) */
  rawBody?: Buffer;
  /** for an invalid request: what was broken */
  broken?: string;
}

/** Real ids a request may use where the document asks for a uuid (they are uuids: still valid by the document). */
export interface RealIds {
  /** by path parameter or property name: ids worth using (a real case, a real agency) */
  byName: Record<string, string[]>;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Dates in a span a case can have (the document's `format: date` admits any; this is where the service works). */
const dateArb = fc.record({ y: fc.integer({ min: 2019, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) }).map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);

export class SchemaRequests {
  private readonly ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly doc: OpenApiDocument & Json,
    private readonly ids: RealIds,
  ) {
    this.ajv = makeAjv(doc, true);
  }

  /** ajv's verdict on a value against a schema of the document (closed objects: no undeclared property). */
  validates(schema: Json, value: unknown): boolean {
    const key = JSON.stringify(schema);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(toJsonSchema(schema, true) as Json);
      this.validators.set(key, v);
    }
    return v(value) as boolean;
  }

  resolve(s: Json | undefined): Json {
    let cur = s ?? {};
    for (let i = 0; i < 20 && typeof cur.$ref === 'string'; i++) cur = (this.doc.components?.schemas?.[cur.$ref.split('/').pop()!] ?? {}) as Json;
    if (Array.isArray(cur.allOf) && cur.allOf.length === 1) {
      const { allOf, ...rest } = cur;
      return { ...this.resolve(allOf[0] as Json), ...rest };
    }
    return cur;
  }

  /** Values of a schema, each checked against it. */
  value(schema: Json | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    return this.raw(s, name, depth).filter((v) => this.validates(s, v));
  }

  private raw(s: Json, name: string, depth: number): fc.Arbitrary<unknown> {
    const base = ((): fc.Arbitrary<unknown> => {
      if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as unknown[]));
      if (!s.properties && (Array.isArray(s.oneOf) || Array.isArray(s.anyOf))) return fc.oneof(...((s.oneOf ?? s.anyOf) as Json[]).map((x) => this.value(x, name, depth + 1)));
      const type = Array.isArray(s.type) ? s.type[0] : (s.type ?? (s.properties ? 'object' : undefined));
      switch (type) {
        case 'string':
          return this.string(s, name);
        case 'integer': {
          const min = typeof s.minimum === 'number' ? s.minimum : -1_000_000;
          const max = typeof s.maximum === 'number' ? s.maximum : 1_000_000;
          return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
        }
        case 'number': {
          const min = typeof s.minimum === 'number' ? s.minimum : -1e6;
          const max = typeof s.maximum === 'number' ? s.maximum : 1e6;
          if (typeof s.multipleOf === 'number') {
            const m = s.multipleOf;
            const decimals = (String(m).split('.')[1] ?? '').length;
            return fc.integer({ min: Math.ceil(min / m), max: Math.floor(max / m) }).map((k) => Number((k * m).toFixed(decimals)));
          }
          return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 1e9)) }), fc.constantFrom(min, max));
        }
        case 'boolean':
          return fc.boolean();
        case 'array':
          if (depth > 6) return fc.constant([]);
          return fc.array(this.value(s.items as Json, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 4)) });
        case 'object': {
          const props = (s.properties ?? {}) as Record<string, Json>;
          const required = new Set<string>((s.required ?? []) as string[]);
          if (!Object.keys(props).length && s.additionalProperties && typeof s.additionalProperties === 'object') {
            const keys = this.resolve(s.propertyNames as Json | undefined).enum as string[] | undefined;
            const key = keys?.length ? fc.constantFrom(...keys) : fc.string({ minLength: 1, maxLength: 12 });
            return fc.dictionary(key, this.value(s.additionalProperties as Json, name, depth + 1), { maxKeys: 3 });
          }
          const model: Record<string, fc.Arbitrary<unknown>> = {};
          for (const [k, v] of Object.entries(props)) model[k] = this.value(v, k, depth + 1);
          return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
        }
        default:
          return fc.oneof(fc.string({ maxLength: 10 }), fc.integer());
      }
    })();
    return s.nullable === true ? fc.option(base, { nil: null, freq: 6 }) : base;
  }

  private string(s: Json, name: string): fc.Arbitrary<string> {
    const min = typeof s.minLength === 'number' ? s.minLength : 0;
    const max = typeof s.maxLength === 'number' ? s.maxLength : 200;
    switch (s.format) {
      case 'date':
        return dateArb;
      case 'date-time':
        return dateArb.map((d) => `${d}T08:00:00.000Z`);
      case 'uuid': {
        const real = this.ids.byName[name] ?? [];
        return real.length ? fc.oneof(fc.constantFrom(...real), fc.uuid()) : fc.uuid();
      }
      case 'email':
        return fc.emailAddress();
      default:
        break;
    }
    // patterns fast-check can write strings for; the text rule's and those with lookaheads are met by filtering
    if (typeof s.pattern === 'string' && !s.pattern.startsWith('^[^') && !s.pattern.includes('(?')) return fc.stringMatching(new RegExp(s.pattern, 'u')).filter((x) => x.length >= min && x.length <= max);
    const upTo = Math.min(max, Math.max(min, 40));
    const lengths = { minLength: min, maxLength: upTo };
    return fc.oneof(
      { arbitrary: fc.string(lengths), weight: 3 },
      { arbitrary: fc.string({ ...lengths, unit: 'grapheme' }), weight: 3 },
      { arbitrary: fc.string({ ...lengths, unit: 'binary' }), weight: 1 },
      { arbitrary: fc.constantFrom('张三', '申请公开2024年度城市道路维修资金的使用情况', '  前后有空格  ', "O'Brien; DROP TABLE cases", '<b>x</b>'), weight: 2 },
      // the limit itself
      { arbitrary: fc.constantFrom('字'.repeat(max), 'a'.repeat(Math.max(min, 1))), weight: 1 },
    );
  }

  /** Parameters (path, query, header) and a JSON body valid by the document. */
  validRequest(method: string, path: string, op: Json): fc.Arbitrary<GeneratedRequest> {
    const params = (op.parameters ?? []) as Json[];
    const paramArbs = params.map((p) => {
      const v = this.value(p.schema as Json, String(p.name)).map((x) => (Array.isArray(x) ? x.map(String) : String(x as string)));
      return p.required || p.in === 'path' ? v : fc.option(v, { nil: undefined });
    });
    const jsonSchema = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
    const multipart = op.requestBody?.content?.['multipart/form-data']?.schema as Json | undefined;
    const bodyArb = jsonSchema ? this.value(jsonSchema) : fc.constant(undefined);
    const rawArb = multipart ? this.multipart(multipart).map((parts) => encodeMultipart(parts)) : fc.constant(undefined);
    return fc.tuple(fc.tuple(...paramArbs), bodyArb, rawArb).map(([values, body, raw]) => {
      const req = this.assemble(method, path, params, values, body);
      if (raw) {
        req.rawBody = raw.payload;
        req.headers['content-type'] = raw.contentType;
      }
      return req;
    });
  }

  /** The parts of a multipart body valid by its schema: files with odd names, types and contents; text fields from their schemas. */
  multipart(schema: Json): fc.Arbitrary<Part[]> {
    const s = this.resolve(schema);
    const required = new Set<string>((s.required ?? []) as string[]);
    const parts = Object.entries((s.properties ?? {}) as Record<string, Json>).map(([name, raw]) => {
      const p = this.resolve(raw);
      const part: fc.Arbitrary<Part> =
        p.format === 'binary'
          ? fc.record({ name: fc.constant(name), filename: FILE_NAME, contentType: FILE_TYPE, data: FILE_DATA.filter((d) => d.length >= (p.minLength ?? 0)) })
          : this.value(p, name).map((v) => ({ name, data: Buffer.from(String(v as string)) }));
      return required.has(name) ? part.map((x) => [x]) : fc.option(part, { nil: undefined }).map((x) => (x ? [x] : []));
    });
    return fc.tuple(...parts).chain((lists) => fc.shuffledSubarray(lists.flat(), { minLength: lists.flat().length }));
  }

  /** A multipart body the document forbids: the file left out, an empty file, a field outside its enum, an undeclared field. */
  invalidMultipart(schema: Json): fc.Arbitrary<[string, Part[]]> {
    const s = this.resolve(schema);
    const props = Object.entries((s.properties ?? {}) as Record<string, Json>).map(([k, v]) => [k, this.resolve(v)] as const);
    const valid = this.multipart(s);
    const breaks: fc.Arbitrary<[string, Part[]]>[] = [valid.map((parts) => ['an undeclared field', [...parts, { name: 'unexpectedField', data: Buffer.from('1') }]])];
    for (const [k, p] of props) {
      if ((s.required ?? []).includes(k)) breaks.push(valid.map((parts) => [`${k}: missing`, parts.filter((x) => x.name !== k)]));
      if (p.format === 'binary' && (p.minLength ?? 0) > 0) breaks.push(valid.map((parts) => [`${k}: empty`, parts.map((x) => (x.name === k ? { ...x, data: Buffer.alloc(0) } : x))]));
      if (Array.isArray(p.enum)) breaks.push(valid.map((parts) => [`${k}: outside the enum`, [...parts.filter((x) => x.name !== k), { name: k, data: Buffer.from('no_such_value') }]]));
    }
    return fc.oneof(...breaks);
  }

  /** A valid request whose JSON body has one thing broken that the document forbids (null when nothing can be). */
  invalidRequest(method: string, path: string, op: Json): fc.Arbitrary<GeneratedRequest> | null {
    const jsonSchema = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
    const multipart = op.requestBody?.content?.['multipart/form-data']?.schema as Json | undefined;
    if (multipart) {
      return fc.tuple(this.validRequest(method, path, op), this.invalidMultipart(multipart)).map(([req, [what, parts]]) => {
        const raw = encodeMultipart(parts);
        return { ...req, rawBody: raw.payload, headers: { ...req.headers, 'content-type': raw.contentType }, broken: what };
      });
    }
    if (!jsonSchema) return null;
    const s = this.resolve(jsonSchema);
    const breaks = this.breaks(s, '');
    if (!breaks.length) return null;
    return fc.tuple(this.validRequest(method, path, op), fc.constantFrom(...breaks)).map(([req, [what, apply]]) => {
      const body = apply(structuredClone(req.body) as Json);
      return { ...req, body, broken: what };
    }).filter((req) => !this.validates(s, req.body));
  }

  /** The ways to break a body of this schema (and of its nested objects), each named. */
  private breaks(s: Json, at: string): [string, (b: Json) => Json][] {
    const out: [string, (b: Json) => Json][] = [];
    const props = (s.properties ?? {}) as Record<string, Json>;
    const at2 = (k: string) => (at ? `${at}.${k}` : k);
    const inner = (b: Json, path: string[]): Json => path.reduce<Json>((o, k) => (o?.[k] as Json) ?? {}, b);
    const setIn = (b: Json, path: string[], k: string, v: unknown): Json => {
      const target = path.length ? inner(b, path) : b;
      if (target && typeof target === 'object') (target as Json)[k] = v;
      return b;
    };
    const path = at ? at.split('.') : [];
    out.push([`${at || 'body'}: an undeclared property`, (b) => setIn(b, path, 'unexpectedField', 1)]);
    for (const k of (s.required ?? []) as string[]) {
      out.push([`${at2(k)}: missing`, (b) => {
        const t = path.length ? inner(b, path) : b;
        delete (t as Json)[k];
        return b;
      }]);
    }
    for (const [k, raw] of Object.entries(props)) {
      const p = this.resolve(raw);
      const set = (what: string, v: unknown): [string, (b: Json) => Json] => [`${at2(k)}: ${what}`, (b) => setIn(b, path, k, v)];
      const type = Array.isArray(p.type) ? p.type[0] : p.type;
      if (type === 'string' || p.oneOf) out.push(set('a number', 12345));
      if (type === 'integer' || type === 'number') out.push(set('a string', '1'));
      if (type === 'integer') out.push(set('a fraction', 1.5));
      if (type === 'boolean') out.push(set('a string', 'true'));
      if (type === 'array') out.push(set('an object', { a: 1 }));
      if (typeof p.maxLength === 'number') out.push(set('too long', '字'.repeat(p.maxLength + 1)));
      if (typeof p.minLength === 'number' && p.minLength > 0) out.push(set('too short', ''));
      if (typeof p.maximum === 'number') out.push(set('too large', p.maximum + 1));
      if (typeof p.minimum === 'number') out.push(set('too small', p.minimum - 1));
      if (p.format === 'date') out.push(set('not a date', '2024-02-30'));
      if (p.format === 'uuid') out.push(set('not a uuid', 'not-a-uuid'));
      if (p.format === 'email') out.push(set('not an e-mail', 'no-at-sign'));
      if (Array.isArray(p.enum)) out.push(set('outside the enum', 'no_such_value'));
      if (typeof p.pattern === 'string') out.push(set('a control character', 'a\u0007b'));
      if (type === 'object' && p.properties && at.split('.').length < 3) out.push(...this.breaks(p, at2(k)));
    }
    return out;
  }

  private assemble(method: string, path: string, params: Json[], values: (string | string[] | undefined)[], body: unknown): GeneratedRequest {
    let url = path;
    const query: string[] = [];
    const headers: Record<string, string> = {};
    params.forEach((p, i) => {
      const v = values[i];
      if (v === undefined) return;
      if (p.in === 'path') url = url.replace(`{${String(p.name)}}`, encodeURIComponent(v as string));
      else if (p.in === 'query') for (const x of Array.isArray(v) ? v : [v]) query.push(`${encodeURIComponent(String(p.name))}=${encodeURIComponent(x)}`);
      else if (p.in === 'header') headers[String(p.name).toLowerCase()] = v as string;
    });
    return { method, path, url: query.length ? `${url}?${query.join('&')}` : url, headers, body };
  }
}

/** One part of a multipart body: a text field, or a file when it has a file name. */
export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const FILE_NAME = fc.oneof(
  fc.constantFrom('申请书.pdf', '身份证 正面.jpg', '../../etc/passwd', 'a"b\\c.png', 'CON', '.hidden', 'x'.repeat(300) + '.pdf', 'no-extension', 'a;b=c.tif', '%00.pdf', '😀.docx'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
);
const FILE_TYPE = fc.constantFrom('application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream', 'text/html', 'application/x-msdownload', '');
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
/** contents: real signatures (PDF, PNG, JPEG, ZIP as in DOCX), truncated ones, and noise */
const FILE_DATA = fc.oneof(
  bytes(0, 2048).map((b) => Buffer.concat([Buffer.from('%PDF-1.4\n'), b])),
  bytes(0, 2048).map((b) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), b])),
  bytes(0, 2048).map((b) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), b])),
  bytes(0, 2048).map((b) => Buffer.concat([Buffer.from('PK\u0003\u0004'), b])),
  fc.constant(Buffer.from('%PDF')),
  bytes(1, 4096),
);

/** The multipart/form-data encoding of the parts (file names sent as UTF-8, quotes and line breaks escaped). */
export function encodeMultipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const name = p.name.replace(/["\r\n]/g, '_');
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename.replace(/["\r\n\\]/g, '_')}"\r\nContent-Type: ${p.contentType || 'application/octet-stream'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
