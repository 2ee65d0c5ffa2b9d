/**
 * Art 35 and Art 36(六) over HTTP: the agency's thresholds flag an applicant at intake (and at confirmation);
 * a reasons request writes its letter and leaves the reply clock running; its answer and finding; every path to
 * `rejected.vexatious` and to a delayed reply, and every refusal, with nothing written; a repeated application
 * linked to the earlier reply, whose number and date come from the system; the intake hints naming them.
 */
import { act, applicationBody, intake, residentId } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const NOW = '2024-11-11T02:00:00Z'; // Monday 10:00 in Shanghai
const X = residentId('21110219800101001');
const Y = residentId('21110219800101002');

describe('flows: Art 35 and repeated applications', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  let clerk: Person;
  let sup: Person;
  let ip = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    org = await seedOrg(t);
    P = org.people;
    clerk = P['dept.clerk'];
    sup = P['dept.supervisor'];
  });
  afterAll(async () => t?.close());

  const get = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(clerk))).body;
  const letters = async (id: string) => (await t.http().get(`/api/v1/cases/${id}/letters`).set(bearer(clerk))).body.items as { code: string; state: string; number: string | null; datedOn: string | null }[];
  const historyCount = async (id: string) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM case_history WHERE case_id = $1`, [id]))[0].n);
  async function ok(p: Person, id: string, action: string, body: Record<string, unknown>) {
    const r = await act(t, p, id, action, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  /** refused with `code`, and nothing written */
  async function refused(p: Person, id: string, action: string, body: Record<string, unknown>, status: number, code: string) {
    const before = await get(id);
    const n = await historyCount(id);
    const r = await act(t, p, id, action, body, before.version);
    expect([action, r.status, r.body.code]).toEqual([action, status, code]);
    const after = await get(id);
    expect([after.version, after.updatedAt, await historyCount(id)]).toEqual([before.version, before.updatedAt, n]);
    return r.body;
  }
  async function conclude(id: string, on: string, outcome = 'granted') {
    await ok(clerk, id, 'draft-reply', { outcome, reasons: '经查，现予公开' });
    await ok(sup, id, 'approve-reply', { confidentialityReviewed: true });
    return ok(clerk, id, 'issue-reply', { on });
  }

  describe('Art 35', () => {
    it('an administrator sets the thresholds; bad ones are refused', async () => {
      const admin = P.admin;
      const bad = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ art35Thresholds: { perMonth: 0, windowDays: 7, perWindow: 2 } });
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const partial = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ art35Thresholds: { perMonth: 3 } });
      expect(partial.status).toBe(400);
      const byClerk = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(clerk)).send({ art35Thresholds: { perMonth: 3, windowDays: 7, perWindow: 2 } });
      expect(byClerk.status).toBe(403);
      const r = await t.http().patch(`/api/v1/agencies/${org.dept}`).set(bearer(admin)).send({ art35Thresholds: { perMonth: 3, windowDays: 7, perWindow: 2 } });
      expect(r.status).toBe(200);
      expect(r.body.art35Thresholds).toEqual({ perMonth: 3, windowDays: 7, perWindow: 2 });
      // an agency that set none has the defaults
      const other = await t.http().get(`/api/v1/agencies/${org.district}`).set(bearer(admin));
      expect(other.body.art35Thresholds).toEqual({ perMonth: 10, windowDays: 7, perWindow: 5 });
    });

    it('intake flags the applicant past a threshold, with the reason the clerk sees', async () => {
      const a = await intake(t, clerk, '2024-10-28', {}, { idNumber: X }); // October: not counted in November
      const b = await intake(t, clerk, '2024-11-01', {}, { idNumber: X });
      const c = await intake(t, clerk, '2024-11-04', {}, { idNumber: X });
      expect([a.art35Flag, b.art35Flag, c.art35Flag]).toEqual([null, null, null]); // window 11-04: 11-01 and 11-04 (2, not over 2)
      const d = await intake(t, clerk, '2024-11-05', {}, { idNumber: X }); // window 10-30..11-05: three
      expect(d.art35Flag).toEqual({ month: 3, window: 3, thresholds: { perMonth: 3, windowDays: 7, perWindow: 2 }, reasons: ['同一申请人7日内已向本机关提出申请3件，超过本机关设定的2件'] });
      const e = await intake(t, clerk, '2024-11-11', {}, { idNumber: X }); // month: four; window 11-05..11-11: two
      const flag = e.art35Flag as { reasons: string[] };
      expect(flag.reasons).toEqual(['同一申请人本自然月内已向本机关提出申请4件，超过本机关设定的3件']);
      expect((await get(e.id)).art35Flag).toEqual(e.art35Flag);
      const intakeRow = (await t.http().get(`/api/v1/cases/${e.id}/history`).set(bearer(clerk))).body.items[0];
      expect(intakeRow.payload.art35Flag).toEqual(flag.reasons);
      // another applicant, another agency: not counted
      expect((await intake(t, clerk, '2024-11-11', {}, { idNumber: Y })).art35Flag).toBeNull();
      expect((await intake(t, P['district.clerk'], '2024-11-11', {}, { idNumber: X })).art35Flag).toBeNull();
      // a portal submission is flagged when its receipt is confirmed
      const s = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', `198.51.100.${++ip}`).send(applicationBody({ agencyId: org.dept }, { idNumber: X }));
      const id = (await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [s.body.trackingNumber]))[0].id as string;
      expect((await get(id)).art35Flag).toBeNull();
      const confirmed = await ok(clerk, id, 'confirm-receipt', { on: '2024-11-11' });
      expect(confirmed.art35Flag.reasons).toHaveLength(2); // five this month, three within the week
      const h = (await t.http().get(`/api/v1/cases/${id}/history`).set(bearer(clerk))).body.items.at(-1);
      expect(h.payload.art35Flag).toEqual(confirmed.art35Flag.reasons);
    });

    it('request-reasons writes the letter and leaves the clock running; unanswered past the period, rejected.vexatious', async () => {
      const c = await intake(t, clerk, '2024-10-08', {}, { idNumber: X });
      const dueBefore = c.deadline.due;
      // not yet asked: neither outcome
      await refused(clerk, c.id, 'draft-reply', { outcome: 'rejected.vexatious', reasons: '无正当理由大量反复申请' }, 409, 'REASONS_NOT_ESTABLISHED');
      await refused(sup, c.id, 'set-delayed-reply', { on: '2024-10-10', until: '2024-12-31', reason: '申请数量众多' }, 409, 'REASONS_NOT_ESTABLISHED');
      await refused(clerk, c.id, 'record-reasons', { on: '2024-10-10', content: '说明', reasonable: true }, 409, 'REASONS_NOT_ESTABLISHED');
      // bad bodies
      for (const body of [{ on: '2024-10-09' }, { on: '2024-10-09', items: [] }, { on: '2024-10-09', items: ['x'], periodDays: 0 }, { on: '2024-10-09', items: ['x'], periodDays: 61 }, { on: '2099-01-01', items: ['x'] }, { on: '2024-10-01', items: ['x'] }]) {
        const r = await act(t, clerk, c.id, 'request-reasons', body);
        expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      }
      const r = await ok(clerk, c.id, 'request-reasons', { on: '2024-10-09', items: ['请说明短期内提出大量申请的理由'] });
      expect(r.reasonsRequest).toEqual({ requestedOn: '2024-10-09', items: ['请说明短期内提出大量申请的理由'], periodDays: 15, periodEnds: '2024-10-29', answeredOn: null, content: null, reasonable: null });
      expect(r.deadline.due).toBe(dueBefore); // the reply clock keeps running
      expect(r.state).toBe('in_progress');
      const ls = await letters(c.id);
      expect(ls.find((l) => l.code === 'reasons_request')).toMatchObject({ state: 'issued', datedOn: '2024-10-09', number: expect.stringMatching(/^依询〔2024〕\d+号$/) });
      // once per case
      await refused(clerk, c.id, 'request-reasons', { on: '2024-10-10', items: ['再次说明'] }, 409, 'TRANSITION_NOT_ALLOWED');
      // the period runs from the recorded delivery
      const d = await ok(clerk, c.id, 'record-delivery', { of: 'reasons_request', on: '2024-10-11', method: 'post' });
      expect(d.reasonsRequest.periodEnds).toBe('2024-10-31');
      // within the period, unanswered: not yet vexatious (today is 11-11: move the clock back to its last day)
      t.clock.set('2024-10-31T02:00:00Z');
      const early = await refused(clerk, c.id, 'draft-reply', { outcome: 'rejected.vexatious', reasons: '无正当理由' }, 409, 'REASONS_NOT_ESTABLISHED');
      expect(early.details).toEqual({ periodEnds: '2024-10-31' });
      t.clock.set('2024-11-01T02:00:00Z');
      const drafted = await ok(clerk, c.id, 'draft-reply', { outcome: 'rejected.vexatious', reasons: '申请人逾期未说明理由，本机关不予处理' });
      expect(drafted.state).toBe('reply_review');
      await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
      const done = await ok(clerk, c.id, 'issue-reply', { on: '2024-11-01' });
      expect(done).toMatchObject({ state: 'concluded', outcome: 'rejected.vexatious' });
      expect((await letters(c.id)).map((l) => l.code).sort()).toEqual(['reasons_request', 'receipt', 'reply']);
      t.clock.set(NOW);
    });

    it('answered and found unreasonable: rejected.vexatious, no delayed reply', async () => {
      const c = await intake(t, clerk, '2024-11-04', {}, { idNumber: X });
      await ok(clerk, c.id, 'request-reasons', { on: '2024-11-05', items: ['请说明理由'], periodDays: 5 });
      // the answer not before the request, and the finding a boolean
      await refused(clerk, c.id, 'record-reasons', { on: '2024-11-04', content: '说明', reasonable: false }, 400, 'VALIDATION_FAILED');
      await refused(clerk, c.id, 'record-reasons', { on: '2024-11-06', content: '说明', reasonable: 'no' }, 400, 'VALIDATION_FAILED');
      await refused(clerk, c.id, 'record-reasons', { on: '2024-11-06', content: '说明' }, 400, 'VALIDATION_FAILED');
      const r = await ok(clerk, c.id, 'record-reasons', { on: '2024-11-06', content: '为了解全部收文情况', reasonable: false });
      expect(r.reasonsRequest).toMatchObject({ answeredOn: '2024-11-06', content: '为了解全部收文情况', reasonable: false });
      const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(clerk))).body.items.at(-1);
      expect(h).toMatchObject({ action: 'record-reasons', on: '2024-11-06', payload: { content: '为了解全部收文情况', reasonable: false } });
      await refused(clerk, c.id, 'record-reasons', { on: '2024-11-07', content: '补充说明', reasonable: true }, 409, 'REASONS_NOT_ESTABLISHED');
      await refused(sup, c.id, 'set-delayed-reply', { on: '2024-11-07', until: '2024-12-31', reason: '数量众多' }, 409, 'REASONS_NOT_ESTABLISHED');
      const done = await conclude(c.id, '2024-11-11', 'rejected.vexatious');
      expect(done.outcome).toBe('rejected.vexatious');
    });

    it('answered and found reasonable: a delayed reply, never rejected.vexatious', async () => {
      const c = await intake(t, clerk, '2024-11-04', {}, { idNumber: X });
      await ok(clerk, c.id, 'request-reasons', { on: '2024-11-05', items: ['请说明理由'] });
      await refused(sup, c.id, 'set-delayed-reply', { on: '2024-11-06', until: '2024-12-31', reason: '数量众多' }, 409, 'REASONS_NOT_ESTABLISHED');
      await ok(clerk, c.id, 'record-reasons', { on: '2024-11-06', content: '系课题研究所需', reasonable: true });
      await refused(clerk, c.id, 'draft-reply', { outcome: 'rejected.vexatious', reasons: '无正当理由' }, 409, 'REASONS_NOT_ESTABLISHED');
      // a clerk may not set the date (supervisor only)
      await refused(clerk, c.id, 'set-delayed-reply', { on: '2024-11-07', until: '2024-12-31', reason: '数量众多' }, 403, 'FORBIDDEN');
      const r = await ok(sup, c.id, 'set-delayed-reply', { on: '2024-11-07', until: '2024-12-31', reason: '申请数量众多，理由合理但无法按期答复' });
      expect(r.deadline.due).toBe('2024-12-31');
      expect((await letters(c.id)).map((l) => l.code).sort()).toEqual(['delay_notice', 'reasons_request', 'receipt']);
    });
  });

  describe('repeated applications (Art 36(六))', () => {
    let earlier: { id: string; number: string; date: string };
    let open: string;
    let another: string;
    let elsewhere: string;

    beforeAll(async () => {
      const e = await intake(t, clerk, '2024-09-02', { description: '申请公开2024年度学校食堂食品安全抽检结果' }, { idNumber: Y });
      await conclude(e.id, '2024-09-10');
      const reply = (await letters(e.id)).find((l) => l.code === 'reply')!;
      earlier = { id: e.id, number: reply.number!, date: reply.datedOn! };
      open = (await intake(t, clerk, '2024-09-03', {}, { idNumber: Y })).id;
      const z = await intake(t, clerk, '2024-09-02', {}, { idNumber: residentId('21110219800101003') });
      await conclude(z.id, '2024-09-10');
      another = z.id;
      // the district's letters name its reconsideration body and court (a reply needs them)
      const set = await t.http().patch(`/api/v1/agencies/${org.district}`).set(bearer(P.admin)).send({ reconsiderationBody: '测试市人民政府', court: '测试市中级人民法院' });
      expect(set.status).toBe(200);
      const w = await intake(t, P['district.clerk'], '2024-09-02', {}, { idNumber: Y });
      await ok(P['district.clerk'], w.id, 'draft-reply', { outcome: 'granted', reasons: '经查，现予公开' });
      await ok(P['district.supervisor'], w.id, 'approve-reply', { confidentialityReviewed: true });
      await ok(P['district.clerk'], w.id, 'issue-reply', { on: '2024-09-10' });
      elsewhere = w.id;
    });

    it('the intake hints point at the earlier replies, with their number and date', async () => {
      const r = await t.http().post('/api/v1/cases').set(bearer(clerk)).send({ ...applicationBody({ description: '申请公开2024年度学校食堂食品安全抽检结果' }, { idNumber: Y }), channel: 'email', receiptDate: '2024-11-11' });
      expect(r.status).toBe(201);
      const hints = r.body.duplicateHints.earlier as { id: string; reply: { number: string; date: string } | null }[];
      expect(hints[0]).toMatchObject({ id: earlier.id, reply: { number: earlier.number, date: earlier.date } });
      expect(hints.find((h) => h.id === open)!.reply).toBeNull();
      // only the same agency's cases
      expect(hints.map((h) => h.id)).not.toContain(elsewhere);
      expect(hints.map((h) => h.id)).not.toContain(another);
    });

    it('names the earlier case; the letter data takes its reply’s number and date from the system', async () => {
      const c = await intake(t, clerk, '2024-11-11', { description: '申请公开2024年度学校食堂食品安全抽检结果' }, { idNumber: Y });
      const d = await ok(clerk, c.id, 'draft-reply', { outcome: 'rejected.duplicate', earlierReply: { caseId: earlier.id.toUpperCase() }, reasons: '已于此前答复' });
      expect(d.replyDraft.details.earlierReply).toEqual({ caseId: earlier.id, beforeSystem: false, documentNumber: earlier.number, date: earlier.date });
      await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
      const done = await ok(clerk, c.id, 'issue-reply', { on: '2024-11-11' });
      expect(done.outcomeDetails.earlierReply).toEqual({ caseId: earlier.id, beforeSystem: false, documentNumber: earlier.number, date: earlier.date });
      expect((await letters(c.id)).find((l) => l.code === 'reply')).toMatchObject({ state: 'issued' });
    });

    it('refuses a case that is not an answered one of the same applicant at this agency, and hand-given data without beforeSystem', async () => {
      const c = await intake(t, clerk, '2024-11-11', {}, { idNumber: Y });
      const bad: [Record<string, unknown>, string][] = [
        [{ caseId: open }, 'earlierReply.caseId'], // no reply yet
        [{ caseId: another }, 'earlierReply.caseId'], // another applicant
        [{ caseId: elsewhere }, 'earlierReply.caseId'], // another agency
        [{ caseId: '00000000-0000-4000-8000-000000000000' }, 'earlierReply.caseId'],
        [{ caseId: c.id }, 'earlierReply.caseId'],
        [{}, 'earlierReply.caseId'],
        [{ documentNumber: '依复〔2024〕1号', date: '2024-09-10' }, 'earlierReply.caseId'],
        [{ caseId: earlier.id, documentNumber: '依复〔2024〕1号' }, 'earlierReply.documentNumber'],
        [{ beforeSystem: true, documentNumber: '依复〔2018〕1号' }, 'earlierReply.date'],
        [{ beforeSystem: true, caseId: earlier.id, documentNumber: '依复〔2018〕1号', date: '2018-03-01' }, 'earlierReply.caseId'],
        [{ beforeSystem: true, documentNumber: '依复〔2018〕1号', date: '2099-03-01' }, 'earlierReply.date'],
        [{ caseId: 'not-a-uuid' }, 'earlierReply.caseId'],
      ];
      for (const [earlierReply, field] of bad) {
        const r = await refused(clerk, c.id, 'draft-reply', { outcome: 'rejected.duplicate', earlierReply }, 400, 'VALIDATION_FAILED');
        expect([JSON.stringify(earlierReply), r.details.fields[0].field]).toEqual([JSON.stringify(earlierReply), field]);
      }
      // before the system: by hand
      const d = await ok(clerk, c.id, 'draft-reply', { outcome: 'rejected.duplicate', earlierReply: { beforeSystem: true, documentNumber: '测教依复〔2018〕12号', date: '2018-03-01' } });
      expect(d.replyDraft.details.earlierReply).toEqual({ beforeSystem: true, documentNumber: '测教依复〔2018〕12号', date: '2018-03-01' });
    });
  });
});
