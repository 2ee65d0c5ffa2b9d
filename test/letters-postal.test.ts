/**
 * The daily postal batch: the agency's letters to post as one PDF (an address sheet before each letter, the
 * letter's stored pages after it, no identity or phone number on the sheet), the dispatch with each letter's EMS
 * waybill in one transaction (refusals with codes, nothing written), the receipt recorded later; fax and in
 * person carried by record-delivery.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LetterJobs } from '../src/letters/letter-jobs';
import { act, intake, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');

/** supertest collects an application/pdf body as a Buffer with this parser */
const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Each PDF's pages as their text (pdfjs-dist in a child process: it is ESM). */
function pagesOf(...pdfs: Buffer[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'postal-'));
  const files = pdfs.map((b, i) => {
    const f = join(dir, `${i}.pdf`);
    writeFileSync(f, b);
    return f;
  });
  const json = execFileSync(process.execPath, [join(ROOT, 'test/support/pdf-text.mjs'), ...files], { cwd: ROOT, maxBuffer: 64 << 20 });
  return (JSON.parse(json.toString()) as { pages: { items: { str: string }[] }[] }[]).map((d) => d.pages.map((p) => p.items.map((i) => i.str).join('')));
}

describe('the daily postal batch', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;

  beforeAll(async () => {
    t = await createTestApp({ workers: false, now: '2024-11-20T02:00:00.000Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
  });
  afterAll(async () => {
    await t?.close();
  });

  const receiptOf = async (caseId: string): Promise<string> => {
    const items = (await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(clerk))).body.items as { id: string; code: string }[];
    return items.find((l) => l.code === 'receipt')!.id;
  };
  const dispatchRows = async (ids: string[]) =>
    t.ds.query<{ id: string; dispatch_way: string | null; dispatched_on: string | null; dispatch_reference: string | null; state: string; delivered_on: string | null }[]>(
      `SELECT id, dispatch_way, dispatched_on::text AS dispatched_on, dispatch_reference, state, delivered_on::text AS delivered_on FROM letters WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );

  it('lists and prints the letters to post, an address sheet before each, then records the dispatch with waybills once', async () => {
    const jobs = t.app.get(LetterJobs);
    const idA = residentId('21110219800101001');
    const a = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '邮寄批次甲' }, { name: '王邮甲', idNumber: idA, phone: '13911112222', address: '辽宁省盘锦市兴隆台区石油大街1号（电话13911112222）' });
    const b = await intake(t, clerk, '2024-11-19', { delivery: 'post', description: '邮寄批次乙' }, { name: '李邮乙', address: '辽宁省盘锦市双台子区红旗大街2号' });
    const byMail = await intake(t, clerk, '2024-11-19', { delivery: 'email', description: '电子邮件送达' });
    const unrendered = await intake(t, clerk, '2024-11-20', { delivery: 'post', description: '尚未生成' }, { name: '赵未生', address: '辽宁省盘锦市大洼区3号' });
    const elsewhere = await intake(t, org.people['other.clerk'], '2024-11-19', { delivery: 'post', description: '他机关邮寄' });
    const [ra, rb, rm, ru] = [await receiptOf(a.id), await receiptOf(b.id), await receiptOf(byMail.id), await receiptOf(unrendered.id)];
    const re = (await t.http().get(`/api/v1/cases/${elsewhere.id}/letters`).set(bearer(org.people['other.clerk']))).body.items[0].id as string;
    for (const id of [ra, rb, rm, re]) expect(await jobs.render(id)).toBe('rendered');

    // the list: this agency's letters to post, oldest first, the unrendered one marked
    const list = await t.http().get('/api/v1/letters/postal-batch').set(bearer(clerk));
    expect(list.status).toBe(200);
    expect(list.body.on).toBe('2024-11-20');
    expect(list.body.items.map((i: { letterId: string; rendered: boolean }) => [i.letterId, i.rendered])).toEqual([
      [ra, true],
      [rb, true],
      [ru, false],
    ]);
    expect(list.body.items[0]).toMatchObject({ caseId: a.id, trackingNumber: a.trackingNumber, code: 'receipt', title: '政府信息公开申请接收回执', addresseeName: '王邮甲', datedOn: '2024-11-18' });
    // a batch of an earlier day leaves out later letters
    const earlier = await t.http().get('/api/v1/letters/postal-batch?on=2024-11-18').set(bearer(clerk));
    expect(earlier.body.items.map((i: { letterId: string }) => i.letterId)).toEqual([ra]);

    // the PDF: sheet A, receipt A's pages, sheet B, receipt B's pages
    const pdf = await t.http().get('/api/v1/letters/postal-batch/pdf').set(bearer(clerk)).buffer(true).parse(binary as never);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-letter-ids']).toBe(`${ra},${rb}`);
    const stored = async (id: string) => (await t.ds.query(`SELECT bytes FROM letter_pdfs WHERE letter_id = $1`, [id]))[0].bytes as Buffer;
    const [batch, letterA, letterB] = pagesOf(pdf.body as Buffer, await stored(ra), await stored(rb));
    expect(batch).toHaveLength(1 + letterA.length + 1 + letterB.length);
    const sheetA = batch[0];
    expect(sheetA).toContain('邮寄封面');
    expect(sheetA).toContain('王邮甲');
    expect(sheetA).toContain('辽宁省盘锦市兴隆台区石油大街1号');
    expect(sheetA).toContain('测试市教育局');
    expect(sheetA).toContain('政府信息公开申请接收回执');
    expect(batch.slice(1, 1 + letterA.length)).toEqual(letterA);
    const sheetB = batch[1 + letterA.length];
    expect(sheetB).toContain('李邮乙');
    expect(sheetB).toContain('辽宁省盘锦市双台子区红旗大街2号');
    expect(batch.slice(2 + letterA.length)).toEqual(letterB);
    // no identity number, no phone number anywhere in the batch
    const all = batch.join('\n');
    expect(all).not.toContain(idA);
    expect(all).not.toContain('13911112222');
    expect(all).not.toContain('13800000000');
    expect(all).not.toMatch(/1[3-9]\d{9}/);
    expect(all).not.toContain('赵未生');

    // who may: clerks and supervisors of the agency; not an auditor or an administrator
    expect((await t.http().get('/api/v1/letters/postal-batch').set(bearer(org.people['dept.supervisor']))).status).toBe(200);
    expect((await t.http().get('/api/v1/letters/postal-batch').set(bearer(org.people['dept.auditor']))).status).toBe(403);
    expect((await t.http().get('/api/v1/letters/postal-batch/pdf').set(bearer(org.people.admin))).status).toBe(403);
    expect((await t.http().get('/api/v1/letters/postal-batch?on=2024-11-21').set(bearer(clerk))).status).toBe(400);
    // the city office has nothing to post
    const none = await t.http().get('/api/v1/letters/postal-batch/pdf').set(bearer(org.people['city.clerk']));
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('NOT_FOUND');

    // refusals: each with its field, nothing written
    const dispatch = (body: Record<string, unknown>, who = clerk) => t.http().post('/api/v1/letters/postal-batch/dispatch').set(bearer(who)).send(body);
    const refusals: [Record<string, unknown>, string][] = [
      [{ waybills: { [ra]: 'EA123456789CN', [re]: 'EA123456788CN' } }, `waybills.${re}`],
      [{ waybills: { [ra]: 'EA123456789CN', [rm]: 'EA123456788CN' } }, `waybills.${rm}`],
      [{ waybills: { [ra]: 'EA123456789CN', [ru]: 'EA123456788CN' } }, `waybills.${ru}`],
      [{ waybills: { [ra]: 'EA123456789CN', '00000000-0000-4000-8000-000000000000': 'EA123456788CN' } }, 'waybills.00000000-0000-4000-8000-000000000000'],
      [{ waybills: { [ra]: 'EA1' } }, `waybills.${ra}`],
      [{ waybills: { [ra]: 'EA123456789CN', [rb]: 'ea123456789cn' } }, `waybills.${rb}`],
      [{ waybills: { 'not-a-uuid': 'EA123456789CN' } }, 'waybills.not-a-uuid'],
      [{ waybills: {} }, 'waybills'],
      [{ waybills: { [ra]: 'EA123456789CN' }, on: '2024-11-21' }, 'on'],
      [{ waybills: { [ra]: 'EA123456789CN' }, on: '2024-11-17' }, 'on'],
    ];
    for (const [body, field] of refusals) {
      const res = await dispatch(body);
      expect({ field, status: res.status, code: res.body.code }).toEqual({ field, status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    expect((await dispatch({ waybills: 'EA123456789CN' })).status).toBe(400);
    expect((await dispatch({ waybills: { [ra]: 'EA123456789CN' } }, org.people['dept.auditor'])).status).toBe(403);
    expect((await dispatchRows([ra, rb, rm, ru, re])).every((r) => r.dispatch_way === null)).toBe(true);

    // the dispatch
    const ok = await dispatch({ on: '2024-11-20', waybills: { [ra]: 'EA123456789CN', [rb]: '1234567890123' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ on: '2024-11-20', dispatched: [{ letterId: ra, waybillNumber: 'EA123456789CN' }, { letterId: rb, waybillNumber: '1234567890123' }] });
    const rows = await dispatchRows([ra, rb]);
    expect(rows.find((r) => r.id === ra)).toMatchObject({ dispatch_way: 'post', dispatched_on: '2024-11-20', dispatch_reference: 'EA123456789CN', state: 'issued', delivered_on: null });
    expect(rows.find((r) => r.id === rb)).toMatchObject({ dispatch_way: 'post', dispatched_on: '2024-11-20', dispatch_reference: '1234567890123' });
    // again the same: nothing changes; another waybill for a dispatched letter: 409
    expect((await dispatch({ on: '2024-11-20', waybills: { [ra]: 'EA123456789CN' } })).status).toBe(200);
    const again = await dispatch({ waybills: { [ra]: 'EA999999999CN' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
    expect((await dispatchRows([ra]))[0].dispatch_reference).toBe('EA123456789CN');
    // the batch now holds only the unrendered letter
    expect((await t.http().get('/api/v1/letters/postal-batch').set(bearer(clerk))).body.items.map((i: { letterId: string }) => i.letterId)).toEqual([ru]);

    // the signature date, recorded later, is the receipt; the dispatch stays as it was
    expect((await act(t, clerk, a.id, 'record-delivery', { letterId: ra, method: 'post', on: '2024-11-20' })).status).toBe(200);
    expect((await dispatchRows([ra]))[0]).toMatchObject({ state: 'delivered', delivered_on: '2024-11-20', dispatch_way: 'post', dispatched_on: '2024-11-20', dispatch_reference: 'EA123456789CN' });
  });

  it('record-delivery by fax (the transmission report’s day) and in person (the day collected) is the dispatch and the receipt', async () => {
    const f = await intake(t, clerk, '2024-11-18', { delivery: 'fax', description: '传真送达' });
    const p = await intake(t, clerk, '2024-11-18', { delivery: 'collect', description: '自取送达' });
    const [rf, rp] = [await receiptOf(f.id), await receiptOf(p.id)];
    expect((await act(t, clerk, f.id, 'record-delivery', { letterId: rf, method: 'fax', on: '2024-11-19' })).status).toBe(200);
    expect((await act(t, clerk, p.id, 'record-delivery', { letterId: rp, method: 'in_person', on: '2024-11-20' })).status).toBe(200);
    const rows = await dispatchRows([rf, rp]);
    expect(rows.find((r) => r.id === rf)).toMatchObject({ dispatch_way: 'fax', dispatched_on: '2024-11-19', state: 'delivered', delivered_on: '2024-11-19' });
    expect(rows.find((r) => r.id === rp)).toMatchObject({ dispatch_way: 'in_person', dispatched_on: '2024-11-20', state: 'delivered', delivered_on: '2024-11-20' });
    // neither is in the postal batch
    const list = (await t.http().get('/api/v1/letters/postal-batch').set(bearer(clerk))).body.items.map((i: { letterId: string }) => i.letterId);
    expect(list).not.toContain(rf);
    expect(list).not.toContain(rp);
  });
});
