/**
 * Multi-step and multipart fuzzing: sequences a client really makes, with generated content, checked as every fuzz
 * request is (no 5xx, the answer as the document says, no other agency's case, no identity number in plain text):
 * - chains: a clerk logs an application, then clerks and supervisors of its agency (and, now and then, another
 *   agency's user or an auditor) send actions drawn from the document with bodies generated from their schemas and
 *   the version the case has (in the body or as If-Match; sometimes a stale one), reading the case and its
 *   history between steps;
 * - portal flows: an anonymous submission, tracking with the right and a wrong query code, the agency's
 *   confirmation and correction request, the applicant's correction, tracking again;
 * - uploads: multipart bodies to real cases (odd file names, types and contents; the file missing or empty; an
 *   unknown kind or field; two files; a cut-off body; a wrong boundary), then the list and each download.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { residentId } from '../support/cases';
import { takeViolations, type OpenApiDocument } from '../support/openapi-check';
import { callersOf, sendChecked, type Caller, type FuzzResult, type FuzzWorld } from './fuzz-engine';
import { encodeMultipart, SchemaRequests, type Part } from './schema-requests';

type Json = Record<string, any>;

export interface ScenarioCounts {
  chains: number;
  portalFlows: number;
  uploads: number;
  /** action steps answered 200 (the chains moved the cases) */
  stepsTaken: number;
}

const ANONYMOUS: Caller = { name: 'anonymous', person: null, side: null, forbidden: null };
const pad = (n: number) => String(n).padStart(2, '0');

function daysBefore(today: string, n: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A valid resident id: region, a real birth date, a sequence number, the check character. */
function newResidentId(): string {
  const [y, m, d, a, b, c] = Array.from(randomBytes(6));
  return residentId(`320102${1950 + (y % 50)}${pad(1 + (m % 12))}${pad(1 + (d % 28))}${a % 10}${b % 10}${c % 10}`);
}

export async function runScenarios(world: FuzzWorld, opts: { seed: number; chains: number; portalFlows: number; uploads: number }): Promise<{ result: FuzzResult; counts: ScenarioCounts }> {
  const fastify = world.t.app.getHttpAdapter().getInstance() as FastifyInstance;
  const doc = JSON.parse((await fastify.inject({ method: 'GET', url: '/api/docs-json' })).body) as OpenApiDocument & Json;
  const { org } = world;
  const people = org.people;
  const callers = Object.fromEntries(callersOf(org).map((c) => [c.name, c]));
  const gen = new SchemaRequests(doc, {
    byName: { assigneeId: [people['city.clerk'].id, people['dept.clerk'].id], agencyId: [org.city, org.dept, org.district, org.other], caseId: world.cases.map((c) => c.id) },
  });
  const result: FuzzResult = { requests: 0, byClass: {}, byOperation: {}, failures: [] };
  const counts: ScenarioCounts = { chains: 0, portalFlows: 0, uploads: 0, stepsTaken: 0 };
  const today = world.t.clock.today();
  const send = (method: string, path: string, url: string, caller: Caller, body?: unknown, headers?: Record<string, string>) =>
    sendChecked(world, result, { method, path, url, caller, payload: body === undefined ? undefined : JSON.stringify(body), headers });
  takeViolations();

  // ------------------------------------------------------------ chains of actions
  const actions = Object.entries(doc.paths)
    .filter(([path, item]) => /^\/api\/v1\/cases\/\{id\}\/[a-z-]+$/.test(path) && (item as Json).post?.requestBody?.content?.['application/json'])
    .map(([path, item]) => ({ path, name: path.split('/').pop()!, schema: (item as Json).post.requestBody.content['application/json'].schema as Json }))
    .filter((a) => gen.resolve(a.schema).required?.includes('expectedVersion'));
  const stepArb = fc.constantFrom(...actions).chain((a) =>
    fc.record({
      action: fc.constant(a),
      body: gen.value(a.schema) as fc.Arbitrary<Json>,
      who: fc.constantFrom('clerk', 'clerk', 'supervisor', 'supervisor', 'supervisor', 'auditor', 'other.clerk', 'other.supervisor'),
      version: fc.constantFrom('body', 'body', 'body', 'if-match', 'stale'),
      keepOn: fc.boolean(),
      readAfter: fc.boolean(),
    }),
  );
  const chainArb = fc.record({
    agency: fc.constantFrom('city', 'dept'),
    receivedDaysAgo: fc.integer({ min: 0, max: 40 }),
    description: gen.value({ type: 'string', minLength: 1, maxLength: 200, pattern: '^(?!\\s*$)[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$' }),
    steps: fc.array(stepArb, { minLength: 4, maxLength: 12 }),
  });
  for (const plan of fc.sample(chainArb, { seed: opts.seed, numRuns: opts.chains })) {
    counts.chains++;
    const clerk = callers[`${plan.agency}.clerk`];
    const idNumber = newResidentId();
    const intake = await send('post', '/api/v1/cases', '/api/v1/cases', clerk, {
      applicant: { type: 'natural_person', name: '张三', idType: 'resident_id', idNumber, phone: '13800000000', email: 'zhang@example.cn', address: '测试市测试路1号' },
      description: plan.description,
      form: 'electronic',
      delivery: 'email',
      channel: 'in_person',
      receiptDate: daysBefore(today, plan.receivedDaysAgo),
    });
    if (intake?.status !== 201) {
      result.failures.push(`chain: intake answered ${intake?.status} ${intake?.text.slice(0, 300)}`);
      continue;
    }
    const id = intake.body.id as string;
    world.cases.push({ id, trackingNumber: intake.body.trackingNumber as string, idNumber, side: 'tree' });
    let version = intake.body.version as number;
    for (const step of plan.steps) {
      const caller = step.who.startsWith('other.') ? callers[step.who] : step.who === 'auditor' ? callers['city.auditor'] : callers[`${plan.agency}.${step.who}`];
      const body: Json = { ...step.body };
      if (!step.keepOn) delete body.on;
      const headers: Record<string, string> = {};
      if (step.version === 'if-match') {
        delete body.expectedVersion;
        headers['if-match'] = `"${version}"`;
      } else body.expectedVersion = step.version === 'stale' ? Math.max(1, version - 1) : version;
      const path = step.action.path;
      const res = await send('post', path, path.replace('{id}', id), caller, body, headers);
      if (res?.status === 200) {
        version = res.body.version as number;
        counts.stepsTaken++;
      } else if (res?.status === 409 && typeof res.body.details?.currentVersion === 'number') version = res.body.details.currentVersion as number;
      if (step.readAfter) {
        const read = await send('get', '/api/v1/cases/{id}', `/api/v1/cases/${id}`, clerk);
        if (read?.status === 200) version = read.body.version as number;
        await send('get', '/api/v1/cases/{id}/history', `/api/v1/cases/${id}/history`, callers['city.supervisor']);
      }
    }
    await send('get', '/api/v1/cases/{id}/letters', `/api/v1/cases/${id}/letters`, clerk);
  }

  // ------------------------------------------------------------ portal: submit → track → correct
  const correction = actions.find((a) => a.name === 'request-correction');
  const portalArb = fc.record({
    agency: fc.constantFrom<'city' | 'dept' | 'other' | null>('city', 'dept', 'other', null),
    description: gen.value({ type: 'string', minLength: 1, maxLength: 300, pattern: '^(?!\\s*$)[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$' }),
    content: gen.value({ type: 'string', minLength: 1, maxLength: 300, pattern: '^(?!\\s*$)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$' }),
    items: correction ? (gen.value(gen.resolve(correction.schema).properties.items as Json) as fc.Arbitrary<unknown>) : fc.constant('请补充身份证明'),
    idempotent: fc.boolean(),
    wrongCode: fc.constantFrom('AAAAAAAAAAAA', 'x', '0'.repeat(64)),
    caseOfCode: fc.constantFrom('lower', 'spaced', 'exact'),
  });
  for (const plan of fc.sample(portalArb, { seed: opts.seed + 1, numRuns: opts.portalFlows })) {
    counts.portalFlows++;
    const idNumber = newResidentId();
    const name = `申请人${counts.portalFlows}号`;
    const body: Json = {
      applicant: { type: 'natural_person', name, idType: 'resident_id', idNumber, email: 'li@example.cn' },
      description: plan.description,
      form: 'electronic',
      delivery: 'online',
    };
    if (plan.agency) body.agencyId = org[plan.agency];
    const headers: Record<string, string> = plan.idempotent ? { 'idempotency-key': `fuzz-${randomBytes(6).toString('hex')}` } : {};
    const submitted = await send('post', '/api/v1/portal/applications', '/api/v1/portal/applications', ANONYMOUS, body, headers);
    if (submitted?.status !== 201) {
      result.failures.push(`portal: submit answered ${submitted?.status} ${submitted?.text.slice(0, 300)}`);
      continue;
    }
    if (plan.idempotent) await send('post', '/api/v1/portal/applications', '/api/v1/portal/applications', ANONYMOUS, body, headers);
    const tn = submitted.body.trackingNumber as string;
    const code = submitted.body.queryCode as string;
    const agencyKey = plan.agency ?? 'city';
    const side = agencyKey === 'other' ? 'other' : 'tree';
    const cases = await send('get', '/api/v1/cases', `/api/v1/cases?q=${encodeURIComponent(name)}&limit=100`, callers[side === 'other' ? 'other.clerk' : 'city.supervisor']);
    const id = ((cases?.body.items ?? []) as Json[]).find((c) => c.trackingNumber === tn)?.id as string | undefined;
    if (id) world.cases.push({ id, trackingNumber: tn, idNumber, side });
    const trackPath = '/api/v1/portal/applications/{trackingNumber}';
    const typed = plan.caseOfCode === 'lower' ? code.toLowerCase() : plan.caseOfCode === 'spaced' ? ` ${code} ` : code;
    await send('get', trackPath, `/api/v1/portal/applications/${tn}`, ANONYMOUS, undefined, { 'x-query-code': typed });
    const wrong = await send('get', trackPath, `/api/v1/portal/applications/${tn}`, ANONYMOUS, undefined, { 'x-query-code': plan.wrongCode });
    if (wrong && wrong.status !== 404) result.failures.push(`portal: a wrong query code answered ${wrong.status}`);
    // the agency holding it (a submission without agency lands at the top of the city)
    const staffClerk = callers[`${agencyKey}.clerk`];
    if (id) {
      let version = 1;
      const read = await send('get', '/api/v1/cases/{id}', `/api/v1/cases/${id}`, staffClerk);
      if (read?.status === 200) version = read.body.version as number;
      const confirmed = await send('post', '/api/v1/cases/{id}/confirm-receipt', `/api/v1/cases/${id}/confirm-receipt`, staffClerk, { expectedVersion: version });
      if (confirmed?.status === 200) version = confirmed.body.version as number;
      const asked = await send('post', '/api/v1/cases/{id}/request-correction', `/api/v1/cases/${id}/request-correction`, staffClerk, { expectedVersion: version, items: plan.items });
      if (asked?.status === 200) counts.stepsTaken += 2;
    }
    const corrPath = '/api/v1/portal/applications/{trackingNumber}/correction';
    await send('post', corrPath, `/api/v1/portal/applications/${tn}/correction`, ANONYMOUS, { content: plan.content }, { 'x-query-code': plan.wrongCode });
    await send('post', corrPath, `/api/v1/portal/applications/${tn}/correction`, ANONYMOUS, { content: plan.content }, { 'x-query-code': code });
    // a second correction: nothing is asked any more
    await send('post', corrPath, `/api/v1/portal/applications/${tn}/correction`, ANONYMOUS, { content: plan.content }, { 'x-query-code': code });
    const tracked = await send('get', trackPath, `/api/v1/portal/applications/${tn}`, ANONYMOUS, undefined, { 'x-query-code': code });
    for (const letter of ((tracked?.body.letters ?? []) as Json[]).slice(0, 2)) {
      if (typeof letter.url !== 'string') continue;
      const url = new URL(letter.url as string).pathname;
      await send('get', '/api/v1/portal/applications/{trackingNumber}/letters/{letterId}/pdf', url, ANONYMOUS, undefined, { 'x-query-code': code });
    }
  }

  // ------------------------------------------------------------ multipart uploads
  const uploadOp = (doc.paths['/api/v1/cases/{id}/attachments'] as Json | undefined)?.post as Json | undefined;
  const uploadSchema = uploadOp?.requestBody?.content?.['multipart/form-data']?.schema as Json | undefined;
  if (uploadSchema) {
    const treeCases = world.cases.filter((c) => c.side === 'tree');
    const broken = fc.oneof(
      gen.multipart(uploadSchema).map((parts): [string, Part[], string] => ['two files', [...parts, ...parts.filter((p) => p.filename !== undefined)], '']),
      gen.multipart(uploadSchema).map((parts): [string, Part[], string] => ['cut off', parts, 'cut']),
      gen.multipart(uploadSchema).map((parts): [string, Part[], string] => ['wrong boundary', parts, 'boundary']),
      gen.multipart(uploadSchema).map((parts): [string, Part[], string] => ['not declared multipart', parts, 'json']),
    );
    const uploadArb = fc.record({
      caseId: fc.constantFrom(...treeCases.map((c) => c.id), ...world.cases.filter((c) => c.side === 'other').map((c) => c.id)),
      who: fc.constantFrom('city.clerk', 'city.supervisor', 'dept.clerk', 'other.clerk', 'city.auditor', 'admin'),
      body: fc.oneof(
        { arbitrary: gen.multipart(uploadSchema).map((parts): [string, Part[], string] => ['valid', parts, '']), weight: 4 },
        { arbitrary: gen.invalidMultipart(uploadSchema).map(([what, parts]): [string, Part[], string] => [what, parts, '']), weight: 2 },
        { arbitrary: broken, weight: 2 },
      ),
      cutAt: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    });
    for (const plan of fc.sample(uploadArb, { seed: opts.seed + 2, numRuns: opts.uploads })) {
      counts.uploads++;
      const [what, parts, how] = plan.body;
      const enc = encodeMultipart(parts);
      let payload = enc.payload;
      let contentType = enc.contentType;
      if (how === 'cut') payload = payload.subarray(0, Math.floor(payload.length * plan.cutAt));
      if (how === 'boundary') contentType = 'multipart/form-data; boundary=not-the-boundary';
      if (how === 'json') contentType = 'application/json';
      const path = '/api/v1/cases/{id}/attachments';
      const res = await sendChecked(world, result, { method: 'post', path, url: `/api/v1/cases/${plan.caseId}/attachments`, caller: callers[plan.who], payload, headers: { 'content-type': contentType } });
      if (!res) result.failures.push(`upload: the one above was ${what} (${parts.map((p) => `${p.name}${p.filename === undefined ? '' : ' file'} ${p.data.length} B`).join(', ')}), ${payload.length} bytes sent`);
    }
    for (const c of treeCases.slice(0, 6)) {
      const list = await send('get', '/api/v1/cases/{id}/attachments', `/api/v1/cases/${c.id}/attachments`, callers['city.supervisor']);
      for (const a of ((list?.body.items ?? []) as Json[]).slice(0, 3)) {
        await send('get', '/api/v1/cases/{id}/attachments/{attachmentId}', `/api/v1/cases/${c.id}/attachments/${String(a.id)}`, callers['city.supervisor']);
        await send('get', '/api/v1/cases/{id}/attachments/{attachmentId}', `/api/v1/cases/${c.id}/attachments/${String(a.id)}`, callers['other.clerk']);
      }
    }
  }
  for (const v of takeViolations()) result.failures.push(`document: ${v}`);
  return { result, counts };
}
