/**
 * A multipart upload cut off before its closing boundary is answered, whoever sends it and wherever it stops: the
 * long fuzz run found such bodies never answered. The parser may destroy the file stream (body ended mid-file)
 * before the part reaches the upload's loop, so the stream's 'close' was already past and the sink waited for ever.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { intake } from './support/cases';
import { createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';
import { within } from './support/within';

const BOUNDARY = 'cutoffBoundary7MA4YWxk';
const BODY = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsupporting\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="证明.pdf"\r\nContent-Type: application/pdf\r\n\r\n` +
    `%PDF-1.7\n${'0123456789'.repeat(20)}\n%%EOF\r\n--${BOUNDARY}--\r\n`,
);
const ANSWER_WITHIN_MS = 3000;

/** One request on a fresh connection: the status line, or why none came within the time. */
async function rawStatus(port: number, head: string, body: Buffer): Promise<string> {
  const sock = connect(port, '127.0.0.1');
  try {
    return await new Promise<string>((resolve) => {
      let got = '';
      const timer = setTimeout(() => resolve(`no answer within ${ANSWER_WITHIN_MS} ms`), ANSWER_WITHIN_MS);
      sock.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.includes('\r\n')) {
          clearTimeout(timer);
          resolve(got.slice(0, got.indexOf('\r\n')));
        }
      });
      sock.on('close', () => {
        clearTimeout(timer);
        resolve(got ? got.slice(0, got.indexOf('\r\n')) : 'closed without an answer');
      });
      sock.on('error', () => undefined);
      sock.on('connect', () => sock.write(Buffer.concat([Buffer.from(head), body])));
    });
  } finally {
    sock.destroy();
  }
}

describe('attachments: a multipart body cut off before its end', () => {
  let t: TestApp;
  let org: TestOrg;
  let cityCase: string;
  let deptCase: string;
  let port: number;
  const stored = (id: string) => {
    const dir = join(t.config.varDir, 'files', 'cases', id);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const head = (p: Person, caseId: string, length: number) =>
    `POST /api/v1/cases/${caseId}/attachments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${p.token}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`;

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedOrg(t);
    cityCase = (await intake(t, org.people['city.clerk'], t.clock.today())).id;
    deptCase = (await intake(t, org.people['dept.clerk'], t.clock.today())).id;
    const server = t.app.getHttpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (t) await rm(t.config.varDir, { recursive: true, force: true });
  });

  it('answers the case\'s own clerk 400 wherever the body stops (in a part\'s headers, in the file, in the closing boundary), storing nothing', async () => {
    const fastify = t.app.getHttpAdapter().getInstance() as FastifyInstance;
    const clerk = org.people['city.clerk'];
    const fileStart = BODY.indexOf('%PDF');
    const answers = new Map<number, string>();
    // every cut from inside the file's part headers to just before the closing boundary's dashes
    for (let cut = fileStart - 20; cut < BODY.length - 4; cut++) {
      const res = fastify.inject({
        method: 'POST',
        url: `/api/v1/cases/${cityCase}/attachments`,
        headers: { authorization: `Bearer ${clerk.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: BODY.subarray(0, cut),
      });
      const r = await within(res, ANSWER_WITHIN_MS, null);
      const what = r ? `${r.statusCode} ${(JSON.parse(r.body) as { code: string }).code}` : 'no answer';
      answers.set(cut, what);
      if (!r) break;
    }
    const wrong = [...answers].filter(([, what]) => what !== '400 VALIDATION_FAILED');
    expect(wrong).toEqual([]);
    expect(answers.size).toBeGreaterThan(200);
    expect(stored(cityCase)).toEqual([]);
    const rows = await t.ds.query(`SELECT count(*)::int AS n FROM attachments WHERE case_id = $1`, [cityCase]);
    expect(rows[0].n).toBe(0);
    // and the whole body still goes through
    const whole = await fastify.inject({
      method: 'POST',
      url: `/api/v1/cases/${cityCase}/attachments`,
      headers: { authorization: `Bearer ${clerk.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: BODY,
    });
    expect(whole.statusCode).toBe(201);
    expect(stored(cityCase)).toHaveLength(1);
  });

  it('answers over a real connection, whether the caller may upload or not, and also when fewer bytes come than Content-Length says', async () => {
    const cut = BODY.subarray(0, BODY.indexOf('%%EOF'));
    const cases: [string, string, string, number, string][] = [
      // the case's own clerk: the body ends (Content-Length as sent) before the closing boundary
      ['city.clerk', cityCase, 'own case, cut off', cut.length, '400'],
      // refused before the body is read: another agency's case, a sub-agency's case (a supervisor reads it, acts not), an auditor
      ['other.clerk', cityCase, 'another agency', cut.length, '404'],
      ['city.supervisor', deptCase, 'a sub-agency', cut.length, '403'],
      ['city.auditor', cityCase, 'an auditor', cut.length, '403'],
      // refused while the rest of the announced body never comes
      ['other.clerk', cityCase, 'another agency, body withheld', 10_000_000, '404'],
      ['city.supervisor', deptCase, 'a sub-agency, body withheld', 10_000_000, '403'],
    ];
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const [who, caseId, label, length, status] of cases) {
      got[label] = await rawStatus(port, head(org.people[who], caseId, length), cut);
      want[label] = `HTTP/1.1 ${status}`;
      got[label] = got[label].slice(0, want[label].length);
    }
    expect(got).toEqual(want);
    expect(stored(deptCase)).toEqual([]);
  });
});
