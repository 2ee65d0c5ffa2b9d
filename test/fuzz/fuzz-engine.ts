/**
 * Fuzzing from the OpenAPI document: reads the live document of a test app and, for every operation, builds
 * requests with fast-check (fixed seed): valid parameters and bodies from the schemas, and invalid ones (wrong
 * types, missing required and extra fields, boundary and huge values, odd Unicode, injection strings, deep
 * nesting); path ids are random uuids or ids of real cases of the caller's agency tree and of another agency; each
 * request goes as one of the roles, anonymously, or as another agency's user.
 *
 * A request fails when it is answered 5xx, when the response check (test/support/openapi-check.ts, the same hook
 * every test uses) records a violation, when a user of one agency sees a case id or tracking number of an agency
 * outside its tree, or when a seeded identity number appears in plain text (the one documented exception:
 * reveal-identity, answered to a user of the case's own tree).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { takeViolations, type OpenApiDocument } from '../support/openapi-check';
import type { Person, TestApp, TestOrg } from '../support/test-app';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface SeededCase {
  id: string;
  trackingNumber: string;
  idNumber: string;
  /** 'tree' (city office and its departments) or 'other' (the unrelated agency) */
  side: 'tree' | 'other';
}

export interface FuzzWorld {
  t: TestApp;
  org: TestOrg;
  cases: SeededCase[];
}

export interface Caller {
  name: string;
  person: Person | null;
  /** whose cases this caller must never see; null: no cross-agency check (admin, anonymous) */
  forbidden: 'tree' | 'other' | null;
  side: 'tree' | 'other' | null;
}

export interface Operation {
  method: string;
  path: string;
  op: Json;
}

export interface FuzzRequest {
  op: Operation;
  caller: Caller;
  valid: boolean;
  url: string;
  body: unknown;
  rawBody?: string;
}

export interface FuzzResult {
  requests: number;
  byClass: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  failures: string[];
  /** requests by role (the person's role, or anonymous) */
  byRole?: Record<string, number>;
  /** the slowest answers (at most ten), the longest first */
  slowest?: { label: string; ms: number; status: number }[];
}

// ---------------------------------------------------------------- nasty values

const NASTY_STRINGS = [
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE cases; --",
  '1; SELECT pg_sleep(0)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u0000\u0001\u0007\u001b[31m',
  '\ud800',
  'a\udfffb',
  '\ufeff\u200b\u202e',
  '𠮷野家🀄👨‍👩‍👧',
  'null',
  'undefined',
  'NaN',
  '-1',
  '9'.repeat(40),
  '2024-02-30',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '00000000-0000-0000-0000-000000000000',
  '__proto__',
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
  fc.integer({ min: 256, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

const deep = fc.integer({ min: 20, max: 2000 }).map((n) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, [], {}, [null], { __proto__: { admin: true } }, { $gt: '' }),
  fc.double(),
  deep,
);

// ---------------------------------------------------------------- schemas → arbitraries

function resolve(doc: OpenApiDocument, s: Json | undefined): Json {
  let cur = s ?? {};
  for (let i = 0; i < 20 && typeof cur.$ref === 'string'; i++) cur = (doc.components?.schemas?.[cur.$ref.split('/').pop()!] ?? {}) as Json;
  if (Array.isArray(cur.allOf) && cur.allOf.length === 1) return { ...resolve(doc, cur.allOf[0] as Json), ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== 'allOf')) };
  return cur;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

const dateArb = fc.record({ y: fc.integer({ min: 2015, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);

function stringArb(s: Json): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = Math.max(minLength, typeof s.maxLength === 'number' ? Math.min(s.maxLength, 300) : 40);
  switch (s.format) {
    case 'date':
      return dateArb;
    case 'date-time':
      return dateArb.map((d) => `${d}T08:00:00.000Z`);
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    default:
      break;
  }
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= minLength && x.length <= maxLength);
    } catch {
      /* an unsupported pattern: plain strings below */
    }
  }
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength }),
    fc.constantFrom('张三', '申请获取2024年度城市道路维修资金使用情况', '测试').filter((x) => x.length >= minLength && x.length <= maxLength),
  );
}

/** The real values some places take: the document types them as plain strings and numbers. */
export const known = { agencyIds: [] as string[], caseIds: [] as string[], userIds: [] as string[] };

function byName(name: string, s: Json): fc.Arbitrary<unknown> | null {
  if (s.enum || s.format) return null;
  const n = name.toLowerCase();
  if (s.type === 'string') {
    if (/^(on|from|to|until|since)$/.test(n) || /(on|date|before|after)$/.test(n)) return dateArb;
    if (n === 'agencyid' && known.agencyIds.length) return fc.constantFrom(...known.agencyIds);
    if ((n === 'caseid' || n === 'earliercaseid') && known.caseIds.length) return fc.oneof(fc.constantFrom(...known.caseIds), fc.uuid());
    if ((n === 'assigneeid' || n === 'userid') && known.userIds.length) return fc.oneof(fc.constantFrom(...known.userIds), fc.uuid());
    if (n.endsWith('id')) return fc.uuid();
    if (n === 'email') return fc.emailAddress();
    if (n === 'phone') return fc.constantFrom('13800000000', '024-12345678');
  }
  if (s.type === 'number' && !(typeof s.minimum === 'number' && s.minimum > 0 && s.minimum < 1)) {
    return fc.integer({ min: Math.ceil(s.minimum ?? 0), max: Math.floor(Math.min(s.maximum ?? 100_000, 100_000)) });
  }
  return null;
}

/** A value the schema admits (mostly: patterns and cross-field rules are the server's to refuse). */
export function validArb(doc: OpenApiDocument, schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const base = ((): fc.Arbitrary<unknown> => {
    if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...(s.enum as unknown[]));
    if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) return fc.oneof(...((s.oneOf ?? s.anyOf) as Json[]).map((x) => validArb(doc, x, depth + 1)));
    if (Array.isArray(s.allOf)) return validArb(doc, s.allOf[0] as Json, depth + 1);
    const type = Array.isArray(s.type) ? s.type[0] : s.type ?? (s.properties ? 'object' : undefined);
    switch (type) {
      case 'string':
        return stringArb(s);
      case 'integer':
      case 'number': {
        const min = typeof s.minimum === 'number' ? s.minimum : type === 'integer' ? -1000 : -1e6;
        const max = typeof s.maximum === 'number' ? s.maximum : type === 'integer' ? 100_000 : 1e6;
        const n = type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
        return fc.oneof(n, fc.constantFrom(min, max));
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        if (depth > 6) return fc.constant([]);
        return fc.array(validArb(doc, s.items as Json, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 5) });
      case 'object': {
        if (depth > 6) return fc.constant({});
        const props = (s.properties ?? {}) as Record<string, Json>;
        const required = new Set<string>((s.required ?? []) as string[]);
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) model[k] = byName(k, resolve(doc, v)) ?? validArb(doc, v, depth + 1);
        return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      }
      default:
        return fc.oneof(fc.string({ maxLength: 10 }), fc.integer());
    }
  })();
  return s.nullable === true ? fc.option(base, { nil: null, freq: 8 }) : base;
}

/** A value the schema should refuse (or that stresses its limits): a valid value with one thing broken. */
export function invalidArb(doc: OpenApiDocument, schema: Json | undefined): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const valid = validArb(doc, s);
  const props = Object.keys((s.properties ?? {}) as Json);
  const required = (s.required ?? []) as string[];
  const mutations: fc.Arbitrary<unknown>[] = [nastyValue, fc.constant(undefined)];
  if (props.length) {
    // one property replaced by a nasty value, one required property left out, one undocumented property added
    mutations.push(fc.tuple(valid, fc.constantFrom(...props), nastyValue).map(([v, k, bad]) => ({ ...(v as Json), [k]: bad })));
    if (required.length) mutations.push(fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => Object.fromEntries(Object.entries(v as Json).filter(([p]) => p !== k))));
    mutations.push(fc.tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'agencyId', 'state', 'version', 'isAdmin'), nastyValue).map(([v, k, bad]) => ({ ...(v as Json), [k]: bad })));
    // nested: a property that is itself an object gets the same treatment
    for (const k of props) {
      const ps = resolve(doc, (s.properties as Json)[k] as Json);
      if (ps.properties) mutations.push(fc.tuple(valid, invalidArb(doc, ps)).map(([v, inner]) => ({ ...(v as Json), [k]: inner })));
      else if (ps.type === 'string' && (ps.maxLength || ps.minLength)) {
        mutations.push(fc.tuple(valid, fc.constantFrom((ps.maxLength ?? 0) + 1, Math.max(0, (ps.minLength ?? 1) - 1))).map(([v, n]) => ({ ...(v as Json), [k]: '字'.repeat(n) })));
      } else if (ps.type === 'integer' || ps.type === 'number') {
        mutations.push(fc.tuple(valid, fc.constantFrom((ps.maximum ?? 2 ** 31) + 1, (ps.minimum ?? -(2 ** 31)) - 1, 0.5, '1', 'NaN')).map(([v, n]) => ({ ...(v as Json), [k]: n })));
      }
    }
  }
  return fc.oneof(...mutations);
}

// ---------------------------------------------------------------- the requests

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if ((item as Json)[m]) ops.push({ method: m, path, op: (item as Json)[m] as Json });
  }
  return ops;
}

export function callersOf(org: TestOrg): Caller[] {
  const p = org.people;
  const c = (name: string, side: 'tree' | 'other' | null): Caller => ({ name, person: p[name], side, forbidden: side === 'tree' ? 'other' : side === 'other' ? 'tree' : null });
  return [
    c('city.clerk', 'tree'),
    c('city.supervisor', 'tree'),
    c('city.auditor', 'tree'),
    c('dept.clerk', 'tree'),
    c('dept.supervisor', 'tree'),
    c('district.auditor', 'tree'),
    c('admin', null),
    c('other.clerk', 'other'),
    c('other.supervisor', 'other'),
    c('other.auditor', 'other'),
    { name: 'anonymous', person: null, side: null, forbidden: null },
  ];
}

function paramArb(doc: OpenApiDocument, world: FuzzWorld, param: Json, valid: boolean): fc.Arbitrary<string | undefined> {
  const name = String(param.name);
  const s = resolve(doc, param.schema as Json);
  const caseIds = world.cases.map((x) => x.id);
  const agencyIds = [world.org.city, world.org.dept, world.org.district, world.org.other];
  // a path parameter is never empty (an empty one names another route, or none)
  const garbage = nastyString.map((x) => x.slice(0, 300)).filter((x) => param.in !== 'path' || x.trim() !== '');
  if (param.in === 'path' && /id$/i.test(name)) {
    const real = name.toLowerCase().includes('agency') ? agencyIds : caseIds;
    const choices: fc.Arbitrary<string>[] = [fc.constantFrom(...real), fc.uuid(), fc.constant(randomUUID())];
    if (!valid) choices.push(garbage);
    return fc.oneof(...choices);
  }
  if (!valid && param.in !== 'path') return fc.oneof(fc.constant(undefined), garbage);
  if (!valid) return garbage;
  const lower = name.toLowerCase();
  let v: fc.Arbitrary<unknown>;
  // query parameters documented loosely get values by their name: agency ids, dates, years
  if (lower.includes('agency') && (s.type === 'string' || !s.type)) v = fc.constantFrom(...agencyIds);
  else if ((/^(from|to|date|since|until)$/.test(lower) || lower.endsWith('date')) && s.type === 'string' && !s.enum) v = dateArb;
  else if (lower === 'year' && !s.enum) v = fc.integer({ min: Math.max(2019, s.minimum ?? 2019), max: Math.min(2030, s.maximum ?? 2030) });
  else if (lower === 'cursor') return fc.constant(undefined); // a cursor comes from an earlier page
  else if (lower === 'outcome' && !s.enum) v = fc.constantFrom('withheld', 'disclosed');
  else v = byName(name, s) ?? validArb(doc, s);
  const arb = v.map((x) => (x === null || x === undefined ? undefined : Array.isArray(x) ? x.join(',') : typeof x === 'object' ? JSON.stringify(x) : String(x as string | number | boolean)));
  return param.required || param.in === 'path' ? arb : fc.option(arb, { nil: undefined });
}

export function requestArb(doc: OpenApiDocument, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const ops = operationsOf(doc).filter((o) => !o.path.startsWith('/api/docs'));
  known.agencyIds = [world.org.city, world.org.dept, world.org.district, world.org.other];
  known.caseIds = world.cases.map((c) => c.id);
  known.userIds = Object.values(world.org.people).map((p) => p.id);
  const callers = callersOf(world.org);
  return fc.tuple(fc.constantFrom(...ops), fc.constantFrom(...callers), fc.boolean()).chain(([op, caller, valid]) => {
    const params = ((op.op.parameters ?? []) as Json[]).filter((p) => p.in === 'path' || p.in === 'query');
    const paramArbs = params.map((p) => paramArb(doc, world, p, valid));
    const content = (op.op.requestBody?.content ?? {}) as Json;
    const jsonSchema = content['application/json']?.schema as Json | undefined;
    const bodyArb: fc.Arbitrary<unknown> = op.op.requestBody
      ? jsonSchema
        ? valid
          ? validArb(doc, jsonSchema)
          : invalidArb(doc, jsonSchema)
        : fc.oneof(fc.constant(undefined), nastyValue)
      : valid
        ? fc.constant(undefined)
        : fc.oneof(fc.constant(undefined), nastyValue);
    const raw = fc.constantFrom('{"a":', 'not json', '\u0000', '[' .repeat(5000), '{"__proto__":{"x":1}}');
    // a malformed raw body for about one invalid request in eight, never for a valid one
    const rawArb = valid ? fc.constant(undefined) : fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: raw, weight: 1 });
    return fc.tuple(fc.tuple(...paramArbs), bodyArb, rawArb).map(([values, body, rawBody]) => {
      let path = op.path;
      const query: string[] = [];
      params.forEach((p, i) => {
        const v = values[i];
        if (p.in === 'path') path = path.replace(`{${String(p.name)}}`, encodeURIComponent(encodable(v ?? '')));
        else if (v !== undefined) query.push(`${encodeURIComponent(String(p.name))}=${encodeURIComponent(encodable(v))}`);
      });
      if (/\/\//.test(path) || path.endsWith('/')) path = path.replace(/\/(?=\/|$)/g, '/x');
      return { op, caller, valid, url: query.length ? `${path}?${query.join('&')}` : path, body, rawBody };
    });
  });
}

function encodable(s: string): string {
  // lone surrogates cannot be sent as UTF-8: they are sent as the replacement character
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function leaks(world: FuzzWorld, req: FuzzRequest, sent: string, body: string): string[] {
  const found: string[] = [];
  const forbidden = req.caller.forbidden;
  if (forbidden) {
    for (const c of world.cases) {
      if (c.side !== forbidden) continue;
      for (const v of [c.id, c.trackingNumber]) if (body.includes(v) && !sent.includes(v)) found.push(`${req.caller.name} saw ${v} of the ${c.side} agency`);
    }
  }
  const revealOk = /\/reveal-identity$/.test(req.op.path) && req.caller.side !== null;
  for (const c of world.cases) {
    if (!body.includes(c.idNumber) || sent.includes(c.idNumber)) continue;
    if (revealOk && c.side === req.caller.side) continue;
    found.push(`identity number ${c.idNumber.slice(0, 4)}… in plain text`);
  }
  return found;
}

/** One request as the fuzz sends it: the operation's path template (for the counts), the URL, who sends it. */
export interface Sent {
  method: string;
  path: string;
  url: string;
  caller: Caller;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

let ip = 0;
/** a request the service never answers is a failure too (a hang detector, generous for a loaded machine) */
const ANSWER_WITHIN_MS = 30_000;
/** the requests being answered, with when each went out: a hang names what else was in flight */
const inFlight = new Map<number, { label: string; at: number }>();
let sentCount = 0;

function noteSlow(result: FuzzResult, label: string, ms: number, status: number): void {
  const slowest = (result.slowest ??= []);
  if (slowest.length >= 10 && ms <= slowest[slowest.length - 1].ms) return;
  slowest.push({ label, ms, status });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 10);
}

/** how long /health may take to be up again after a 503 */
const HEALTH_RECOVERS_WITHIN_MS = 10_000;

/**
 * /health answers 503 when PostgreSQL or the queue does not answer its ping within 1.5 s: that is what it is for, and
 * on a loaded machine a ping can be that slow. Such a 503 is no failure when its body names the dependency found down
 * (the check's own report) and /health is up again within a few seconds; one naming nothing, or a check that stays
 * down while both servers run, is.
 */
export async function healthDownFailure(fastify: FastifyInstance, body: string): Promise<string | null> {
  let down: string[] = [];
  try {
    const error = (JSON.parse(body) as Json).details?.error as Record<string, { status?: string }> | undefined;
    down = Object.entries(error ?? {}).filter(([, v]) => v?.status === 'down').map(([k]) => k);
  } catch {
    /* not JSON: named nothing */
  }
  if (!down.length) return 'a 503 that names no dependency down';
  for (const until = Date.now() + HEALTH_RECOVERS_WITHIN_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    if ((await fastify.inject({ method: 'GET', url: '/health' })).statusCode === 200) return null;
  }
  return `still down (${down.join(', ')}) ${HEALTH_RECOVERS_WITHIN_MS / 1000} s later`;
}

/**
 * Sends one request and checks its answer: no 5xx, no other agency's case, no identity number in plain text (the
 * response hook checks it against the document; its violations are collected by the caller). Counts it in
 * `result`; answers null when the request itself failed.
 */
export async function sendChecked(world: FuzzWorld, result: FuzzResult, r: Sent): Promise<{ status: number; body: Json; text: string } | null> {
  const fastify = world.t.app.getHttpAdapter().getInstance() as FastifyInstance;
  ip++;
  const headers: Record<string, string> = { 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`, ...r.headers };
  if (r.caller.person) headers.authorization = `Bearer ${r.caller.person.token}`;
  if (r.payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const label = `${r.caller.name} ${r.method.toUpperCase()} ${r.url.slice(0, 160)}`;
  result.requests++;
  const role = r.caller.person?.role ?? 'anonymous';
  (result.byRole ??= {})[role] = (result.byRole[role] ?? 0) + 1;
  const n = ++sentCount;
  const at = Date.now();
  inFlight.set(n, { label, at });
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const others = [...inFlight].filter(([k]) => k !== n).map(([, v]) => `${v.label} (${Math.round((Date.now() - v.at) / 1000)} s)`);
        reject(new Error(`no answer within ${ANSWER_WITHIN_MS / 1000} s; in flight meanwhile: ${others.join('; ') || 'nothing else'}`));
      }, ANSWER_WITHIN_MS);
    });
    const res = await Promise.race([fastify.inject({ method: r.method.toUpperCase() as 'GET', url: encodable(r.url), headers, payload: r.payload }), timeout]).finally(() => {
      clearTimeout(timer);
      inFlight.delete(n);
    });
    noteSlow(result, label, Date.now() - at, res.statusCode);
    const cls = `${String(res.statusCode)[0]}xx`;
    result.byClass[cls] = (result.byClass[cls] ?? 0) + 1;
    const key = `${r.method.toUpperCase()} ${r.path}`;
    const per = (result.byOperation[key] ??= {});
    per[res.statusCode] = (per[res.statusCode] ?? 0) + 1;
    const sent = `${r.url} ${typeof r.payload === 'string' ? r.payload : ''}`;
    if (res.statusCode >= 500) {
      const why = r.path === '/health' && res.statusCode === 503 ? await healthDownFailure(fastify, res.body) : '';
      if (why !== null) result.failures.push(`${label} → ${res.statusCode}${why ? ` (${why})` : ''} ${res.body.slice(0, 300)}`);
    }
    const req = { op: { method: r.method, path: r.path, op: {} }, caller: r.caller, valid: true, url: r.url, body: undefined };
    for (const l of leaks(world, req, sent, res.body)) result.failures.push(`${label} → ${res.statusCode}: ${l}`);
    let body: Json = {};
    try {
      body = JSON.parse(res.body) as Json;
    } catch {
      /* not JSON: a file */
    }
    return { status: res.statusCode, body, text: res.body };
  } catch (err) {
    result.failures.push(`${label}: the request failed: ${(err as Error).message}`);
    return null;
  }
}

/** Runs `count` requests generated from `seed`, `concurrency` at a time. */
export async function runFuzz(world: FuzzWorld, opts: { seed: number; count: number; concurrency?: number; onProgress?: (done: number) => void }): Promise<FuzzResult> {
  const fastify = world.t.app.getHttpAdapter().getInstance() as FastifyInstance;
  const doc = JSON.parse((await fastify.inject({ method: 'GET', url: '/api/docs-json' })).body) as OpenApiDocument;
  const arb = requestArb(doc, world);
  const result: FuzzResult = { requests: 0, byClass: {}, byOperation: {}, failures: [] };
  const batch = 250;
  takeViolations();
  for (let start = 0, b = 0; start < opts.count; start += batch, b++) {
    const reqs = fc.sample(arb, { seed: opts.seed + b, numRuns: Math.min(batch, opts.count - start) });
    let next = 0;
    const worker = async () => {
      while (next < reqs.length) {
        const req = reqs[next++];
        let payload: string | undefined;
        if (req.rawBody !== undefined) payload = req.rawBody;
        else if (req.body !== undefined) payload = encodable(JSON.stringify(req.body) ?? 'null');
        const res = await sendChecked(world, result, { method: req.op.method, path: req.op.path, url: req.url, caller: req.caller, payload });
        if (process.env.FUZZ_DEBUG && req.valid && res?.status === Number(process.env.FUZZ_DEBUG)) console.log(req.caller.name, req.url, payload?.slice(0, 300), res.text.slice(0, 300));
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
    for (const v of takeViolations()) result.failures.push(`document: ${v}`);
    opts.onProgress?.(result.requests);
  }
  return result;
}
