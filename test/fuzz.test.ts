/**
 * Fuzzing from the OpenAPI document (test/fuzz/fuzz-engine.ts): a short run with a fixed seed inside `npm test`;
 * `npm run fuzz` runs the long one (FUZZ_REQUESTS=20000). No request may be answered 5xx, off the document, with
 * another agency's case, or with an identity number in plain text.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { intake, residentId } from './support/cases';
import { createTestApp, seedOrg, type TestApp } from './support/test-app';
import { callersOf, healthDownFailure, leaks, runFuzz, type FuzzRequest, type FuzzWorld, type SeededCase } from './fuzz/fuzz-engine';
import { runScenarios } from './fuzz/fuzz-scenarios';

const COUNT = Number(process.env.FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** the sequences scale with the run: about one request in ten goes to them */
const CHAINS = Number(process.env.FUZZ_CHAINS ?? Math.round(COUNT / 60));
const PORTAL_FLOWS = Number(process.env.FUZZ_PORTAL_FLOWS ?? Math.round(COUNT / 150));
const UPLOADS = Number(process.env.FUZZ_UPLOADS ?? Math.round(COUNT / 40));

describe('fuzzing from the OpenAPI document', () => {
  let t: TestApp;
  let world: FuzzWorld;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await seedOrg(t);
    const today = t.clock.today();
    const cases: SeededCase[] = [];
    const specs: [string, 'tree' | 'other'][] = [['city.clerk', 'tree'], ['dept.clerk', 'tree'], ['city.clerk', 'tree'], ['other.clerk', 'other'], ['other.clerk', 'other']];
    for (const [i, [who, side]] of specs.entries()) {
      const idNumber = residentId(`3201021980010${String(100 + i)}1`.slice(0, 17));
      const c = await intake(t, org.people[who], today, {}, { idNumber });
      cases.push({ id: c.id, trackingNumber: c.trackingNumber, idNumber, side });
    }
    world = { t, org, cases };
  }, 180_000);
  afterAll(async () => t?.close());

  it('its checks can fail: another agency\'s case and a plain identity number are caught, reveal-identity in the own tree is not', () => {
    const caller = (name: string) => callersOf(world.org).find((c) => c.name === name)!;
    const req = (name: string, path: string): FuzzRequest => ({ op: { method: 'get', path, op: {} }, caller: caller(name), valid: true, url: path, body: undefined });
    const tree = world.cases.find((c) => c.side === 'tree')!;
    const other = world.cases.find((c) => c.side === 'other')!;
    expect(leaks(world, req('other.clerk', '/api/v1/cases'), '', JSON.stringify({ items: [{ id: tree.id }] }))).toHaveLength(1);
    expect(leaks(world, req('city.supervisor', '/api/v1/cases'), '', `{"trackingNumber":"${other.trackingNumber}"}`)).toHaveLength(1);
    expect(leaks(world, req('other.clerk', '/api/v1/cases/{id}'), `/api/v1/cases/${tree.id}`, `{"message":"${tree.id}"}`)).toEqual([]);
    expect(leaks(world, req('admin', '/api/v1/cases'), '', `{"idNumber":"${tree.idNumber}"}`)).toHaveLength(1);
    expect(leaks(world, req('city.clerk', '/api/v1/cases/{id}/reveal-identity'), '', `{"idNumber":"${tree.idNumber}"}`)).toEqual([]);
    expect(leaks(world, req('other.clerk', '/api/v1/cases/{id}/reveal-identity'), '', `{"idNumber":"${tree.idNumber}"}`)).toHaveLength(1);
  });

  it('its /health rule can fail: a 503 naming no dependency down fails; one naming a dependency passes only once /health is up again', async () => {
    const fastify = world.t.app.getHttpAdapter().getInstance() as FastifyInstance;
    const body = (error: unknown) => JSON.stringify({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: '', details: { status: 'error', error }, correlationId: 'x' });
    expect(await healthDownFailure(fastify, body({}))).toMatch(/names no dependency/);
    expect(await healthDownFailure(fastify, 'not json')).toMatch(/names no dependency/);
    // both servers are up here: /health answers 200 at once
    expect(await healthDownFailure(fastify, body({ database: { status: 'down' } }))).toBeNull();
  });

  it(`answers ${COUNT} generated requests without a 5xx, off-document answer, cross-agency case or plain identity number`, async () => {
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const started = Date.now();
    const r = await runFuzz(world, { seed: SEED, count: COUNT });
    loop.disable();
    const ops = Object.entries(r.byOperation).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
    const slowest = (r.slowest ?? []).map((x) => `  ${x.ms} ms ${x.status} ${x.label}`).join('\n');
    console.log(
      `fuzz: seed ${SEED}, ${r.requests} requests in ${Math.round((Date.now() - started) / 1000)} s, by status class ${JSON.stringify(r.byClass)}, by role ${JSON.stringify(r.byRole)}, ${r.failures.length} failures; ` +
        `event loop delay max ${Math.round(loop.max / 1e6)} ms, p99 ${Math.round(loop.percentile(99) / 1e6)} ms\n${ops}\nslowest:\n${slowest}`,
    );
    expect(r.requests).toBe(COUNT);
    expect([...new Set(r.failures)].slice(0, 30)).toEqual([]);
  }, Math.max(600_000, COUNT * 200));

  it(`drives ${CHAINS} action chains, ${PORTAL_FLOWS} portal flows (submit → track → correct) and ${UPLOADS} uploads with the same checks`, async () => {
    const { result: r, counts } = await runScenarios(world, { seed: SEED, chains: CHAINS, portalFlows: PORTAL_FLOWS, uploads: UPLOADS });
    const ops = Object.entries(r.byOperation).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
    console.log(`fuzz scenarios: seed ${SEED}, ${JSON.stringify(counts)}, ${r.requests} requests, by status class ${JSON.stringify(r.byClass)}, by role ${JSON.stringify(r.byRole)}, ${r.failures.length} failures\n${ops}`);
    expect(counts).toMatchObject({ chains: CHAINS, portalFlows: PORTAL_FLOWS, uploads: UPLOADS });
    expect([...new Set(r.failures)].slice(0, 30)).toEqual([]);
    // the chains moved cases through the workflow, not only into refusals
    expect(counts.stepsTaken).toBeGreaterThan(CHAINS / 2);
    expect(r.byOperation['POST /api/v1/cases/{id}/attachments']?.['201'] ?? 0).toBeGreaterThan(0);
  }, Math.max(600_000, COUNT * 200));
});
