/**
 * A generated client in CI: a TypeScript client generated from the live document with @hey-api/openapi-ts, a
 * consumer written against it (test/client-consumer/consumer.ts: the portal's submit, track and correct; a staff
 * front-end's sign-in, intake, list, read and actions; the portal's download of a letter) compiled with zero type errors, then run against the service.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { residentId } from './support/cases';
import { createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const DIR = join(__dirname, 'client-consumer');
const NOW = '2024-11-11T02:00:00Z';

describe('a client generated from the document', () => {
  let t: TestApp;
  let org: TestOrg;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW, workers: true }); // the letters' render workers: the portal downloads the correction notice
    org = await seedOrg(t);
    await t.app.listen(0, '127.0.0.1');
    const addr = t.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${addr.port}`;
  }, 120_000);
  afterAll(async () => t?.close());

  it('generates, compiles with zero type errors, and runs the portal and staff flows against the service', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    rmSync(join(DIR, 'generated'), { recursive: true, force: true });
    mkdirSync(join(ROOT, 'var'), { recursive: true });
    const input = join(ROOT, 'var', `openapi-${process.pid}.json`);
    writeFileSync(input, JSON.stringify(doc));
    await run(process.execPath, [join(ROOT, 'node_modules/@hey-api/openapi-ts/bin/run.js'), '-i', input, '-o', join(DIR, 'generated'), '-c', '@hey-api/client-fetch', '--no-log-file', '-s'], { cwd: ROOT });
    rmSync(input, { force: true });

    // zero type errors (strict, noUncheckedIndexedAccess), generated code included
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(DIR, 'tsconfig.json')], { cwd: ROOT }).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');

    const org2 = org.people['dept.clerk'];
    const out = await run(process.execPath, [join(ROOT, 'var/client-consumer-dist/consumer.js')], {
      env: { ...process.env, API_BASE_URL: baseUrl, CLERK_USERNAME: org2.username, CLERK_PASSWORD: org2.password, AGENCY_ID: org.dept, ID_NUMBER: residentId(), TODAY: '2024-11-11', RECEIPT_DATE: '2024-11-08' },
    });
    const seen = JSON.parse(out.stdout.trim());
    expect(seen).toMatchObject({
      portalState: 'submitted',
      expected: null,
      expiresIn: 900,
      myAgency: org.dept,
      hints: 1,
      next: null,
      staleCode: 'CASE_VERSION_CONFLICT',
      items: ['请写明所需信息的具体名称'],
      afterCorrection: 'in_progress',
      wrongCodeStatus: 404,
      wrongCodeError: 'NOT_FOUND',
      letterTitle: expect.stringContaining('补正'),
      letterIsPdf: true,
      letterContentType: 'application/pdf',
      wrongLetterCodeStatus: 404,
    });
    // the staff's and the applicant's steps, in order; the letters' deliveries (the e-mailed receipt and correction
    // notice accepted by the mail server, or the portal's first download) are recorded by the workers as they
    // happen, so they may or may not be in the history yet, each letter at most once
    const steps = (seen.actions as string[]).filter((a) => a !== 'record-delivery');
    expect(steps).toEqual(['submit', 'confirm-receipt', 'request-correction', 'record-correction']);
    expect((seen.actions as string[]).length - steps.length).toBeLessThanOrEqual(2);
    expect(seen.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(seen.correctionEnds).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }, 300_000);
});
