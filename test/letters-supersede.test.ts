/**
 * Corrections never edit: a supervisor supersedes a mistaken issued letter by a new one (new number, links both
 * ways, the old one `superseded` and still served to staff unchanged, the new one rendered by the workers). The
 * decision stays (outcome, conclusion date, annual report); the portal lists only current letters, saying which
 * one was replaced; each refusal writes nothing.
 */
import { createHash } from 'node:crypto';
import { CalendarService } from '../src/calendar/calendar.service';
import { PersonalDataCipher } from '../src/common/crypto/personal-data-cipher';
import { formatDayNumber, parseIsoDate } from '../src/statute/iso-date';
import { applicantPeriodEnd, CONSULTATION_RESPONSE_DAYS } from '../src/statute/reply-clock';
import { act, applicationBody, intake } from './support/cases';
import { pdfTexts } from './support/pdf-text';
import { eventually } from './support/smtp';
import { bearer, createTestApp, relogin, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

jest.setTimeout(240_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** supertest collects an application/pdf body as a Buffer with this parser */
const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The PDF's text as pdfjs-dist reads it back, every page's items joined. */
const pdfText = (bytes: Buffer): string => pdfTexts(bytes)[0];

interface Letter {
  id: string;
  code: string;
  state: string;
  number: string | null;
  datedOn: string | null;
  rendered: boolean;
  sha256: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  supersedeReason: string | null;
  signOffs: { step: number; name: string; by: string }[];
  confidentialityReviewedBy: string | null;
  approvedBy: string | null;
}

describe('superseding a mistaken letter', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;

  beforeAll(async () => {
    t = await createTestApp({ workers: true, env: { PUBLIC_URL: 'https://gk.example.cn' } });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
  });
  afterAll(async () => {
    await t?.close();
  });

  const lettersOf = async (caseId: string, p: Person = clerk): Promise<Letter[]> => {
    const res = await t.http().get(`/api/v1/cases/${caseId}/letters`).set(bearer(p));
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const pdfOf = (letterId: string, p: Person = clerk) => t.http().get(`/api/v1/letters/${letterId}/pdf`).set(bearer(p)).buffer(true).parse(binary as never);
  const rendered = (letterId: string) => eventually(async () => {
    const res = await pdfOf(letterId);
    return res.status === 200 ? (res.body as Buffer) : null;
  }, 120_000, `letter ${letterId} rendered`);
  const caseOf = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(clerk))).body;
  const supersede = (letterId: string, p: Person, body: Record<string, unknown>) => t.http().post(`/api/v1/letters/${letterId}/supersede`).set(bearer(p)).send(body);

  /** What a refused supersede must leave as it was: the case's version and history, and its letters. */
  const snapshot = async (caseId: string) => ({
    version: (await caseOf(caseId)).version as number,
    history: (await t.http().get(`/api/v1/cases/${caseId}/history`).set(bearer(clerk))).body.items.length as number,
    letters: (await lettersOf(caseId)).map((l) => `${l.id} ${l.state} ${l.number} ${l.supersededBy}`),
    series: (await t.ds.query(`SELECT coalesce(sum(last_number), 0)::int AS n FROM letter_series WHERE agency_id = $1`, [org.dept]))[0].n as number,
  });

  /** A concluded 2024 case whose reply (36(五)) names the competent agency wrongly. */
  async function repliedCase(description: string) {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description });
    expect((await act(t, clerk, c.id, 'draft-reply', { outcome: 'unavailable.not_held', competentAgency: { name: '测试市交通局' }, reasons: '经检索，本机关未制作、获取该信息。' })).status).toBe(200);
    expect((await act(t, sup, c.id, 'approve-reply', { confidentialityReviewed: true })).status).toBe(200);
    expect((await act(t, clerk, c.id, 'issue-reply', { on: '2024-11-25' })).status).toBe(200);
    const reply = (await lettersOf(c.id)).find((l) => l.code === 'reply')!;
    return { c, reply, pdf: await rendered(reply.id) };
  }

  it('replaces a reply by a new numbered letter; the old PDF stays for staff; the decision and the annual report stay', async () => {
    const { c, reply, pdf: oldPdf } = await repliedCase('申请获取某道路改造工程的立项批复文件');
    expect(pdfText(oldPdf)).toContain('测试市交通局');
    const annual = async () => (await t.http().get(`/api/v1/reports/annual?year=2024&agencyId=${org.dept}`).set(bearer(sup))).body;
    const reportBefore = await annual();
    const before = await caseOf(c.id);
    const res = await supersede(reply.id, sup, {
      expectedVersion: before.version,
      reason: '负责公开该信息的机关名称有误',
      confidentialityReviewed: true,
      reply: { competentAgency: { name: '测试市交通运输局', contact: '0427-2800000' } },
    });
    expect(res.status).toBe(201);
    const { superseded, replacement } = res.body as { superseded: Letter; replacement: Letter };
    const year = Number(replacement.datedOn!.slice(0, 4));
    expect(superseded).toMatchObject({ id: reply.id, state: 'superseded', supersededBy: replacement.id, number: reply.number, sha256: reply.sha256 ?? expect.any(String) });
    expect(replacement).toMatchObject({ code: 'reply', state: 'issued', supersedes: reply.id, supersedeReason: '负责公开该信息的机关名称有误', approvedBy: sup.id, confidentialityReviewedBy: sup.id });
    expect(replacement.signOffs).toEqual([expect.objectContaining({ step: 1, name: '更正签发', by: sup.id })]);
    expect(replacement.number).toMatch(new RegExp(`〔${year}〕\\d+号$`));
    expect(replacement.number).not.toBe(reply.number);
    // the number is the next of its series: gapless
    const [series] = await t.ds.query(`SELECT last_number FROM letter_series WHERE agency_id = $1 AND year = $2 AND series = (SELECT series FROM letters WHERE id = $3)`, [org.dept, year, replacement.id]);
    expect(replacement.number).toMatch(new RegExp(`〔${year}〕${series.last_number}号$`));

    // the decision stays; the history records the correction in the same transaction
    const after = await caseOf(c.id);
    expect(after).toMatchObject({ state: before.state, outcome: 'unavailable.not_held', concludedOn: '2024-11-25', version: before.version + 1 });
    const history = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'supersede-letter', payload: expect.objectContaining({ letterId: reply.id, replacementId: replacement.id, replacementNumber: replacement.number, reason: '负责公开该信息的机关名称有误' }) });
    expect((await annual()).applications).toEqual(reportBefore.applications);

    // the old PDF unchanged for staff; the new one rendered by the workers, parsed back
    const old = await pdfOf(reply.id);
    expect(old.status).toBe(200);
    expect(sha(old.body as Buffer)).toBe(sha(oldPdf));
    const newPdf = await rendered(replacement.id);
    const text = pdfText(newPdf);
    expect(text).toContain('测试市交通运输局');
    expect(text).not.toContain('测试市交通局');
    expect(text).toContain(replacement.number!.replace(/\s/g, ''));
    expect(text).toContain('第三十六条第（五）项');
    expect(text).toContain(`${year}年`);

    // the portal lists only the current letter, saying which one it replaces; the old one is not downloadable there
    const view = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
    expect(view.status).toBe(200);
    const numbers = view.body.letters.map((l: { number: string }) => l.number);
    expect(numbers).toContain(replacement.number);
    expect(numbers).not.toContain(reply.number);
    const current = view.body.letters.find((l: { number: string }) => l.number === replacement.number);
    expect(current.replaces).toBe(`本文书更正并替代2024年11月25日印发的${reply.number}，原文书不再有效。`);
    expect(view.body.letters.filter((l: { replaces: string | null }) => l.replaces !== null)).toHaveLength(1);
    const portalOld = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}/letters/${reply.id}/pdf`).set('X-Query-Code', c.queryCode);
    expect(portalOld.status).toBe(404);

    // a superseded letter is superseded once; the database keeps both links and the old state
    const snap = await snapshot(c.id);
    const again = await supersede(reply.id, sup, { expectedVersion: after.version, reason: '再次更正', confidentialityReviewed: true });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('LETTER_ALREADY_SUPERSEDED');
    expect(await snapshot(c.id)).toEqual(snap);
    await expect(t.ds.query(`UPDATE letters SET state = 'issued' WHERE id = $1`, [reply.id])).rejects.toThrow(/immutable/);
    await expect(t.ds.query(`UPDATE letters SET superseded_by = $2 WHERE id = $1`, [reply.id, c.id])).rejects.toThrow(/immutable/);
    await expect(t.ds.query(`UPDATE letters SET supersedes = NULL WHERE id = $1`, [replacement.id])).rejects.toThrow(/immutable/);

    // the replacement itself may be corrected again (a chain), with the text as corrected before
    const chain = await supersede(replacement.id, sup, { expectedVersion: after.version, reason: '补充联系方式', confidentialityReviewed: true, reply: { reasons: '经检索，本机关未制作、获取该信息；该信息由测试市交通运输局负责公开。' } });
    expect(chain.status).toBe(201);
    const [facts] = await t.ds.query(`SELECT facts FROM letters WHERE id = $1`, [chain.body.replacement.id]);
    expect(facts.facts.competentAgency).toEqual({ name: '测试市交通运输局', contact: '0427-2800000' });
  });

  it('record-delivery names a superseded letter exactly by letterId (it stays superseded); `of` takes the current one', async () => {
    const { c, reply } = await repliedCase('送达登记与更正文书');
    const v = (await caseOf(c.id)).version;
    const res = await supersede(reply.id, sup, { expectedVersion: v, reason: '理由表述有误', confidentialityReviewed: true, reply: { reasons: '经检索，本机关没有该信息。' } });
    expect(res.status).toBe(201);
    const replacementId = res.body.replacement.id as string;
    // the replacement's date: today in Asia/Shanghai
    const today = res.body.replacement.datedOn as string;
    expect((await act(t, clerk, c.id, 'record-delivery', { letterId: reply.id, method: 'post', on: '2024-11-28' })).status).toBe(200);
    const [old] = await t.ds.query(`SELECT state, delivered_on::text AS d FROM letters WHERE id = $1`, [reply.id]);
    expect(old).toEqual({ state: 'superseded', d: '2024-11-28' });
    const byCode = await act(t, clerk, c.id, 'record-delivery', { of: 'reply', method: 'in_person', on: today });
    expect(byCode.status).toBe(200);
    const [cur] = await t.ds.query(`SELECT state, delivered_on::text AS d FROM letters WHERE id = $1`, [replacementId]);
    expect(cur).toEqual({ state: 'delivered', d: today });
    // the case's record names the letter each delivery was for
    expect((await caseOf(c.id)).deliveries).toEqual([
      expect.objectContaining({ of: 'reply', letterId: reply.id, on: '2024-11-28' }),
      expect.objectContaining({ of: 'reply', on: today }),
    ]);
  });

  it('record-delivery by letterId names one of several consultations: its response period runs from that receipt', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '两个第三方征求意见' });
    const consult = (on: string, name: string) => act(t, clerk, c.id, 'consult', { on, party: 'third_party', name, address: '辽宁省盘锦市兴隆台区某路1号' });
    expect((await consult('2024-11-19', '第一公司')).status).toBe(200);
    expect((await consult('2024-11-21', '第二公司')).status).toBe(200);
    const [first, second] = (await caseOf(c.id)).consultations as { id: string; name: string }[];
    const letterOf = async (consultationId: string) => (await t.ds.query(`SELECT id FROM letters WHERE case_id = $1 AND code = 'third_party_consultation' AND consultation_id = $2`, [c.id, consultationId]))[0].id as string;
    // the first party received its letter after the second letter went out: by kind alone the day would go to the second
    const res = await act(t, clerk, c.id, 'record-delivery', { letterId: await letterOf(first.id), method: 'post', on: '2024-11-25' });
    expect(res.status).toBe(200);
    expect(res.body.deliveries.at(-1)).toMatchObject({ of: 'third_party_consultation', letterId: await letterOf(first.id), consultationId: first.id });
    const by = Object.fromEntries((res.body.periods.consultationsRespondBy as { consultationId: string; date: string }[]).map((k) => [k.consultationId, k.date]));
    // 15 working days from 2024-11-25 for the first, from its letter's day (2024-11-21) for the second
    expect(by[first.id]).toBe('2024-12-16');
    expect(by[second.id]).toBe('2024-12-12');
  });

  it('refuses, writing nothing: a clerk, the parent agency, another agency, a draft, no 保密审查, a text the outcome does not take, a stale version', async () => {
    const { c, reply } = await repliedCase('拒绝更正的各种情形');
    const v = (await caseOf(c.id)).version;
    const good = { expectedVersion: v, reason: '更正', confidentialityReviewed: true };
    const snap = await snapshot(c.id);
    const cases: [Person, Record<string, unknown>, number, string, string?][] = [
      [clerk, good, 403, 'FORBIDDEN'],
      [org.people['city.supervisor'], good, 403, 'FORBIDDEN'],
      [org.people['other.supervisor'], good, 404, 'NOT_FOUND'],
      [org.people['district.supervisor'], good, 404, 'NOT_FOUND'],
      [org.people.admin, good, 403, 'FORBIDDEN'],
      [sup, { ...good, confidentialityReviewed: undefined }, 400, 'VALIDATION_FAILED', 'confidentialityReviewed'],
      [sup, { ...good, reply: { withheldParts: ['某部分'] } }, 400, 'VALIDATION_FAILED', 'reply.withheldParts'],
      [sup, { ...good, reply: { outcome: 'granted' } }, 400, 'VALIDATION_FAILED'],
      [sup, { ...good, reason: '' }, 400, 'VALIDATION_FAILED', 'reason'],
      [sup, { ...good, expectedVersion: v - 1 }, 409, 'CASE_VERSION_CONFLICT'],
    ];
    for (const [who, body, status, code, field] of cases) {
      const res = await supersede(reply.id, who, body);
      expect([who.username, res.status, res.body.code]).toEqual([who.username, status, code]);
      if (field) expect(JSON.stringify(res.body.details)).toContain(field);
    }
    expect((await supersede('00000000-0000-4000-8000-000000000000', sup, good)).status).toBe(404);
    expect(await snapshot(c.id)).toEqual(snap);

    // a draft reply is changed by drafting again, not superseded
    const d = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '草稿不能更正' });
    expect((await act(t, clerk, d.id, 'draft-reply', { outcome: 'granted', reasons: '现予公开。' })).status).toBe(200);
    const draft = (await lettersOf(d.id)).find((l) => l.code === 'reply')!;
    const dsnap = await snapshot(d.id);
    const res = await supersede(draft.id, sup, { expectedVersion: (await caseOf(d.id)).version, reason: '更正', confidentialityReviewed: true });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LETTER_NOT_ISSUED');
    expect(await snapshot(d.id)).toEqual(dsnap);
  });

  it('a notice is made again from the case as it stands, and a blank refuses it (LETTER_DATA_MISSING)', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'online', description: '补正告知书更正' });
    expect((await act(t, clerk, c.id, 'request-correction', { on: '2024-11-19', items: ['请写明所需文件的年份'] })).status).toBe(200);
    const notice = (await lettersOf(c.id)).find((l) => l.code === 'correction_notice')!;
    await rendered(notice.id);
    const v = (await caseOf(c.id)).version;
    const withText = await supersede(notice.id, sup, { expectedVersion: v, reason: '更正', reply: { reasons: 'x' } });
    expect(withText.status).toBe(400);
    expect(withText.body.details.fields).toEqual([expect.objectContaining({ field: 'reply' })]);
    const ok = await supersede(notice.id, sup, { expectedVersion: v, reason: '告知书文字有误' });
    expect(ok.status).toBe(201);
    expect(ok.body.replacement).toMatchObject({ code: 'correction_notice', supersedes: notice.id, approvedBy: sup.id });
    expect(pdfText(await rendered(ok.body.replacement.id))).toContain('请写明所需文件的年份');

    // a reply's remedies sentence needs the court: without it the corrected reply is refused, nothing written
    const { c: r, reply } = await repliedCase('缺少管辖法院');
    await t.ds.query(`UPDATE agencies SET court = NULL WHERE id = $1`, [org.dept]);
    try {
      const snap = await snapshot(r.id);
      const res = await supersede(reply.id, sup, { expectedVersion: (await caseOf(r.id)).version, reason: '更正', confidentialityReviewed: true });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LETTER_DATA_MISSING');
      expect(res.body.details.missing).toContain('court');
      expect(await snapshot(r.id)).toEqual(snap);
    } finally {
      await t.ds.query(`UPDATE agencies SET court = '测试区人民法院' WHERE id = $1`, [org.dept]);
    }
  });

  it('the receipt of a clerk-logged application prints its query code, erased from the row once rendered', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '回执印有查询码' });
    const [receipt] = await lettersOf(c.id);
    const text = pdfText(await rendered(receipt.id));
    expect(text).toContain(c.queryCode);
    expect(text).toContain(c.trackingNumber);
    const [row] = await t.ds.query(`SELECT sealed_query_code FROM letters WHERE id = $1`, [receipt.id]);
    expect(row.sealed_query_code).toBeNull();
  });

  it('reset-query-code on an unconfirmed submission holds the new code for the confirmation receipt, which prints it; a discard erases it', async () => {
    const submit = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.61').send(applicationBody({ agencyId: org.dept, description: '未确认前重置查询码' }));
    expect(submit.status).toBe(201);
    const { trackingNumber, queryCode } = submit.body as { trackingNumber: string; queryCode: string };
    const [{ id }] = await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [trackingNumber]);
    const track = (code: string) => t.http().get(`/api/v1/portal/applications/${trackingNumber}`).set('X-Query-Code', code);
    const cipher = t.app.get(PersonalDataCipher);
    const held = async () => t.ds.query<{ id: string; state: string; sealed_query_code: string | null; row: string }[]>(`SELECT id, state, sealed_query_code, row_to_json(letters)::text AS row FROM letters WHERE case_id = $1`, [id]);

    expect((await act(t, sup, id, 'reset-query-code')).status).toBe(200);
    expect((await track(queryCode)).status).toBe(404);
    const [first] = await held();
    expect(first.state).toBe('draft');
    const code1 = cipher.decrypt(first.sealed_query_code!);
    expect(first.row).not.toContain(code1);
    expect((await track(code1)).status).toBe(200);
    // the pending receipt is no draft to preview: it is issued at confirmation
    const preview = await t.http().get(`/api/v1/letters/${first.id}/preview`).set(bearer(clerk));
    expect([preview.status, preview.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);

    // a second reset replaces the held code
    expect((await act(t, sup, id, 'reset-query-code')).status).toBe(200);
    const pending = await held();
    expect(pending).toHaveLength(1);
    const code2 = cipher.decrypt(pending[0].sealed_query_code!);
    expect(code2).not.toBe(code1);
    expect((await track(code1)).status).toBe(404);

    // confirmation issues the receipt, which prints the held code; the code is erased once the receipt is rendered
    expect((await act(t, clerk, id, 'confirm-receipt')).status).toBe(200);
    const letters = await lettersOf(id);
    expect(letters.map((l) => [l.code, l.state])).toEqual([['receipt', 'issued']]);
    const text = pdfText(await rendered(letters[0].id));
    expect(text).toContain(code2);
    expect(text).toContain(trackingNumber);
    const [after] = await held();
    expect(after.sealed_query_code).toBeNull();
    expect(after.row).not.toContain(code2);
    const view = await track(code2);
    expect(view.status).toBe(200);
    expect(view.body.letters.map((l: { number: string }) => l.number)).toEqual([letters[0].number]);

    // a discarded submission keeps no code for a receipt that will never be issued
    const other = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.62').send(applicationBody({ agencyId: org.dept, description: '重置后作废' }));
    const [{ id: otherId }] = await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [other.body.trackingNumber]);
    expect((await act(t, sup, otherId, 'reset-query-code')).status).toBe(200);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM letters WHERE case_id = $1 AND sealed_query_code IS NOT NULL`, [otherId])).toEqual([{ n: 1 }]);
    expect((await act(t, clerk, otherId, 'discard', { reason: '重复提交' })).status).toBe(200);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM letters WHERE case_id = $1`, [otherId])).toEqual([{ n: 0 }]);
  });

  // last: it moves the clock on (and back at the end)
  it('a superseded notice’s receipt never moves the period: the correction period and a consultation’s run from the receipt of the letter in force, else from its day', async () => {
    const c = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '补正通知书更正后的送达' });
    expect((await act(t, clerk, c.id, 'request-correction', { on: '2024-11-19', items: ['请写明所需文件的年份'] })).status).toBe(200);
    const notice = (await lettersOf(c.id)).find((l) => l.code === 'correction_notice')!;
    await rendered(notice.id);
    const cal = t.app.get(CalendarService).current();
    const { periodDays } = (await caseOf(c.id)).correction as { periodDays: number };
    const periodFrom = (on: string) => applicantPeriodEnd(on, periodDays, cal).date;
    const day = (n: number) => formatDayNumber(parseIsoDate(t.clock.today())! + n);
    // a consulted third party's letter, corrected the same way: its 15 working days run from the letter in force
    const k = await intake(t, clerk, '2024-11-18', { delivery: 'post', description: '征求意见书更正后的送达' });
    expect((await act(t, clerk, k.id, 'consult', { on: '2024-11-19', party: 'third_party', name: '第三公司', address: '辽宁省盘锦市兴隆台区某路1号' })).status).toBe(200);
    const consultation = (await lettersOf(k.id)).find((l) => l.code === 'third_party_consultation')!;
    await rendered(consultation.id);
    const respondFrom = (on: string) => applicantPeriodEnd(on, CONSULTATION_RESPONSE_DAYS, cal).date;
    const respondBy = (body: { periods: { consultationsRespondBy: { date: string }[] } }) => body.periods.consultationsRespondBy.map((x) => x.date);
    const start = t.clock.now();
    try {
      const res = await supersede(notice.id, sup, { expectedVersion: (await caseOf(c.id)).version, reason: '补正通知书文字有误' });
      expect(res.status).toBe(201);
      const replacement = res.body.replacement as Letter;
      const T = replacement.datedOn!;
      expect(T).toBe(day(0));
      // the record of the correction keeps its day; the notice in force is dated anew, and the period runs from it
      let view = await caseOf(c.id);
      expect(view.correction).toMatchObject({ requestedOn: '2024-11-19', noticeOn: T });
      expect(view.periods.correctionPeriodEnds).toBe(periodFrom(T));
      // the replacement states the same period
      const [facts] = await t.ds.query(`SELECT facts->>'correctionDueDate' AS due FROM letters WHERE id = $1`, [replacement.id]);
      expect(facts.due).toBe(periodFrom(T));
      // and the staff's reminder that the period lapsed follows it (the first notice's is cancelled)
      const lapsedReminders = async () => (await t.ds.query(`SELECT data->>'periodEnded' AS ended FROM scheduled_actions WHERE case_id = $1 AND kind = 'correction_lapsed' AND status = 'pending'`, [c.id])).map((r: { ended: string }) => r.ended);
      expect(await lapsedReminders()).toEqual([periodFrom(T)]);
      const kr = await supersede(consultation.id, sup, { expectedVersion: (await caseOf(k.id)).version, reason: '被征求意见方的地址有误' });
      expect(kr.status).toBe(201);
      const kReplacement = kr.body.replacement as Letter;
      const kView = await caseOf(k.id);
      expect(kView.consultations[0]).toMatchObject({ openedOn: '2024-11-19', noticeOn: T });
      expect(respondBy(kView)).toEqual([respondFrom(T)]);

      // three days on: the first notice's receipt is recorded (by letterId), then the replacement's, a day after it went out
      t.clock.advance(3 * 86_400_000);
      const clerk2 = await relogin(t, clerk);
      const old = await act(t, clerk2, c.id, 'record-delivery', { letterId: notice.id, method: 'post', on: day(0) });
      expect(old.status).toBe(200);
      expect(old.body.deliveries.at(-1)).toMatchObject({ of: 'correction_notice', letterId: notice.id, on: day(0), superseded: true });
      // a fact of that letter only: the period still runs from the day the replacement went out
      expect(old.body.periods.correctionPeriodEnds).toBe(periodFrom(T));
      const [oldRow] = await t.ds.query(`SELECT state, delivered_on::text AS d FROM letters WHERE id = $1`, [notice.id]);
      expect(oldRow).toEqual({ state: 'superseded', d: day(0) });
      const current = await act(t, clerk2, c.id, 'record-delivery', { letterId: replacement.id, method: 'post', on: day(-2) });
      expect(current.status).toBe(200);
      expect(current.body.deliveries.at(-1)).not.toHaveProperty('superseded');
      expect(current.body.periods.correctionPeriodEnds).toBe(periodFrom(day(-2)));
      // recorded after the replacement's receipt, a later receipt of the old one moves nothing either
      const later = await act(t, clerk2, c.id, 'record-delivery', { letterId: notice.id, method: 'in_person', on: day(0) });
      expect(later.status).toBe(200);
      expect(later.body.periods.correctionPeriodEnds).toBe(periodFrom(day(-2)));
      expect(await lapsedReminders()).toEqual([periodFrom(day(-2))]);
      // the consultation alike: a receipt named exactly counts, the latest recorded first, unless it is the old letter's
      const kOld = await act(t, clerk2, k.id, 'record-delivery', { letterId: consultation.id, method: 'post', on: day(0) });
      expect(kOld.body.deliveries.at(-1)).toMatchObject({ consultationId: kView.consultations[0].id, superseded: true });
      expect(respondBy(kOld.body)).toEqual([respondFrom(T)]);
      expect(respondBy((await act(t, clerk2, k.id, 'record-delivery', { letterId: kReplacement.id, method: 'post', on: day(-2) })).body)).toEqual([respondFrom(day(-2))]);
      expect(respondBy((await act(t, clerk2, k.id, 'record-delivery', { letterId: consultation.id, method: 'in_person', on: day(0) })).body)).toEqual([respondFrom(day(-2))]);
      view = (await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(clerk2))).body;
      expect(view.deliveries.map((d: { letterId: string; superseded?: boolean }) => [d.letterId, d.superseded ?? false])).toEqual([[notice.id, true], [replacement.id, false], [notice.id, true]]);
      // the applicant sees the replacement, received, saying it replaces the first notice
      const portal = await t.http().get(`/api/v1/portal/applications/${c.trackingNumber}`).set('X-Query-Code', c.queryCode);
      expect(portal.body.letters.filter((l: { code: string }) => l.code === 'correction_notice')).toEqual([
        expect.objectContaining({ number: replacement.number, deliveredOn: day(-2), replaces: expect.stringContaining(`印发的${notice.number}`) }),
      ]);
    } finally {
      t.clock.set(start);
    }
  });
});
