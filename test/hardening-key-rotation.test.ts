/**
 * Key rotation (issue 14): `npm run rotate-keys` re-seals every sealed value and re-computes the identity hashes
 * with the new ENCRYPTION_KEY and HASH_KEY, in batches, while the service runs on the new keys with the old ones
 * for reading; query codes keep matching through HASH_KEY_OLD and are re-hashed when used.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PersonalDataCipher } from '../src/common/crypto/personal-data-cipher';
import { loadConfig } from '../src/config/app-config';
import { ID_HASH, QUERY_CODE_HASH } from '../src/cases/cases.service';
import { rotateKeys } from '../src/infra/key-rotation/key-rotation';
import { applicationBody, intake, residentId } from './support/cases';
import { exampleEnv } from './support/env';
import { bearer, createTestApp, seedOrg, type Person, type TestApp } from './support/test-app';

const run = promisify(execFile);
const OLD = exampleEnv();
const NEW = { ENCRYPTION_KEY: '5a'.repeat(32), HASH_KEY: 'c3'.repeat(32) };
const ROTATING = { ...NEW, ENCRYPTION_KEY_OLD: OLD.ENCRYPTION_KEY, HASH_KEY_OLD: OLD.HASH_KEY };
const TODAY = '2024-11-20';

/** A cipher that knows only the given keys (no old ones). */
const only = (keys: { ENCRYPTION_KEY?: string; HASH_KEY?: string }) => new PersonalDataCipher(loadConfig({ ...exampleEnv(), ...keys }));

describe('hardening: key rotation', () => {
  let before: TestApp;
  let during: TestApp;
  let P: Record<string, Person>;

  beforeAll(async () => {
    before = await createTestApp({ now: `${TODAY}T02:00:00Z` });
    P = (await seedOrg(before)).people;
  }, 240_000);
  afterAll(async () => {
    await during?.close();
    await before?.close();
  }, 240_000);

  it('re-seals and re-hashes every case and idempotency record with the command, while the service runs; nothing lost', async () => {
    const clerk = P['dept.clerk'];
    // data under the old keys: cases with and without phones, idempotent intakes (sealed answers), a portal submission
    const cases: { id: string; idNumber: string }[] = [];
    for (let i = 0; i < 7; i++) {
      const idNumber = residentId(`11010519491231${String(100 + i)}`);
      const c = await intake(before, clerk, TODAY, {}, { idNumber, phone: i % 2 ? null : `1380000000${i}` });
      cases.push({ id: c.id, idNumber });
    }
    const idemBody = { ...applicationBody({}, { idNumber: residentId('11010519491231902') }), channel: 'in_person', receiptDate: TODAY };
    const first = await before.http().post('/api/v1/cases').set(bearer(clerk)).set('Idempotency-Key', 'rotate-1').send(idemBody);
    expect(first.status).toBe(201);
    const portal = await before.http().post('/api/v1/portal/applications').set('Idempotency-Key', 'rotate-p').set('X-Forwarded-For', '198.51.100.30').send(applicationBody());
    expect(portal.status).toBe(201);
    const { trackingNumber, queryCode } = portal.body;

    // every process now runs with the new keys and the old ones for reading
    during = await createTestApp({ databaseUrl: before.databaseUrl, now: `${TODAY}T03:00:00Z`, env: ROTATING });
    const duringClerk = { ...clerk, token: (await during.http().post('/api/v1/auth/login').send({ username: clerk.username, password: clerk.password })).body.accessToken };
    const reveal = await during.http().post(`/api/v1/cases/${cases[0].id}/reveal-identity`).set(bearer(duringClerk)).send({ reason: '核对' });
    expect(reveal.body.idNumber).toBe(cases[0].idNumber);

    // the command, with intakes going on beside it
    const env = { ...process.env, ...exampleEnv(), ...ROTATING, DATABASE_URL: before.databaseUrl, ROTATE_BATCH_SIZE: '3', LOG_LEVEL: 'silent' };
    const root = join(__dirname, '..');
    const command = run(process.execPath, ['-r', '@swc-node/register', 'src/rotate-keys.ts'], { cwd: root, env, timeout: 120_000 });
    const beside = await intake(during, duringClerk, TODAY, {}, { idNumber: residentId('11010519491231777') });
    const { stdout, stderr } = await command;
    const counts = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(counts.cases).toBeGreaterThanOrEqual(9);
    expect(counts.casesRewritten).toBeGreaterThanOrEqual(8);
    expect(counts.idempotencyRewritten).toBe(2);
    expect(stderr).toContain('cases: 3 read');
    // a late straggler (sealed under the old key after the batch passed) is caught by running it again
    const again = await rotateKeys(during.ds, new PersonalDataCipher(during.config), { batchSize: 4 });
    expect(again.casesRewritten).toBe(0);
    expect(again.idempotencyRewritten).toBe(0);
    // the receipts' query codes, sealed until rendered (no workers here: none is rendered), re-sealed too
    expect(counts.sealedQueryCodes).toBeGreaterThanOrEqual(8);
    expect(counts.sealedQueryCodesRewritten).toBe(8);
    expect(again.sealedQueryCodesRewritten).toBe(0);

    // the new keys alone open and match everything
    const fresh = only(NEW);
    const rows: { id: string; applicant_id_enc: string; applicant_phone_enc: string | null; applicant_id_hash: string }[] = await during.ds.query(
      `SELECT id, applicant_id_enc, applicant_phone_enc, applicant_id_hash FROM cases`,
    );
    expect(rows.length).toBe(cases.length + 3);
    for (const r of rows) {
      const idNumber = fresh.decrypt(r.applicant_id_enc);
      expect(r.applicant_id_hash).toBe(fresh.hash(ID_HASH, idNumber));
      if (r.applicant_phone_enc) expect(fresh.decrypt(r.applicant_phone_enc)).toMatch(/^1380000000\d$/);
    }
    for (const c of cases) expect(fresh.decrypt(rows.find((r) => r.id === c.id)!.applicant_id_enc)).toBe(c.idNumber);
    expect(rows.some((r) => r.id === beside.id)).toBe(true);
    const responses: { response: unknown }[] = await during.ds.query(`SELECT response FROM idempotency_keys`);
    const sealed = JSON.stringify(responses).match(/v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]*={0,2}/g) ?? [];
    expect(sealed.length).toBeGreaterThanOrEqual(2);
    for (const s of sealed) expect(() => fresh.decrypt(s)).not.toThrow();
    const codes: { s: string }[] = await during.ds.query(`SELECT sealed_query_code AS s FROM letters WHERE sealed_query_code IS NOT NULL`);
    expect(codes.length).toBeGreaterThanOrEqual(8);
    for (const c of codes) expect(fresh.decrypt(c.s)).toMatch(/^[A-Z0-9-]{10,}$/);
    // the idempotent repeat answers the same query code as the first time
    const repeat = await during.http().post('/api/v1/cases').set(bearer(duringClerk)).set('Idempotency-Key', 'rotate-1').send(idemBody);
    expect(repeat.status).toBe(201);
    expect(repeat.body.queryCode).toBe(first.body.queryCode);
    expect(repeat.body.id).toBe(first.body.id);

    // the query code's hash was made with the old key: it matches through HASH_KEY_OLD and is re-hashed when used
    const [{ query_code_hash: oldHash }] = await during.ds.query(`SELECT query_code_hash FROM cases WHERE tracking_number = $1`, [trackingNumber]);
    expect(oldHash).toBe(only(OLD).hash(QUERY_CODE_HASH, queryCode));
    const track = await during.http().get(`/api/v1/portal/applications/${trackingNumber}`).set('X-Query-Code', queryCode).set('X-Forwarded-For', '198.51.100.31');
    expect(track.status).toBe(200);
    const [{ query_code_hash: newHash }] = await during.ds.query(`SELECT query_code_hash FROM cases WHERE tracking_number = $1`, [trackingNumber]);
    expect(newHash).toBe(fresh.hash(QUERY_CODE_HASH, queryCode));
    const wrong = await during.http().get(`/api/v1/portal/applications/${trackingNumber}`).set('X-Query-Code', 'AAAAAAAAAAAA').set('X-Forwarded-For', '198.51.100.32');
    expect(wrong.status).toBe(404);
  }, 240_000);
});
