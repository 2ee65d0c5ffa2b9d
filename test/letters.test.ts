/**
 * Letters written by the steps that imply them: numbered at issue in gapless series, the
 * reply following its sign-off, deliveries recorded, issued letters immutable, and the
 * applicant's letters on the portal.
 */
import { documentNumber } from '../src/statute/letter-catalogue';
import { LettersRepository } from '../src/letters/letters.repository';
import { act, applicationBody, intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

interface Letter {
  id: string;
  code: string;
  title: string;
  outcome: string | null;
  addressee: string;
  consultationId: string | null;
  state: string;
  datedOn: string | null;
  number: string | null;
  approvedBy: string | null;
  deliveredOn: string | null;
  deliveryMethod: string | null;
  rendered: boolean;
}

describe('letters', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;
  beforeAll(async () => {
    t = await createTestApp({ now: '2024-11-20T02:00:00Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
    const r = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(org.people.admin)).send({ letterPrefixes: { reply: '测教依复', receipt: '测教依收' } });
    expect(r.status).toBe(200);
  });
  afterAll(async () => t?.close());

  const letters = async (caseId: string, p: Person = sup): Promise<Letter[]> => {
    const r = await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(p));
    expect(r.status).toBe(200);
    return r.body.items;
  };
  const ok = async (p: Person, id: string, action: string, body: Record<string, unknown>) => {
    const r = await act(t, p, id, action, body);
    expect([action, r.status, r.body.code]).toEqual([action, 200, undefined]);
    return r.body;
  };
  const track = (tn: string, code: string) => t.http().get(`/api/v1/portal/applications/${tn}`).set('X-Query-Code', code).set('X-Forwarded-For', '198.51.100.7');

  it('follows a case from receipt to the delivered reply, each letter numbered in its own series', async () => {
    const c = await intake(t, clerk, '2024-11-04');
    let ls = await letters(c.id);
    expect(ls).toEqual([
      expect.objectContaining({ code: 'receipt', title: '政府信息公开申请接收回执', state: 'issued', datedOn: '2024-11-04', number: '测教依收〔2024〕1号', addressee: 'applicant', rendered: false }),
    ]);
    expect(ls[0].number).toBe(documentNumber('测教依收', 2024, 1));

    await ok(clerk, c.id, 'request-correction', { on: '2024-11-05', items: ['请明确所需信息的时间范围'] });
    await ok(clerk, c.id, 'record-correction', { on: '2024-11-06', content: '2024年1月至6月' });
    let cur = await ok(clerk, c.id, 'consult', { on: '2024-11-07', party: 'third_party', name: '某建设有限公司' });
    const third = cur.consultations[0].id;
    cur = await ok(clerk, c.id, 'consult', { on: '2024-11-07', party: 'other_agency', name: '测试市财政局', jointMaker: true });
    const agency = cur.consultations[1].id;
    ls = await letters(c.id);
    // the agency set no prefix for these series: the catalogue's stems
    expect(ls.slice(1).map((l) => [l.code, l.number, l.addressee, l.consultationId])).toEqual([
      ['correction_notice', '依补〔2024〕1号', 'applicant', null],
      ['consultation_notice', '依告〔2024〕1号', 'applicant', third],
      ['third_party_consultation', '依征〔2024〕1号', 'third_party', third],
      ['agency_consultation', '依函〔2024〕1号', 'other_agency', agency],
    ]);

    await ok(clerk, c.id, 'end-consultation', { on: '2024-11-12', consultationId: third, opinion: 'objection', note: '涉及商业秘密' });
    await ok(clerk, c.id, 'end-consultation', { on: '2024-11-13', consultationId: agency, opinion: 'consent' });
    await ok(clerk, c.id, 'request-extension', { on: '2024-11-14', days: 10, reason: '需调取档案' });
    expect((await letters(c.id)).map((l) => l.code)).not.toContain('extension_notice');
    await ok(sup, c.id, 'approve-extension', { on: '2024-11-15' });
    const ext = (await letters(c.id)).find((l) => l.code === 'extension_notice')!;
    expect(ext).toMatchObject({ state: 'issued', datedOn: '2024-11-15', number: '依延〔2024〕1号', approvedBy: sup.id });

    await ok(clerk, c.id, 'draft-reply', { outcome: 'withheld.third_party', reasons: '涉及商业秘密', withheldParts: ['投标报价'], grounds: ['withheld.third_party'] });
    let reply = (await letters(c.id)).filter((l) => l.code === 'reply');
    expect(reply).toEqual([expect.objectContaining({ state: 'draft', outcome: 'withheld.third_party', number: null, datedOn: null })]);
    await ok(clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '公共利益需要，决定公开' });
    await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
    reply = (await letters(c.id)).filter((l) => l.code === 'reply');
    expect(reply).toEqual([expect.objectContaining({ id: reply[0].id, state: 'approved', outcome: 'granted', approvedBy: sup.id, number: null })]);
    await ok(sup, c.id, 'return-reply', { reason: '请补充公开方式' });
    expect((await letters(c.id)).find((l) => l.code === 'reply')).toMatchObject({ state: 'draft', approvedBy: null });
    await ok(clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '公共利益需要，决定公开；以电子邮件提供' });
    await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
    await ok(clerk, c.id, 'issue-reply', { on: '2024-11-19' });
    ls = await letters(c.id);
    const issued = ls.filter((l) => l.code === 'reply');
    expect(issued).toEqual([expect.objectContaining({ id: reply[0].id, state: 'issued', outcome: 'granted', datedOn: '2024-11-19', number: '测教依复〔2024〕1号', approvedBy: sup.id })]);
    // Art 32: the objecting third party is told of the decision to disclose
    expect(ls.filter((l) => l.code === 'third_party_disclosure')).toEqual([
      expect.objectContaining({ addressee: 'third_party', consultationId: third, datedOn: '2024-11-19', number: '依决〔2024〕1号' }),
    ]);

    await ok(clerk, c.id, 'record-delivery', { of: 'reply', on: '2024-11-20', method: 'post', waybillNumber: 'EMS1234567890' });
    expect((await letters(c.id)).find((l) => l.code === 'reply')).toMatchObject({ state: 'delivered', deliveredOn: '2024-11-20', deliveryMethod: 'post', number: '测教依复〔2024〕1号' });

    // the applicant sees the letters sent to them, in order, and nothing of staff or third parties
    const p = await track(c.trackingNumber, c.queryCode);
    expect(p.status).toBe(200);
    expect(p.body.letters).toEqual([
      { code: 'receipt', title: '政府信息公开申请接收回执', number: '测教依收〔2024〕1号', issuedOn: '2024-11-04', deliveredOn: null, url: null, replaces: null },
      { code: 'correction_notice', title: '政府信息公开申请补正告知书', number: '依补〔2024〕1号', issuedOn: '2024-11-05', deliveredOn: null, url: null, replaces: null },
      { code: 'consultation_notice', title: '政府信息公开申请征求意见告知书', number: '依告〔2024〕1号', issuedOn: '2024-11-07', deliveredOn: null, url: null, replaces: null },
      { code: 'extension_notice', title: '政府信息公开申请延期答复告知书', number: '依延〔2024〕1号', issuedOn: '2024-11-15', deliveredOn: null, url: null, replaces: null },
      { code: 'reply', title: '政府信息公开申请答复书', number: '测教依复〔2024〕1号', issuedOn: '2024-11-19', deliveredOn: '2024-11-20', url: null, replaces: null },
    ]);
    expect(JSON.stringify(p.body)).not.toMatch(new RegExp(`${sup.id}|${clerk.id}|某建设|财政局`));
  });

  it('numbers gaplessly under concurrency, per agency and per year of the letter date', async () => {
    const before = (await letters((await intake(t, clerk, '2024-11-18')).id))[0].number;
    const n0 = Number(/〕(\d+)号$/.exec(before!)![1]);
    const made = await Promise.all(Array.from({ length: 20 }, () => intake(t, clerk, '2024-11-18')));
    const numbers: string[] = [];
    for (const c of made) numbers.push((await letters(c.id))[0].number!);
    expect(numbers.map((n) => Number(/〕(\d+)号$/.exec(n)![1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => n0 + 1 + i));
    // a letter dated last year goes into last year's series; another agency has its own
    const old = await intake(t, clerk, '2023-12-29');
    expect((await letters(old.id))[0].number).toBe('测教依收〔2023〕1号');
    const dist = await intake(t, org.people['district.clerk'], '2024-11-18');
    expect((await letters(dist.id, org.people['district.supervisor']))[0].number).toBe('依收〔2024〕1号');
  });

  it('gives a rolled-back step’s number back', async () => {
    const repo = t.app.get(LettersRepository);
    const c = await intake(t, clerk, '2024-11-18');
    const issue = (m: Parameters<LettersRepository['issue']>[0]) =>
      repo.issue(m, { caseId: c.id, agencyId: org.dept, code: 'delay_notice', outcome: null, addressee: 'applicant', consultationId: null, datedOn: '2024-11-18', at: new Date(), approvedBy: null });
    await expect(
      t.ds.transaction(async (m) => {
        expect((await issue(m)).number).toBe('依迟〔2024〕1号');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await t.ds.transaction((m) => issue(m))).number).toBe('依迟〔2024〕1号');
  });

  it('keeps issued letters unchanged: only delivery, and once the rendering, may be recorded', async () => {
    const c = await intake(t, clerk, '2024-11-18');
    const [l] = await letters(c.id);
    for (const sql of [
      `UPDATE letters SET number = 'x' WHERE id = $1`,
      `UPDATE letters SET dated_on = '2024-01-01' WHERE id = $1`,
      `UPDATE letters SET state = 'draft' WHERE id = $1`,
      `DELETE FROM letters WHERE id = $1`,
    ]) {
      await expect(t.ds.query(sql, [l.id])).rejects.toThrow(/immutable/);
    }
    await t.ds.query(`UPDATE letters SET rendered_at = now(), sha256 = repeat('a', 64), storage_key = 'letters/x.pdf' WHERE id = $1`, [l.id]);
    await expect(t.ds.query(`UPDATE letters SET sha256 = repeat('b', 64) WHERE id = $1`, [l.id])).rejects.toThrow(/immutable/);
    await expect(t.ds.query(`UPDATE letters SET state = 'issued', number = NULL WHERE id = $1`, [l.id])).rejects.toThrow();
    expect((await letters(c.id))[0]).toMatchObject({ number: l.number, rendered: true });
  });

  it('tells a lapse by the termination notice; a withdrawal cancels the draft and sends nothing', async () => {
    const a = await intake(t, clerk, '2024-09-02');
    await ok(clerk, a.id, 'request-correction', { on: '2024-09-03', items: ['请补充身份证明'], periodDays: 5 });
    await ok(clerk, a.id, 'conclude-lapsed', { on: '2024-11-20', reason: 'correction' });
    expect((await letters(a.id)).map((l) => [l.code, l.state, l.datedOn])).toEqual([
      ['receipt', 'issued', '2024-09-02'],
      ['correction_notice', 'issued', '2024-09-03'],
      ['termination_notice', 'issued', '2024-11-20'],
    ]);
    const w = await intake(t, clerk, '2024-11-18');
    await ok(clerk, w.id, 'draft-reply', { outcome: 'granted', reasons: '予以公开' });
    await ok(clerk, w.id, 'withdraw', { on: '2024-11-20', reason: '申请人书面撤回' });
    expect((await letters(w.id)).map((l) => [l.code, l.state])).toEqual([
      ['receipt', 'issued'],
      ['reply', 'cancelled'],
    ]);
  });

  it('tells the applicant of a case reopened after a corrected review: a receipt under its new number, and the old one points to it', async () => {
    const c = await intake(t, clerk, '2024-10-08');
    await ok(clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '现予公开' });
    await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
    await ok(clerk, c.id, 'issue-reply', { on: '2024-10-15' });
    await ok(clerk, c.id, 'record-review', { kind: 'reconsideration', filedOn: '2024-10-20', result: 'corrected', concludedOn: '2024-11-10', decisionReceivedOn: '2024-11-12' });
    const r = await act(t, sup, c.id, 'reopen', { on: '2024-11-12' });
    expect(r.status).toBe(201);
    const fresh = r.body as { id: string; trackingNumber: string };
    expect((await letters(fresh.id)).map((l) => [l.code, l.state, l.datedOn])).toEqual([['receipt', 'issued', '2024-11-12']]);
    // the applicant's query code follows the application to the new case
    const old = await track(c.trackingNumber, c.queryCode);
    expect(old.status).toBe(200);
    expect(old.body.reopenedAs).toBe(fresh.trackingNumber);
    const now = await track(fresh.trackingNumber, c.queryCode);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ state: 'in_progress', receiptDate: '2024-11-12', reopenedAs: null });
    expect(now.body.letters.map((l: { code: string }) => l.code)).toEqual(['receipt']);
  });

  it('sends a portal submission its receipt when the clerk confirms it, dated that day', async () => {
    const s = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.9').send(applicationBody());
    expect(s.status).toBe(201);
    const row: { id: string }[] = await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [s.body.trackingNumber]);
    const cityClerk = org.people['city.clerk'];
    expect(await letters(row[0].id, cityClerk)).toEqual([]);
    expect((await track(s.body.trackingNumber, s.body.queryCode)).body.letters).toEqual([]);
    await ok(cityClerk, row[0].id, 'confirm-receipt', { on: '2024-11-20' });
    expect((await letters(row[0].id, cityClerk)).map((l) => [l.code, l.datedOn, l.number])).toEqual([['receipt', '2024-11-20', '依收〔2024〕1号']]);
    expect((await track(s.body.trackingNumber, s.body.queryCode)).body.letters.map((l: Letter) => l.code)).toEqual(['receipt']);
  });

  it('documents the letters endpoint and the portal’s answer, field by field, in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    const ref = (r: { $ref: string }) => doc.components.schemas[r.$ref.split('/').pop()!];
    const listOp = doc.paths['/api/v1/cases/{id}/letters'].get;
    const list = ref(listOp.responses['200'].content['application/json'].schema);
    const letter = ref(list.properties.items.items);
    const view = ref(doc.paths['/api/v1/portal/applications/{trackingNumber}'].get.responses['200'].content['application/json'].schema);
    const portalLetter = ref(view.properties.letters.items);
    // what the API answers has exactly the documented fields
    const c = await intake(t, clerk, '2024-11-18');
    expect(Object.keys((await letters(c.id))[0]).sort()).toEqual(Object.keys(letter.properties).sort());
    const p = (await track(c.trackingNumber, c.queryCode)).body;
    expect(Object.keys(p).sort()).toEqual(Object.keys(view.properties).sort());
    expect(Object.keys(p.letters[0]).sort()).toEqual(Object.keys(portalLetter.properties).sort());
  });

  it('refuses letter prefixes for unknown series or with 〔〕, naming the field', async () => {
    for (const letterPrefixes of [{ notice: '测教依告' }, { reply: '测教〔依复' }, { reply: '' }, { reply: 5 }, ['测教依复']]) {
      const r = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(org.people.admin)).send({ letterPrefixes });
      expect([r.status, r.body.code, r.body.details.fields.map((f: { field: string }) => f.field)]).toEqual([400, 'VALIDATION_FAILED', ['letterPrefixes']]);
    }
  });
});
