/**
 * The reply clock through the HTTP API: the worked `clock` examples of
 * test/fixtures/deadline-cases.json driven with their dates, and every statutory guard.
 * Dates used below (official 2024 arrangement): received 2024-09-27 (Fri) → the correction
 * window ends 2024-10-12 (an adjusted Saturday), the reply is due 2024-10-30.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { intake } from './support/cases';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

interface ClockEvent {
  type: 'pause' | 'resume' | 'extend' | 'correction_received';
  on?: string;
  reason?: 'third_party' | 'other_agency' | 'fee';
  days?: number;
}
interface ClockExample {
  receipt: string;
  events: ClockEvent[];
  due: string;
}
const FIXTURE = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'deadline-cases.json'), 'utf8')) as { clock: ClockExample[] };

/** The calendar day after `d`. */
function nextDay(d: string): string {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
}

describe('cases: deadlines through the API', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-11-20T02:00:00Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
  });
  afterAll(async () => t?.close());

  /** 10:00 in Shanghai on that day (sign in again when the tokens would have expired by then, or when the clock went back before they were issued: a token issued in the future is refused). */
  let signedInAt = new Date('2024-11-20T02:00:00Z').getTime();
  const at = async (day: string) => {
    t.clock.set(`${day}T02:00:00Z`);
    const now = t.clock.now().getTime();
    if (now >= signedInAt && now < signedInAt + 5 * 60_000) return;
    for (const p of [clerk, sup]) {
      const r = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
      p.token = r.body.accessToken;
    }
    signedInAt = now;
  };
  const get = async (id: string) => (await t.http().get(`/api/v1/cases/${id}`).set(bearer(sup))).body;
  const act = async (p: Person, id: string, action: string, body: Record<string, unknown>) => {
    const v = (await get(id)).version;
    return t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send({ expectedVersion: v, ...body });
  };
  /** An action that must succeed. */
  const ok = async (p: Person, id: string, action: string, body: Record<string, unknown>) => {
    const r = await act(p, id, action, body);
    if (r.status !== 200) throw new Error(`${action} ${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  /** An action refused with 409 `code`, writing nothing. */
  const refused = async (p: Person, id: string, action: string, body: Record<string, unknown>, code: string) => {
    const before = await get(id);
    const r = await act(p, id, action, body);
    expect([action, r.status, r.body.code]).toEqual([action, 409, code]);
    expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const after = await get(id);
    expect(after.version).toBe(before.version);
    return r.body;
  };

  describe('the worked examples of deadline-cases.json', () => {
    it.each(FIXTURE.clock.map((ex, i) => [i, ex.receipt, ex.due, ex] as const))('example %i: received %s → due %s', async (_i, _r, _d, ex) => {
      const dates = [ex.receipt, ...ex.events.map((e) => e.on).filter((d): d is string => !!d)];
      const last = dates.reduce((a, b) => (a > b ? a : b));
      await at(nextDay(last));
      const c = await intake(t, clerk, ex.receipt);
      let lastOn = ex.receipt;
      let openPause: 'consultation' | 'fee' | null = null;
      for (const e of ex.events) {
        switch (e.type) {
          case 'correction_received':
            // asked for on the receipt date (inside the 7 working days), received on the event's date
            await ok(clerk, c.id, 'request-correction', { on: ex.receipt, items: ['请明确所需信息的名称'] });
            await ok(clerk, c.id, 'record-correction', { on: e.on, content: '补正：所需信息为……' });
            break;
          case 'pause':
            if (e.reason === 'fee') {
              await ok(clerk, c.id, 'notify-fee', { on: e.on, tariff: 'per_page', pages: 200 });
              openPause = 'fee';
            } else {
              await ok(clerk, c.id, 'consult', { on: e.on, party: e.reason, name: e.reason === 'third_party' ? '某有限公司' : '测试市财政局' });
              openPause = 'consultation';
            }
            break;
          case 'resume':
            if (openPause === 'fee') await ok(clerk, c.id, 'record-payment', { on: e.on, receiptNumber: `R${e.on}`, amount: 2700 });
            else await ok(clerk, c.id, 'end-consultation', { on: e.on, opinion: 'consent' });
            openPause = null;
            break;
          case 'extend':
            // requested and approved on the day of the last event (before the deadline)
            await ok(clerk, c.id, 'request-extension', { on: lastOn, days: e.days, reason: '需要协调多个部门' });
            await ok(sup, c.id, 'approve-extension', { on: lastOn });
            break;
        }
        if (e.on) lastOn = e.on;
      }
      const now = await get(c.id);
      expect(now.state).toBe('in_progress');
      expect(now.deadline.due).toBe(ex.due);
      expect(now.deadline.computedDue).toBe(ex.due);
      expect(now.deadline.paused).toBe(false);
      const rows: { due_date: string }[] = await t.ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date FROM cases WHERE id = $1`, [c.id]);
      expect(rows[0].due_date).toBe(ex.due);
    });
  });

  describe('correction (Art 30)', () => {
    it('restarts the clock from the corrected application, and is asked for only once', async () => {
      await at('2024-10-09');
      const c = await intake(t, clerk, '2024-09-27');
      expect(c.deadline.due).toBe('2024-10-30');
      const asked = await ok(clerk, c.id, 'request-correction', { on: '2024-09-29', items: ['请写明所需信息的文号'] });
      expect(asked.state).toBe('awaiting_correction');
      expect(asked.deadline.due).toBeNull();
      const got = await ok(clerk, c.id, 'record-correction', { on: '2024-10-08', content: '所需文件的文号为测政发〔2024〕1号' });
      expect(got.state).toBe('in_progress');
      expect(got.deadline.start).toBe('2024-10-08');
      expect(got.deadline.due).toBe('2024-11-04');
      await refused(clerk, c.id, 'request-correction', { on: '2024-10-09', items: ['再次补正'] }, 'CORRECTION_ALREADY_REQUESTED');
    });

    it('only within 7 working days of receipt (the 7th day included)', async () => {
      await at('2024-10-14');
      const c = await intake(t, clerk, '2024-09-27');
      const body = await refused(clerk, c.id, 'request-correction', { on: '2024-10-14', items: ['请明确所需信息'] }, 'CORRECTION_WINDOW_CLOSED');
      expect(body.details.limit).toBe('2024-10-12');
      const r = await ok(clerk, c.id, 'request-correction', { on: '2024-10-12', items: ['请明确所需信息'] });
      expect(r.state).toBe('awaiting_correction');
    });

    it('a lapse is concluded only after the period (15 working days from the notice), then as other.correction_lapsed', async () => {
      await at('2024-11-20');
      const c = await intake(t, clerk, '2024-09-27');
      const asked = await ok(clerk, c.id, 'request-correction', { on: '2024-09-30', items: ['请明确所需信息'] });
      expect(asked.periods.correctionPeriodEnds).toBe('2024-10-25');
      const early = await refused(clerk, c.id, 'conclude-lapsed', { on: '2024-10-25', reason: 'correction' }, 'PERIOD_NOT_LAPSED');
      expect(early.details.periodEnds).toBe('2024-10-25');
      const done = await ok(clerk, c.id, 'conclude-lapsed', { on: '2024-10-28', reason: 'correction' });
      expect(done).toMatchObject({ state: 'concluded', outcome: 'other.correction_lapsed', concludedOn: '2024-10-28' });
      expect(done.deadline.due).toBeNull();
    });

    it('a case concluded without the correction was never late: no deadline ran while it was awaited', async () => {
      await at('2024-04-15');
      // received 2024-03-01: the 20 working days would have ended 2024-03-29
      const c = await intake(t, clerk, '2024-03-01');
      await ok(clerk, c.id, 'request-correction', { on: '2024-03-05', items: ['请明确所需信息'] });
      const lapsed = await ok(clerk, c.id, 'conclude-lapsed', { on: '2024-04-10', reason: 'correction' });
      expect(lapsed.state).toBe('concluded');
      expect(lapsed.deadline).toMatchObject({ due: null, computedDue: null, overdue: false });
      const d = await intake(t, clerk, '2024-03-01');
      await ok(clerk, d.id, 'request-correction', { on: '2024-03-05', items: ['请明确所需信息'] });
      const withdrawn = await ok(clerk, d.id, 'withdraw', { on: '2024-04-08', reason: '申请人书面撤回申请' });
      expect(withdrawn.state).toBe('concluded');
      expect(withdrawn.deadline).toMatchObject({ due: null, computedDue: null, overdue: false });
      // nor does the list count them late
      const all = await t.http().get('/api/v1/cases').query({ limit: 100 }).set(bearer(clerk));
      const listed = (all.body.items as { id: string; overdue: boolean }[]).filter((x) => x.id === c.id || x.id === d.id);
      expect(listed.map((x) => x.overdue)).toEqual([false, false]);
    });

    it('record-delivery of the notice moves the lapse date to the applicant’s receipt', async () => {
      await at('2024-11-20');
      const c = await intake(t, clerk, '2024-09-27');
      await ok(clerk, c.id, 'request-correction', { on: '2024-09-30', items: ['请明确所需信息'] });
      // the delivery cannot predate the notice
      const before = await act(clerk, c.id, 'record-delivery', { of: 'correction_notice', on: '2024-09-29', method: 'post' });
      expect(before.status).toBe(400);
      expect(before.body.details.fields[0].field).toBe('on');
      const delivered = await ok(clerk, c.id, 'record-delivery', { of: 'correction_notice', on: '2024-10-08', method: 'post', waybillNumber: 'EMS1234567890' });
      expect(delivered.state).toBe('awaiting_correction');
      expect(delivered.periods.correctionPeriodEnds).toBe('2024-10-28');
      const early = await refused(clerk, c.id, 'conclude-lapsed', { on: '2024-10-28', reason: 'correction' }, 'PERIOD_NOT_LAPSED');
      expect(early.details.periodEnds).toBe('2024-10-28');
      const done = await ok(clerk, c.id, 'conclude-lapsed', { on: '2024-10-29', reason: 'correction' });
      expect(done.outcome).toBe('other.correction_lapsed');
    });
  });

  describe('fee (办法)', () => {
    it('pauses the clock; unpaid after 20 working days from the notice → other.fee_unpaid', async () => {
      await at('2024-11-20');
      const c = await intake(t, clerk, '2024-09-27');
      const n = await ok(clerk, c.id, 'notify-fee', { on: '2024-09-30', tariff: 'per_page', pages: 300 });
      expect(n.state).toBe('awaiting_fee');
      expect(n.deadline).toMatchObject({ due: null, paused: true });
      expect(n.periods.feePaymentEnds).toBe('2024-11-01');
      await refused(clerk, c.id, 'conclude-lapsed', { on: '2024-11-01', reason: 'fee' }, 'PERIOD_NOT_LAPSED');
      // the other reason does not fit the state
      const wrong = await act(clerk, c.id, 'conclude-lapsed', { on: '2024-11-04', reason: 'correction' });
      expect(wrong.status).toBe(409);
      const done = await ok(clerk, c.id, 'conclude-lapsed', { on: '2024-11-04', reason: 'fee' });
      expect(done).toMatchObject({ state: 'concluded', outcome: 'other.fee_unpaid', concludedOn: '2024-11-04' });
    });

    it('no fee notice and no consultation after the deadline (DEADLINE_PASSED); on the due day they still pause', async () => {
      await at('2024-11-05');
      const c = await intake(t, clerk, '2024-09-27');
      const late1 = await refused(clerk, c.id, 'notify-fee', { on: '2024-10-31', tariff: 'per_page', pages: 300 }, 'DEADLINE_PASSED');
      expect(late1.details.due).toBe('2024-10-30');
      await refused(clerk, c.id, 'consult', { on: '2024-10-31', party: 'third_party', name: '某有限公司' }, 'DEADLINE_PASSED');
      const k = await ok(clerk, c.id, 'consult', { on: '2024-10-30', party: 'third_party', name: '某有限公司' });
      expect(k.state).toBe('consulting');
      expect(k.deadline).toMatchObject({ due: null, paused: true, workingDaysLeft: 0 });
      // resumed 2024-11-04: the 3 working days in (10-30, 11-04] are added → due 2024-11-04
      const back = await ok(clerk, c.id, 'end-consultation', { on: '2024-11-04', opinion: 'none' });
      expect(back.state).toBe('in_progress');
      expect(back.deadline.due).toBe('2024-11-04');
    });
  });

  describe('extension (Art 33 ¶2)', () => {
    it('before the deadline only, approved by the supervisor on or before it, once', async () => {
      await at('2024-11-05');
      const c = await intake(t, clerk, '2024-09-27');
      await refused(sup, c.id, 'approve-extension', { on: '2024-10-20' }, 'EXTENSION_NOT_REQUESTED');
      const late = await refused(clerk, c.id, 'request-extension', { on: '2024-10-31', days: 10, reason: '材料较多' }, 'EXTENSION_TOO_LATE');
      expect(late.details.due).toBe('2024-10-30');
      const req = await ok(clerk, c.id, 'request-extension', { on: '2024-10-30', days: 10, reason: '材料较多' });
      expect(req.extension).toMatchObject({ days: 10, status: 'requested', requestedOn: '2024-10-30' });
      expect(req.deadline.due).toBe('2024-10-30');
      // a clerk cannot approve
      const byClerk = await act(clerk, c.id, 'approve-extension', { on: '2024-10-30' });
      expect([byClerk.status, byClerk.body.code]).toEqual([403, 'FORBIDDEN']);
      await refused(sup, c.id, 'approve-extension', { on: '2024-10-31' }, 'EXTENSION_TOO_LATE');
      const approved = await ok(sup, c.id, 'approve-extension', { on: '2024-10-30' });
      expect(approved.extension).toMatchObject({ status: 'approved', approvedOn: '2024-10-30' });
      expect(approved.deadline.due).toBe('2024-11-13');
      await refused(clerk, c.id, 'request-extension', { on: '2024-10-31', days: 5, reason: '再次延期' }, 'EXTENSION_ALREADY_USED');
      await refused(sup, c.id, 'approve-extension', { on: '2024-10-31' }, 'EXTENSION_NOT_REQUESTED');
    });

    it('the approval is dated no earlier than the steps recorded since the request', async () => {
      await at('2024-10-25');
      const c = await intake(t, clerk, '2024-09-27');
      await ok(clerk, c.id, 'request-extension', { on: '2024-10-08', days: 10, reason: '材料较多' });
      await ok(clerk, c.id, 'consult', { on: '2024-10-10', party: 'third_party', name: '某有限公司' });
      await ok(clerk, c.id, 'end-consultation', { on: '2024-10-15', opinion: 'consent' });
      const before = await get(c.id);
      const backdated = await act(sup, c.id, 'approve-extension', { on: '2024-10-09' });
      expect([backdated.status, backdated.body.code, backdated.body.details.fields[0].field]).toEqual([400, 'VALIDATION_FAILED', 'on']);
      expect((await get(c.id)).version).toBe(before.version);
      const approved = await ok(sup, c.id, 'approve-extension', { on: '2024-10-15' });
      expect(approved.extension).toMatchObject({ status: 'approved', approvedOn: '2024-10-15' });
    });
  });

  describe('consultations (Arts 32–34)', () => {
    it('several open at once: end-consultation needs consultationId; a closed one is not open', async () => {
      await at('2024-10-25');
      const c = await intake(t, clerk, '2024-09-27');
      const a = await ok(clerk, c.id, 'consult', { on: '2024-10-08', party: 'third_party', name: '某有限公司' });
      const b = await ok(clerk, c.id, 'consult', { on: '2024-10-09', party: 'other_agency', name: '测试市财政局', jointMaker: true });
      expect(b.consultations).toHaveLength(2);
      const [k1, k2] = b.consultations as { id: string }[];
      expect(a.consultations[0].id).toBe(k1.id);
      const which = await act(clerk, c.id, 'end-consultation', { on: '2024-10-15', opinion: 'consent' });
      expect(which.status).toBe(400);
      expect(which.body.code).toBe('VALIDATION_FAILED');
      expect(which.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['consultationId']);
      expect(which.body.message).toMatch(/[\u4e00-\u9fa5]/);
      const one = await ok(clerk, c.id, 'end-consultation', { on: '2024-10-15', consultationId: k1.id, opinion: 'objection', note: '第三方不同意公开' });
      expect(one.state).toBe('consulting');
      expect(one.deadline.due).toBeNull();
      await refused(clerk, c.id, 'end-consultation', { on: '2024-10-16', consultationId: k1.id, opinion: 'consent' }, 'CONSULTATION_NOT_OPEN');
      await refused(clerk, c.id, 'end-consultation', { on: '2024-10-16', consultationId: '00000000-0000-4000-8000-000000000000', opinion: 'consent' }, 'CONSULTATION_NOT_OPEN');
      const two = await ok(clerk, c.id, 'end-consultation', { on: '2024-10-18', consultationId: k2.id, opinion: 'consent' });
      expect(two.state).toBe('in_progress');
      // the clock stood still over the union (10-08, 10-18]: 9 working days (10-12 is a working Saturday)
      expect(two.deadline.pausedDays).toBe(9);
      expect(two.deadline.due).toBe('2024-11-12');
    });

    it('an end recorded late may not leave a consultation opened meanwhile begun after the deadline', async () => {
      await at('2024-11-20');
      // due 2024-10-30; A opened 10-28 pauses it; B opened 11-04 while A was open
      const c = await intake(t, clerk, '2024-09-27');
      await ok(clerk, c.id, 'consult', { on: '2024-10-28', party: 'third_party', name: '甲公司' });
      const b = await ok(clerk, c.id, 'consult', { on: '2024-11-04', party: 'third_party', name: '乙公司' });
      const [kA, kB] = b.consultations as { id: string }[];
      // A's answer dated 10-29 would leave the clock running to 10-31, and B begun after it
      const late = await refused(clerk, c.id, 'end-consultation', { on: '2024-10-29', consultationId: kA.id, opinion: 'consent' }, 'DEADLINE_PASSED');
      expect(late.details).toMatchObject({ due: '2024-10-31', consultationId: kB.id });
      // dated on B's opening or later, the pauses join and the clock stands still throughout
      const ended = await ok(clerk, c.id, 'end-consultation', { on: '2024-11-04', consultationId: kA.id, opinion: 'consent' });
      expect(ended).toMatchObject({ state: 'consulting', deadline: { due: null, paused: true } });
    });
  });

  describe('Art 35 delayed reply', () => {
    /** Art 35: a later reply date needs the applicant's reasons asked for and found reasonable */
    const reasonable = async (id: string) => {
      await ok(clerk, id, 'request-reasons', { on: '2024-09-27', items: ['请说明大量申请的理由'] });
      await ok(clerk, id, 'record-reasons', { on: '2024-09-27', content: '课题研究需要', reasonable: true });
    };
    it('the date set becomes the deadline; it must be later than the current one', async () => {
      await at('2024-10-21');
      const c = await intake(t, clerk, '2024-09-27');
      await reasonable(c.id);
      const early = await act(sup, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-10-30', reason: '申请数量众多' });
      expect(early.status).toBe(400);
      expect(early.body.details.fields[0].field).toBe('until');
      const far = await act(sup, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '9999-12-31', reason: '申请数量众多' });
      expect(far.status).toBe(400);
      expect(far.body.details.fields[0].field).toBe('until');
      const byClerk = await act(clerk, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-12-20', reason: '申请数量众多' });
      expect(byClerk.status).toBe(403);
      const r = await ok(sup, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-12-20', reason: '申请数量众多' });
      expect(r.delayedUntil).toBe('2024-12-20');
      expect(r.deadline.due).toBe('2024-12-20');
      expect(r.deadline.explanation.join('')).toContain('第三十五条');
    });

    it('the delay notice’s delivery is bounded by the day it went out, whatever steps followed', async () => {
      await at('2024-11-05');
      const c = await intake(t, clerk, '2024-09-27');
      await reasonable(c.id);
      await ok(sup, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-12-20', reason: '申请数量众多' });
      await ok(clerk, c.id, 'consult', { on: '2024-10-25', party: 'third_party', name: '某有限公司' });
      const early = await act(clerk, c.id, 'record-delivery', { of: 'delay_notice', on: '2024-10-20', method: 'post' });
      expect([early.status, early.body.details.fields[0].field]).toEqual([400, 'on']);
      const r = await ok(clerk, c.id, 'record-delivery', { of: 'delay_notice', on: '2024-10-23', method: 'post' });
      expect(r.deliveries).toEqual([expect.objectContaining({ of: 'delay_notice', on: '2024-10-23' })]);
      // the Art 32 notice goes out with the reply: none yet
      const none = await act(clerk, c.id, 'record-delivery', { of: 'third_party_disclosure', on: '2024-10-28', method: 'post' });
      expect([none.status, none.body.details.fields[0].field]).toEqual([400, 'of']);
      const letters = (await t.http().get(`/api/v1/cases/${c.id}/letters`).set(bearer(sup))).body.items as { code: string; state: string; deliveredOn: string | null }[];
      expect(letters.find((l) => l.code === 'delay_notice')).toMatchObject({ state: 'delivered', deliveredOn: '2024-10-23' });
      // `on` defaults to today, as for every action
      const today = await ok(clerk, c.id, 'record-delivery', { of: 'receipt', method: 'in_person' });
      expect(today.deliveries).toContainEqual(expect.objectContaining({ of: 'receipt', on: '2024-11-05' }));
    });

    it('no extension under an Art 35 date, requested or approved (the date is the deadline)', async () => {
      await at('2024-10-21');
      const c = await intake(t, clerk, '2024-09-27');
      await reasonable(c.id);
      await ok(sup, c.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-12-20', reason: '申请数量众多' });
      const r = await refused(clerk, c.id, 'request-extension', { on: '2024-10-21', days: 10, reason: '材料较多' }, 'TRANSITION_NOT_ALLOWED');
      expect(r.message).toContain('第三十五条');
      const d = await intake(t, clerk, '2024-09-27');
      await reasonable(d.id);
      await ok(clerk, d.id, 'request-extension', { on: '2024-10-18', days: 10, reason: '材料较多' });
      await ok(sup, d.id, 'set-delayed-reply', { on: '2024-10-21', until: '2024-12-20', reason: '申请数量众多' });
      await refused(sup, d.id, 'approve-extension', { on: '2024-10-21' }, 'TRANSITION_NOT_ALLOWED');
      expect((await get(d.id)).deadline.due).toBe('2024-12-20');
    });

    it('a corrected application restarts the clock without the Art 35 date set before it', async () => {
      await at('2024-11-20');
      const c = await intake(t, clerk, '2024-09-27');
      await reasonable(c.id);
      await ok(sup, c.id, 'set-delayed-reply', { on: '2024-09-30', until: '2024-10-31', reason: '申请数量众多' });
      await ok(clerk, c.id, 'request-correction', { on: '2024-10-08', items: ['请明确所需信息'] });
      const corrected = await ok(clerk, c.id, 'record-correction', { on: '2024-10-28', content: '补正后的申请' });
      // 20 working days from 10-28, not the date set for the application as first made
      expect(corrected).toMatchObject({ delayedUntil: null, deadline: { due: '2024-11-25', overdue: false } });
      const h = (await t.http().get(`/api/v1/cases/${c.id}/history`).set(bearer(sup))).body.items as { action: string; payload: Record<string, unknown> }[];
      expect(h.find((x) => x.action === 'record-correction')!.payload).toMatchObject({ delayedUntilDropped: '2024-10-31' });
    });
  });

  describe('overdue and working days left', () => {
    it('0 on the due day, negative after, overdue from the day after', async () => {
      await at('2024-10-01');
      const c = await intake(t, clerk, '2024-09-27');
      const seen: [string, number, boolean][] = [];
      for (const day of ['2024-10-29', '2024-10-30', '2024-10-31', '2024-11-02', '2024-11-04']) {
        await at(day);
        const d = (await get(c.id)).deadline;
        expect(d.due).toBe('2024-10-30');
        seen.push([day, d.workingDaysLeft, d.overdue]);
      }
      expect(seen).toEqual([
        ['2024-10-29', 1, false],
        ['2024-10-30', 0, false],
        ['2024-10-31', -1, true],
        ['2024-11-02', -2, true],
        ['2024-11-04', -3, true],
      ]);
      await at('2024-10-30');
      expect((await get(c.id)).deadline.workingDaysUsed).toBe(20);
      await at('2024-11-04');
      const list = await t.http().get('/api/v1/cases').query({ overdue: 'true', limit: 100 }).set(bearer(clerk));
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
      // concluded late: overdue stays true; concluded on time: false
      await ok(clerk, c.id, 'draft-reply', { outcome: 'granted', reasons: '现予公开' });
      await ok(sup, c.id, 'approve-reply', { confidentialityReviewed: true });
      const late = await ok(clerk, c.id, 'issue-reply', { on: '2024-10-31' });
      expect(late.deadline).toMatchObject({ due: null, computedDue: '2024-10-30', overdue: true });
      // the list's filter means what the answer's `overdue` means: a reply that came late stays late
      const listed = async (overdue: string) =>
        ((await t.http().get('/api/v1/cases').query({ overdue, limit: 100 }).set(bearer(clerk))).body.items as { id: string; overdue: boolean }[]);
      expect((await listed('true')).find((x) => x.id === c.id)).toMatchObject({ overdue: true });
      expect((await listed('false')).map((x) => x.id)).not.toContain(c.id);
      expect((await listed('false')).every((x) => !x.overdue)).toBe(true);
      expect((await listed('true')).every((x) => x.overdue)).toBe(true);
    });
  });
});
