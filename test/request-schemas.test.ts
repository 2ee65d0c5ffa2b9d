/**
 * The request schemas are as strict as the server (issue 14, item 4), operation by operation:
 * - requests generated from the live document alone (fast-check, fixed seed; every value checked with ajv
 *   against its schema) are never refused for their form: no 400/422 VALIDATION_FAILED from the validation pipe,
 *   and a domain rule's VALIDATION_FAILED only on the few fields whose rule the schema cannot say (below);
 * - a sample of bodies the document forbids (one thing broken in a valid body) is refused with 400
 *   VALIDATION_FAILED, whatever the rule;
 * every answer is also checked against the document by the response hook.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { CONSTRAINT_MESSAGES, TEXT_MESSAGES } from '../src/common/validation/validation.pipe';
import { intake } from './support/cases';
import { createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';
import { SchemaRequests, type GeneratedRequest } from './fuzz/schema-requests';
import type { OpenApiDocument } from './support/openapi-check';

type Json = Record<string, any>;
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const VALID_PER_OPERATION = Number(process.env.SCHEMA_VALID_RUNS ?? 12);
const INVALID_PER_OPERATION = Number(process.env.SCHEMA_INVALID_RUNS ?? 6);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The rules a schema cannot state, each a VALIDATION_FAILED a valid-looking request may still get: they depend on
 * today, on the case or on other rows. Keyed by field; the pipe's form errors are never among them.
 */
const DOMAIN_RULES: Record<string, string> = {
  on: 'a step\'s day: not in the future, not before the receipt or the step before',
  receiptDate: 'not later than today',
  until: 'an Art 35 date: after today and the step',
  filedOn: 'not in the future, not before the reply',
  concludedOn: 'not before filedOn, not in the future',
  decisionReceivedOn: 'not before concludedOn, not in the future',
  from: 'a period: from not after to, within ten years',
  to: 'a period: to not before from; a calendar range inside the loaded years',
  asOf: 'not in the future',
  year: 'not after this year; a calendar year needs its dates inside it',
  off: 'the holiday list of the year loaded: dates inside the year, no day both off and working',
  work: 'adjusted working days must be weekend days of the year',
  days: 'a working-day sum inside the calendar range',
  cursor: 'a cursor is a position of an earlier page: a well-formed one pointing nowhere is refused',
  agencyId: 'a real agency (forward: another agency of the platform)',
  assigneeId: 'a clerk of the case\'s agency',
  amount: 'equal to the fee notice\'s amount',
  'applicant.idType': 'matches the applicant type (a person\'s document for a natural person, an organisation\'s for the others)',
  'applicant.idNumber': 'the check character of a resident id or a unified social credit code',
  'earlierReply.caseId': 'another case of the same applicant with an issued reply',
  earlierReply: 'a rejected.duplicate reply names exactly one earlier reply',
  outcome: 'the outcome catalogue\'s combination with grounds and parts',
  grounds: 'only for withheld outcomes',
  withheldParts: 'only for a partial reply',
  competentAgency: 'only for unavailable.not_held',
  consultationId: 'a consultation of the case',
  letterId: 'an issued letter of the case',
  of: 'a letter kind the case has issued',
  approvalStepNames: 'one name per approval step',
  source: 'a letter template: Handlebars syntax, declared variables, the statutory parts',
  items: 'a list of non-blank texts',
  password: 'the password rules (not the user name, not too common)',
  username: 'unique',
  code: 'unique',
  parentId: 'a real agency, no cycle',
  pages: 'pages for a per-page tariff',
  step: 'the next approval step of the agency',
  waybills: 'its keys are letter ids (uuid): an OpenAPI 3.0 schema cannot constrain the keys of a map',
};

/** bodies with maps keyed by ids */
const MAPS = ['waybills'];
const PIPE_MESSAGES = [...Object.values(CONSTRAINT_MESSAGES), ...Object.values(TEXT_MESSAGES)];
const fromThePipe = (message: string) => PIPE_MESSAGES.some((m) => message.startsWith(m));
/** `off[2]` and `items.0` are the rules of `off` and `items` */
const ruleOf = (field: string) => {
  const plain = field.replace(/\[\d+\]|\.\d+(?=\.|$)/g, '');
  // a key of a map (`waybills.<letter id>`) is the map's rule
  const map = plain.split('.')[0];
  return map in DOMAIN_RULES && MAPS.includes(map) ? map : plain;
};

describe('request schemas as strict as the server', () => {
  let t: TestApp;
  let org: TestOrg;
  let doc: OpenApiDocument & Json;
  let gen: SchemaRequests;
  let fastify: FastifyInstance;
  const ops: { method: string; path: string; op: Json }[] = [];
  let ip = 0;
  let caseIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedOrg(t);
    fastify = t.app.getHttpAdapter().getInstance() as FastifyInstance;
    doc = JSON.parse((await fastify.inject({ method: 'GET', url: '/api/docs-json' })).body) as OpenApiDocument & Json;
    const today = t.clock.today();
    const cases = [await intake(t, org.people['city.clerk'], today), await intake(t, org.people['city.clerk'], today)];
    caseIds = cases.map((c) => c.id);
    gen = new SchemaRequests(doc, { byName: { id: caseIds, caseId: caseIds, agencyId: [org.city, org.dept], parentId: [org.city], assigneeId: [org.people['city.clerk'].id] } });
    for (const [path, item] of Object.entries(doc.paths)) for (const m of METHODS) if ((item as Json)[m] && path.startsWith('/api/v1/')) ops.push({ method: m, path, op: (item as Json)[m] as Json });
  }, 180_000);
  afterAll(async () => t?.close());

  /** Who sends an operation's requests: one who may call it, so that its input is read (guards come first). */
  function callerFor(method: string, path: string, op: Json, i: number): Person | null {
    if (!(op.security ?? []).length) return null;
    const p = org.people;
    if (/^\/api\/v1\/(users|calendar\/years)/.test(path) || /letter-templates/.test(path)) return p.admin;
    if (path.startsWith('/api/v1/agencies') && method !== 'get') return p.admin;
    // users' ids are left alone: a valid PATCH could deactivate a caller
    return [p['city.supervisor'], p['city.clerk'], p['city.supervisor'], p.admin][i % 4];
  }

  async function send(req: GeneratedRequest, caller: Person | null) {
    ip++;
    const headers: Record<string, string> = { ...req.headers, 'x-forwarded-for': `10.20.${(ip >> 8) & 255}.${ip & 255}` };
    if (caller) headers.authorization = `Bearer ${caller.token}`;
    let payload: string | Buffer | undefined;
    if (req.rawBody) payload = req.rawBody;
    else if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fastify.inject({ method: req.method.toUpperCase() as 'GET', url: req.url, headers, payload });
    let body: Json = {};
    try {
      body = JSON.parse(res.body) as Json;
    } catch {
      /* a file */
    }
    return { status: res.statusCode, body };
  }

  it('never refuses a request valid by the document for its form, on any operation', async () => {
    const wrong: string[] = [];
    const reached: Record<string, number> = {};
    for (const [n, { method, path, op }] of ops.entries()) {
      // users' own ids stay out of PATCH /users/{id}: random ids only there
      const arb = gen.validRequest(method, path, op);
      const reqs = fc.sample(arb, { seed: SEED + n, numRuns: VALID_PER_OPERATION });
      for (const [i, req] of reqs.entries()) {
        if (method === 'patch' && path === '/api/v1/users/{id}') req.url = req.url.replace(/\/users\/[^/?]+/, '/users/00000000-0000-4000-8000-000000000000');
        const res = await send(req, callerFor(method, path, op, i));
        const key = `${method.toUpperCase()} ${path}`;
        const signedIn = (op.security ?? []).length > 0;
        // stopped before its input was read: sign-in or role (a sign-in operation reads its input to answer 401)
        if (![403, 429].includes(res.status) && !(signedIn && res.status === 401)) reached[key] = (reached[key] ?? 0) + 1;
        if (res.status >= 500) wrong.unshift(`${key}: ${res.status} for ${req.url.slice(0, 200)} ${JSON.stringify(req.headers)} ${JSON.stringify(req.body)?.slice(0, 600)}`);
        if (res.body.code !== 'VALIDATION_FAILED') continue;
        const fields = ((res.body.details?.fields ?? []) as { field: string; message: string }[]);
        const form = fields.filter((f) => fromThePipe(f.message) || !(ruleOf(f.field) in DOMAIN_RULES));
        if (form.length || !fields.length) wrong.push(`${key}: ${res.status} ${JSON.stringify(fields)} for ${req.url.slice(0, 200)} ${JSON.stringify(req.headers)} ${JSON.stringify(req.body)?.slice(0, 400)}`);
      }
    }
    expect(wrong.slice(0, 25)).toEqual([]);
    // every operation's input was read (not stopped by sign-in or role) for most of its requests
    const unread = ops.map(({ method, path }) => `${method.toUpperCase()} ${path}`).filter((k) => (reached[k] ?? 0) < VALID_PER_OPERATION / 2);
    expect(unread).toEqual([]);
  }, 600_000);

  it('refuses with 400 VALIDATION_FAILED a body the document forbids, on every operation that takes one', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const [n, { method, path, op }] of ops.entries()) {
      const arb = gen.invalidRequest(method, path, op);
      if (!arb) continue;
      for (const req of fc.sample(arb, { seed: SEED + 1000 + n, numRuns: INVALID_PER_OPERATION })) {
        if (method === 'patch' && path === '/api/v1/users/{id}') req.url = req.url.replace(/\/users\/[^/?]+/, '/users/00000000-0000-4000-8000-000000000000');
        tried++;
        // the body alone says the version: no If-Match beside it
        delete req.headers['if-match'];
        // an upload is read once the case is found: a real case of the caller's agency
        if (path.endsWith('/attachments')) req.url = req.url.replace(/\/cases\/[^/]+\//, `/cases/${caseIds[0]}/`);
        const res = await send(req, callerFor(method, path, op, 0));
        if (res.status === 429) continue;
        if (res.status !== 400 || res.body.code !== 'VALIDATION_FAILED') wrong.push(`${method.toUpperCase()} ${path} (${req.broken}): ${res.status} ${JSON.stringify(res.body).slice(0, 200)} for ${JSON.stringify(req.body)?.slice(0, 300)}`);
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(wrong.slice(0, 25)).toEqual([]);
  }, 600_000);
});
