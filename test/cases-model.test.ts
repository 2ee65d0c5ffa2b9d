/**
 * Model-based: random sequences of actions through the HTTP API against a small model of a
 * case (state, version, correction / extension / fee used, open consultations, the clock's
 * start, paused working days and extension). Working-day arithmetic for the model's deadline
 * comes from the public calendar endpoints, which calendar.test.ts checks against the fixtures.
 */
import fc from 'fast-check';
import { TokenService } from '../src/auth/token.service';
import type { CaseState } from '../src/statute/case-states';
import { applicationBody, intake } from './support/cases';
import { perPageFee } from '../src/statute/fee-tariff';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

type Action =
  | 'confirm-receipt'
  | 'discard'
  | 'assign'
  | 'request-correction'
  | 'record-correction'
  | 'consult'
  | 'end-consultation'
  | 'request-extension'
  | 'approve-extension'
  | 'set-delayed-reply'
  | 'notify-fee'
  | 'record-payment'
  | 'draft-reply'
  | 'approve-reply'
  | 'return-reply'
  | 'issue-reply'
  | 'record-delivery'
  | 'conclude-lapsed'
  | 'withdraw'
  | 'record-review'
  | 'request-reasons'
  | 'record-reasons';

const RECEIVED_OPEN: CaseState[] = ['in_progress', 'awaiting_correction', 'consulting', 'awaiting_fee', 'reply_review', 'reply_approved'];
/** From-states of the contract's actions table. */
const FROM: Record<Action, CaseState[]> = {
  'confirm-receipt': ['submitted'],
  discard: ['submitted'],
  assign: ['submitted', ...RECEIVED_OPEN],
  'request-correction': ['in_progress'],
  'record-correction': ['awaiting_correction'],
  consult: ['in_progress', 'consulting'],
  'end-consultation': ['consulting'],
  'request-extension': ['in_progress', 'reply_review', 'reply_approved'],
  'approve-extension': ['in_progress', 'reply_review', 'reply_approved'],
  'set-delayed-reply': ['in_progress'],
  'notify-fee': ['in_progress'],
  'record-payment': ['awaiting_fee'],
  'draft-reply': ['in_progress', 'reply_review'],
  'approve-reply': ['reply_review'],
  'return-reply': ['reply_review', 'reply_approved'],
  'issue-reply': ['reply_approved'],
  'record-delivery': [...RECEIVED_OPEN, 'concluded'],
  'conclude-lapsed': ['awaiting_correction', 'awaiting_fee'],
  withdraw: RECEIVED_OPEN,
  'record-review': ['submitted', ...RECEIVED_OPEN, 'concluded'],
  'request-reasons': ['in_progress'],
  'record-reasons': ['in_progress'],
};
const SUPERVISOR_ONLY: Action[] = ['assign', 'approve-extension', 'set-delayed-reply', 'approve-reply', 'return-reply'];
/** The contract: no deadline while submitted, awaiting a correction, paused, or concluded. */
const NO_DUE: CaseState[] = ['submitted', 'awaiting_correction', 'consulting', 'awaiting_fee', 'concluded', 'discarded'];

interface Model {
  state: CaseState;
  version: number;
  successes: number;
  receipt: string | null;
  correctionWindowEnds: string | null;
  correctionUsed: boolean;
  correctionPeriodEnds: string | null;
  /** the clock: start, paused working days since it, approved extension, Art 35 date */
  start: string | null;
  pausedDays: number;
  pauseFrom: string | null;
  extension: 'none' | 'requested' | 'approved';
  extensionDays: number;
  extensionApproved: number;
  delayedUntil: string | null;
  feeUsed: boolean;
  feePeriodEnds: string | null;
  /** the fee notice's amount (record-payment must pay it) */
  feeAmount: number | null;
  /** Art 35: the reasons request and the finding */
  reasons: 'none' | 'requested' | 'reasonable' | 'unreasonable';
  open: string[];
  closed: string[];
  /** the letters issued so far, by code, and the reply while it is prepared */
  letters: string[];
  reply: 'none' | 'draft' | 'approved';
}

interface Real {
  id: string;
  log: string[];
}

const plusDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};

describe('cases: model-based sequences of actions', () => {
  let t: TestApp;
  let org: TestOrg;
  let clerk: Person;
  let sup: Person;
  let tokens: TokenService;
  let run = 0;
  const tally: Record<string, number> = {};
  /** letter numbers seen, with their letter: a number is never given twice */
  const numbers = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ now: '2024-03-04T02:00:00Z' });
    org = await seedOrg(t);
    clerk = org.people['dept.clerk'];
    sup = org.people['dept.supervisor'];
    tokens = t.app.get(TokenService);
  });
  afterAll(async () => t?.close());

  /** Moves the clock forward by whole days, and gives the people tokens valid at the new time. */
  function advance(days: number) {
    if (days > 0) t.clock.advance(days * 86_400_000);
    // in the session of their sign-in (its id is the token's `sid`)
    for (const p of [clerk, sup]) p.token = tokens.signAccessToken({ id: p.id, username: p.username, role: p.role, agencyId: p.agencyId }, JSON.parse(Buffer.from(p.token.split('.')[1], 'base64url').toString()).sid);
  }
  const today = () => t.clock.today();

  async function addWorkingDays(from: string, days: number): Promise<string> {
    const r = await t.http().get('/api/v1/calendar/add-working-days').query({ from, days });
    if (r.status !== 200) throw new Error(`add-working-days ${from} ${days}: ${r.status}`);
    return r.body.date;
  }
  async function workingDays(from: string, to: string): Promise<number> {
    const r = await t.http().get('/api/v1/calendar/working-days').query({ from, to });
    if (r.status !== 200) throw new Error(`working-days ${from} ${to}: ${r.status}`);
    return r.body.workingDays;
  }

  /** The model's reply deadline while the clock runs. */
  async function modelDue(m: Model): Promise<string | null> {
    if (NO_DUE.includes(m.state) || !m.start) return null;
    if (m.delayedUntil) return m.delayedUntil;
    return addWorkingDays(m.start, 20 + m.extensionApproved + m.pausedDays);
  }

  type Expect = { ok: true; to: CaseState; apply?: (m: Model, body: Record<string, unknown>) => Promise<void> | void } | { ok: false; status: number; code: string };

  /** What the contract says this action does now, and the body sent. */
  async function plan(action: Action, m: Model, arg: number): Promise<{ body: Record<string, unknown>; expect: Expect }> {
    const on = today();
    const no = (code: string, status = 409): Expect => ({ ok: false, status, code });
    if (!FROM[action].includes(m.state)) {
      const body = (await plan(action, { ...m, state: FROM[action][0] }, arg)).body;
      return { body, expect: no('TRANSITION_NOT_ALLOWED') };
    }
    const due = await modelDue(m);
    const late = due !== null && on > due;
    switch (action) {
      case 'confirm-receipt':
        return {
          body: { on },
          expect: {
            ok: true,
            to: 'in_progress',
            apply: async (x) => {
              x.receipt = on;
              x.start = on;
              x.correctionWindowEnds = await addWorkingDays(on, 7);
            },
          },
        };
      case 'discard':
        return { body: { reason: '重复提交' }, expect: { ok: true, to: 'discarded' } };
      case 'assign':
        return { body: { assigneeId: clerk.id }, expect: { ok: true, to: m.state } };
      case 'request-correction': {
        const periodDays = 1 + (arg % 3);
        const body = { on, items: ['请写明所需信息的名称'], periodDays };
        if (m.correctionUsed) return { body, expect: no('CORRECTION_ALREADY_REQUESTED') };
        if (on > m.correctionWindowEnds!) return { body, expect: no('CORRECTION_WINDOW_CLOSED') };
        return {
          body,
          expect: {
            ok: true,
            to: 'awaiting_correction',
            apply: async (x) => {
              x.correctionUsed = true;
              x.correctionPeriodEnds = await addWorkingDays(on, periodDays);
            },
          },
        };
      }
      case 'record-correction':
        return {
          body: { on, content: '补正后的申请内容' },
          expect: {
            ok: true,
            to: 'in_progress',
            apply: (x) => {
              // Art 30: the clock restarts; earlier pauses no longer count
              x.start = on;
              x.pausedDays = 0;
              x.correctionPeriodEnds = null;
              // an Art 35 date set before the correction no longer applies
              x.delayedUntil = null;
            },
          },
        };
      case 'consult': {
        const body = { on, party: arg % 2 ? 'third_party' : 'other_agency', name: `征求对象${arg}` };
        const opens = m.state === 'in_progress'; // (apply runs after the model's state has moved)
        if (opens && late) return { body, expect: no('DEADLINE_PASSED') };
        return {
          body,
          expect: {
            ok: true,
            to: 'consulting',
            apply: (x, res) => {
              const ks = res.consultations as { id: string }[];
              x.open.push(ks[ks.length - 1].id);
              if (opens) x.pauseFrom = on;
            },
          },
        };
      }
      case 'end-consultation': {
        if (arg === 3 && m.closed.length) {
          return { body: { on, consultationId: m.closed[0], opinion: 'none' }, expect: no('CONSULTATION_NOT_OPEN') };
        }
        const k = m.open[arg % m.open.length];
        const last = m.open.length === 1;
        return {
          body: { on, consultationId: k, opinion: arg % 2 ? 'consent' : 'objection', note: '意见已收到' },
          expect: {
            ok: true,
            to: last ? 'in_progress' : 'consulting',
            apply: async (x) => {
              x.open = x.open.filter((id) => id !== k);
              x.closed.push(k);
              if (last) {
                x.pausedDays += await workingDays(x.pauseFrom!, on);
                x.pauseFrom = null;
              }
            },
          },
        };
      }
      case 'request-extension': {
        const days = 1 + ((arg * 7) % 20);
        const body = { on, days, reason: '需要调取历史档案' };
        if (m.extension !== 'none') return { body, expect: no('EXTENSION_ALREADY_USED') };
        // under an Art 35 date there is no statutory period left to extend
        if (m.delayedUntil) return { body, expect: no('TRANSITION_NOT_ALLOWED') };
        if (late) return { body, expect: no('EXTENSION_TOO_LATE') };
        return {
          body,
          expect: {
            ok: true,
            to: m.state,
            apply: (x) => {
              x.extension = 'requested';
              x.extensionDays = days;
            },
          },
        };
      }
      case 'approve-extension':
        if (m.extension !== 'requested') return { body: { on }, expect: no('EXTENSION_NOT_REQUESTED') };
        if (m.delayedUntil) return { body: { on }, expect: no('TRANSITION_NOT_ALLOWED') };
        if (late) return { body: { on }, expect: no('EXTENSION_TOO_LATE') };
        return {
          body: { on },
          expect: {
            ok: true,
            to: m.state,
            apply: (x) => {
              x.extension = 'approved';
              x.extensionApproved = x.extensionDays;
            },
          },
        };
      case 'set-delayed-reply': {
        const until = plusDays(due && due > on ? due : on, 10 + arg);
        const body = { on, until, reason: '同一申请人短期内大量申请' };
        if (m.reasons !== 'reasonable') return { body, expect: no('REASONS_NOT_ESTABLISHED') };
        return { body, expect: { ok: true, to: m.state, apply: (x) => void (x.delayedUntil = until) } };
      }
      case 'request-reasons': {
        const body = { on, items: ['请说明短期内大量申请的理由'], periodDays: 1 + arg };
        if (m.reasons !== 'none') return { body, expect: no('TRANSITION_NOT_ALLOWED') };
        return { body, expect: { ok: true, to: m.state, apply: (x) => void (x.reasons = 'requested') } };
      }
      case 'record-reasons': {
        const body = { on, content: '申请人的说明', reasonable: arg % 2 === 1 };
        if (m.reasons !== 'requested') return { body, expect: no('REASONS_NOT_ESTABLISHED') };
        return { body, expect: { ok: true, to: m.state, apply: (x) => void (x.reasons = body.reasonable ? 'reasonable' : 'unreasonable') } };
      }
      case 'notify-fee': {
        const body = { on, tariff: 'per_page', pages: 100 + arg * 100 };
        if (m.feeUsed) return { body, expect: no('TRANSITION_NOT_ALLOWED') };
        if (late) return { body, expect: no('DEADLINE_PASSED') };
        return {
          body,
          expect: {
            ok: true,
            to: 'awaiting_fee',
            apply: async (x) => {
              x.feeUsed = true;
              x.feeAmount = perPageFee(body.pages);
              x.pauseFrom = on;
              x.feePeriodEnds = await addWorkingDays(on, 20);
            },
          },
        };
      }
      case 'record-payment':
        return {
          body: { on, receiptNumber: `SK${arg}`, amount: m.feeAmount ?? 0 },
          expect: {
            ok: true,
            to: 'in_progress',
            apply: async (x) => {
              x.pausedDays += await workingDays(x.pauseFrom!, on);
              x.pauseFrom = null;
              x.feePeriodEnds = null;
            },
          },
        };
      case 'draft-reply':
        return { body: { outcome: arg % 2 ? 'granted' : 'granted.proactive', reasons: '经审查，予以公开' }, expect: { ok: true, to: 'reply_review' } };
      case 'approve-reply':
        return { body: { confidentialityReviewed: true }, expect: { ok: true, to: 'reply_approved' } };
      case 'return-reply':
        return { body: { reason: '请补充理由' }, expect: { ok: true, to: 'in_progress' } };
      case 'issue-reply':
        return { body: { on }, expect: { ok: true, to: 'concluded' } };
      case 'record-delivery':
        return { body: { of: 'receipt', on, method: 'post' }, expect: { ok: true, to: m.state } };
      case 'conclude-lapsed': {
        const reason = m.state === 'awaiting_fee' ? 'fee' : 'correction';
        const end = reason === 'fee' ? m.feePeriodEnds! : m.correctionPeriodEnds!;
        const body = { on, reason };
        if (on <= end) return { body, expect: no('PERIOD_NOT_LAPSED') };
        return { body, expect: { ok: true, to: 'concluded' } };
      }
      case 'withdraw':
        return { body: { on, reason: '申请人撤回' }, expect: { ok: true, to: 'concluded' } };
      case 'record-review':
        return { body: { kind: arg % 2 ? 'reconsideration' : 'litigation_direct', filedOn: on }, expect: { ok: true, to: m.state } };
    }
  }

  /** The case as the API shows it agrees with the model. */
  async function verify(m: Model, r: Real) {
    const c = await t.http().get(`/api/v1/cases/${r.id}`).set(bearer(sup));
    expect(c.status).toBe(200);
    const due = await modelDue(m);
    const seen = { state: c.body.state, version: c.body.version, due: c.body.deadline.due, paused: c.body.deadline.paused };
    const want = { state: m.state, version: m.version, due, paused: m.state === 'consulting' || m.state === 'awaiting_fee' };
    if (JSON.stringify(seen) !== JSON.stringify(want)) throw new Error(`model ${JSON.stringify(want)} but API ${JSON.stringify(seen)}\n${r.log.join('\n')}`);
    // the contract: deadline.due is null exactly in these states
    expect(c.body.deadline.due === null).toBe(NO_DUE.includes(m.state));
    const h = await t.http().get(`/api/v1/cases/${r.id}/history`).set(bearer(sup));
    expect(h.body.items).toHaveLength(m.successes + 1);
    const ls = (await t.http().get(`/api/v1/cases/${r.id}/letters`).set(bearer(sup))).body.items as { id: string; code: string; state: string; number: string | null }[];
    const issued = ls.filter((l) => l.state === 'issued' || l.state === 'delivered');
    const open = ls.filter((l) => l.state === 'draft' || l.state === 'approved').map((l) => l.state);
    const seenLetters = { issued: issued.map((l) => l.code).sort(), open };
    const wantLetters = { issued: [...m.letters].sort(), open: m.reply === 'none' ? [] : [m.reply] };
    if (JSON.stringify(seenLetters) !== JSON.stringify(wantLetters)) throw new Error(`letters: model ${JSON.stringify(wantLetters)} but API ${JSON.stringify(seenLetters)}\n${r.log.join('\n')}`);
    // every issued letter has a number no other letter has
    for (const l of issued) {
      expect(l.number).toBeTruthy();
      expect([l.number, numbers.get(l.number!) ?? l.id]).toEqual([l.number, l.id]);
      numbers.set(l.number!, l.id);
    }
  }

  /** The letters a successful step sends, and the reply's progress (letters.md), told again by hand. */
  function expectLetters(m: Model, action: Action, from: CaseState, body: Record<string, unknown>) {
    const add = (...codes: string[]) => m.letters.push(...codes);
    switch (action) {
      case 'confirm-receipt': return add('receipt');
      case 'request-correction': return add('correction_notice');
      case 'consult':
        add(body.party === 'third_party' ? 'third_party_consultation' : 'agency_consultation');
        if (from === 'in_progress') add('consultation_notice');
        return;
      case 'approve-extension': return add('extension_notice');
      case 'set-delayed-reply': return add('delay_notice');
      case 'notify-fee': return add('fee_notice');
      case 'request-reasons': return add('reasons_request');
      case 'draft-reply': m.reply = 'draft'; return;
      case 'approve-reply': m.reply = 'approved'; return;
      case 'return-reply': m.reply = 'draft'; return;
      case 'issue-reply': m.reply = 'none'; return add('reply');
      case 'conclude-lapsed': m.reply = 'none'; return add('termination_notice');
      case 'withdraw': m.reply = 'none'; return;
      default: return;
    }
  }

  class Step implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly action: Action,
      readonly days: number,
      readonly arg: number,
    ) {}
    /** an action the state does not allow is tried one time in four (it must then be refused) */
    check(m: Readonly<Model>): boolean {
      return FROM[this.action].includes(m.state) || this.arg === 0;
    }
    async run(m: Model, r: Real): Promise<void> {
      advance(this.days);
      const { body, expect: e } = await plan(this.action, m, this.arg);
      const who = SUPERVISOR_ONLY.includes(this.action) || this.arg === 2 ? sup : clerk;
      const res = await t.http().post(`/api/v1/cases/${r.id}/${this.action}`).set(bearer(who)).send({ expectedVersion: m.version, ...body });
      r.log.push(`${today()} ${this.action} ${JSON.stringify(body)} → ${res.status} ${res.body.code ?? res.body.state}`);
      tally[`${this.action} ${res.status}`] = (tally[`${this.action} ${res.status}`] ?? 0) + 1;
      if (e.ok) {
        if (res.status !== 200) throw new Error(`expected success, got ${res.status} ${JSON.stringify(res.body)}\n${r.log.join('\n')}`);
        expect(res.body.version).toBe(m.version + 1);
        expect(res.body.state).toBe(e.to);
        expectLetters(m, this.action, m.state, body);
        m.version++;
        m.successes++;
        m.state = e.to;
        await e.apply?.(m, res.body);
      } else {
        if (res.status !== e.status || res.body.code !== e.code) throw new Error(`expected ${e.status} ${e.code}, got ${res.status} ${JSON.stringify(res.body)}\n${r.log.join('\n')}`);
      }
      await verify(m, r);
    }
    toString(): string {
      return `${this.action}(+${this.days}d,${this.arg})`;
    }
  }

  const ACTIONS: Action[] = Object.keys(FROM) as Action[];
  /** the actions that move a case forward appear twice, so sequences reach the later states */
  const WEIGHTED: Action[] = [
    ...ACTIONS,
    ...(['confirm-receipt', 'consult', 'end-consultation', 'request-correction', 'record-correction', 'notify-fee', 'record-payment', 'draft-reply', 'approve-reply', 'request-extension', 'approve-extension'] as Action[]),
    ...(['confirm-receipt', 'consult', 'end-consultation', 'record-correction', 'record-payment'] as Action[]),
  ];
  const commands = WEIGHTED.map((a) => fc.record({ days: fc.integer({ min: 0, max: 3 }), arg: fc.integer({ min: 0, max: 3 }) }).map(({ days, arg }) => new Step(a, days, arg)));

  it('random sequences keep the state, version, deadline and history as the contract says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.commands(commands, { maxCommands: 12, size: 'max' }), async (portal, cmds) => {
        advance(1);
        run++;
        const on = today();
        let id: string;
        let m: Model;
        const base = { version: 1, successes: 0, correctionUsed: false, correctionPeriodEnds: null, pausedDays: 0, pauseFrom: null, extension: 'none' as const, extensionDays: 0, extensionApproved: 0, delayedUntil: null, feeUsed: false, feePeriodEnds: null, feeAmount: null, reasons: 'none' as const, open: [], closed: [], letters: [] as string[], reply: 'none' as const };
        if (portal) {
          const r = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', `203.0.113.${run % 250}`).send(applicationBody({ agencyId: org.dept }));
          expect(r.status).toBe(201);
          const rows: { id: string }[] = await t.ds.query(`SELECT id FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]);
          id = rows[0].id;
          m = { ...base, letters: [], state: 'submitted', receipt: null, correctionWindowEnds: null, start: null };
        } else {
          const c = await intake(t, clerk, on);
          id = c.id;
          m = { ...base, letters: ['receipt'], state: 'in_progress', receipt: on, correctionWindowEnds: await addWorkingDays(on, 7), start: on };
        }
        const real: Real = { id, log: [`${on} ${portal ? 'submit' : 'intake'}`] };
        await verify(m, real);
        await fc.asyncModelRun(() => ({ model: m, real }), cmds);
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 15) },
    );
    if (process.env.MODEL_TALLY) console.log(JSON.stringify(Object.entries(tally).sort(), null, 0));
  }, 60_000 + Number(process.env.MODEL_RUNS ?? 0) * 1_000);

  // Regression: the clock once ignored a pause begun after the computed deadline under an Art 35 date.
  it('a consultation opened under an Art 35 date after the computed deadline still pauses the clock', async () => {
    // the Art 35 date is the deadline, so a consultation before it is allowed and pauses the clock
    advance(1);
    const received = today();
    const c = await intake(t, clerk, received);
    const computed = await addWorkingDays(received, 20);
    const until = plusDays(computed, 30);
    let r = await t.http().post(`/api/v1/cases/${c.id}/request-reasons`).set(bearer(clerk)).send({ expectedVersion: c.version, on: received, items: ['请说明理由'] });
    r = await t.http().post(`/api/v1/cases/${c.id}/record-reasons`).set(bearer(clerk)).send({ expectedVersion: r.body.version, on: received, content: '课题研究需要', reasonable: true });
    expect(r.status).toBe(200);
    r = await t.http().post(`/api/v1/cases/${c.id}/set-delayed-reply`).set(bearer(sup)).send({ expectedVersion: r.body.version, on: received, until, reason: '同一申请人短期内大量申请' });
    expect(r.status).toBe(200);
    expect(r.body.deadline.due).toBe(until);
    // past the computed deadline, before the Art 35 date
    t.clock.set(`${plusDays(computed, 3)}T02:00:00Z`);
    advance(0);
    const on = today();
    r = await t.http().post(`/api/v1/cases/${c.id}/consult`).set(bearer(clerk)).send({ expectedVersion: r.body.version, on, party: 'third_party', name: '某有限公司' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('consulting');
    expect(r.body.deadline).toMatchObject({ due: null, paused: true });
    t.clock.set(`${plusDays(on, 7)}T02:00:00Z`);
    advance(0);
    r = await t.http().post(`/api/v1/cases/${c.id}/end-consultation`).set(bearer(clerk)).send({ expectedVersion: r.body.version, on: today(), opinion: 'consent' });
    expect(r.status).toBe(200);
    expect(r.body.deadline.due).toBe(until);
  });
});
