/**
 * The transition table, exhaustively over HTTP: every state × every action of the contract ×
 * every kind of caller. The expectation is written out below from the API contract's actions
 * table (not read from the code), and the pure `decide()` is checked against it as well.
 */
import { CASE_ACTIONS, decide, type CaseAction } from '../src/statute/transition-table';
import { CASE_STATES, type CaseState } from '../src/statute/case-states';
import { applicationBody, intake } from './support/cases';
import { CaseEntity } from '../src/cases/case.entity';
import { ReviewEntity } from '../src/cases/review.entity';
import { LetterEntity } from '../src/letters/letter.entity';
import { ScheduledActionEntity } from '../src/notifications/scheduled-action.entity';
import { columnPlan, hydrate, selectList } from '../src/infra/database/raw-rows';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

type R = 'clerk' | 'supervisor';
const CS: R[] = ['clerk', 'supervisor'];
const S: R[] = ['supervisor'];
const OPEN: CaseState[] = ['submitted', 'in_progress', 'awaiting_correction', 'consulting', 'awaiting_fee', 'reply_review', 'reply_approved'];
const RECEIVED_OPEN = OPEN.filter((s) => s !== 'submitted');

/**
 * The contract's actions table. `to`: the state after ('same' keeps it). Reading where the table
 * says "any": `record-delivery` needs a received case (no letter goes out for an unconfirmed
 * submission or a discarded one). `record-review` on "open" includes an unconfirmed submission
 * (a suit for not replying to it).
 */
const CONTRACT: Record<CaseAction, { from: CaseState[]; roles: R[]; to: CaseState | 'same' }> = {
  'confirm-receipt': { from: ['submitted'], roles: CS, to: 'in_progress' },
  discard: { from: ['submitted'], roles: CS, to: 'discarded' },
  assign: { from: OPEN, roles: S, to: 'same' },
  'request-correction': { from: ['in_progress'], roles: CS, to: 'awaiting_correction' },
  'record-correction': { from: ['awaiting_correction'], roles: CS, to: 'in_progress' },
  consult: { from: ['in_progress', 'consulting'], roles: CS, to: 'consulting' },
  'end-consultation': { from: ['consulting'], roles: CS, to: 'in_progress' },
  'request-extension': { from: ['in_progress', 'reply_review', 'reply_approved'], roles: CS, to: 'same' },
  'approve-extension': { from: ['in_progress', 'reply_review', 'reply_approved'], roles: S, to: 'same' },
  'set-delayed-reply': { from: ['in_progress'], roles: S, to: 'same' },
  'notify-fee': { from: ['in_progress'], roles: CS, to: 'awaiting_fee' },
  'record-payment': { from: ['awaiting_fee'], roles: CS, to: 'in_progress' },
  'draft-reply': { from: ['in_progress', 'reply_review'], roles: CS, to: 'reply_review' },
  'approve-reply': { from: ['reply_review'], roles: S, to: 'reply_approved' },
  'return-reply': { from: ['reply_review', 'reply_approved'], roles: S, to: 'in_progress' },
  'issue-reply': { from: ['reply_approved'], roles: CS, to: 'concluded' },
  'record-delivery': { from: [...RECEIVED_OPEN, 'concluded'], roles: CS, to: 'same' },
  'conclude-lapsed': { from: ['awaiting_correction', 'awaiting_fee'], roles: CS, to: 'concluded' },
  withdraw: { from: RECEIVED_OPEN, roles: CS, to: 'concluded' },
  'record-review': { from: [...OPEN, 'concluded'], roles: CS, to: 'same' },
  reopen: { from: ['concluded'], roles: S, to: 'same' },
  forward: { from: ['submitted'], roles: CS, to: 'same' },
  'request-reasons': { from: ['in_progress'], roles: CS, to: 'same' },
  'record-reasons': { from: ['in_progress'], roles: CS, to: 'same' },
  'reset-query-code': { from: [...OPEN, 'concluded'], roles: S, to: 'same' },
};

const NOW = '2024-11-11T02:00:00Z'; // Monday 10:00 in Shanghai
const TODAY = '2024-11-11';
const RECEIVED = '2024-11-04'; // due 2024-12-02; correction window to 2024-11-13
const STEP = '2024-11-05';

/** Callers, by what the contract says they get: act (by role), read-only (403), or nothing (404). */
const CALLERS = ['dept.clerk', 'dept.supervisor', 'dept.auditor', 'city.auditor', 'city.supervisor', 'admin', 'city.clerk', 'district.clerk', 'other.clerk', 'other.supervisor'] as const;
type Caller = (typeof CALLERS)[number];

function expectation(caller: Caller, state: CaseState, action: CaseAction): { status: 'ok'; to: CaseState } | { status: 403 | 404 | 409; code: string } {
  if (['city.clerk', 'district.clerk', 'other.clerk', 'other.supervisor'].includes(caller)) return { status: 404, code: 'NOT_FOUND' };
  if (caller !== 'dept.clerk' && caller !== 'dept.supervisor') return { status: 403, code: 'FORBIDDEN' };
  const rule = CONTRACT[action];
  const role: R = caller === 'dept.clerk' ? 'clerk' : 'supervisor';
  if (!rule.roles.includes(role)) return { status: 403, code: 'FORBIDDEN' };
  if (!rule.from.includes(state)) return { status: 409, code: 'TRANSITION_NOT_ALLOWED' };
  return { status: 'ok', to: rule.to === 'same' ? state : rule.to };
}

async function pool<T, U>(items: T[], n: number, fn: (x: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

describe('cases: the transition table over HTTP', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    org = await seedOrg(t);
    P = org.people;
  });
  afterAll(async () => t?.close());

  const post = (p: Person, id: string, action: string, body: Record<string, unknown>, version: number) =>
    t.http().post(`/api/v1/cases/${id}/${action}`).set(bearer(p)).send({ expectedVersion: version, ...body });

  /** A valid body per action (refused ones must fail for the role or state, not for the body). */
  function bodyFor(action: CaseAction, state: CaseState): Record<string, unknown> {
    switch (action) {
      case 'confirm-receipt':
      case 'approve-extension':
      case 'issue-reply':
      case 'reopen':
        return { on: TODAY };
      case 'discard':
        return { reason: '重复提交' };
      case 'assign':
        return { assigneeId: P['dept.clerk'].id };
      case 'request-correction':
        return { on: TODAY, items: ['请写明所需信息的名称或文号'], periodDays: 5 };
      case 'record-correction':
        return { on: TODAY, content: '所需信息为2024年第三季度道路维修台账' };
      case 'consult':
        return { on: TODAY, party: 'other_agency', name: '测试市财政局' };
      case 'end-consultation':
        return { on: TODAY, opinion: 'consent' };
      case 'request-extension':
        return { on: TODAY, days: 10, reason: '涉及档案较多' };
      case 'set-delayed-reply':
        return { on: TODAY, until: '2025-01-27', reason: '同一申请人大量申请' };
      case 'notify-fee':
        return { on: TODAY, tariff: 'per_page', pages: 150 };
      case 'record-payment':
        return { on: TODAY, receiptNumber: 'JK-2024-0001', amount: 1700 };
      case 'forward':
        return { agencyId: org.district, reason: '属区政府职责' };
      case 'request-reasons':
        return { on: TODAY, items: ['请说明短期内大量申请的理由'] };
      case 'record-reasons':
        return { on: TODAY, content: '课题研究需要', reasonable: true };
      case 'draft-reply':
        return { outcome: 'granted', reasons: '经查，现予公开' };
      case 'approve-reply':
        return { confidentialityReviewed: true };
      case 'return-reply':
        return { reason: '请补充公开方式' };
      case 'record-delivery':
        return { of: 'receipt', on: TODAY, method: 'post', waybillNumber: 'EMS0001' };
      case 'conclude-lapsed':
        return { on: TODAY, reason: state === 'awaiting_fee' ? 'fee' : 'correction' };
      case 'withdraw':
        return { on: TODAY, reason: '申请人已通过其他途径获取' };
      case 'record-review':
        return { kind: 'reconsideration', filedOn: TODAY };
      case 'reset-query-code':
        return {};
    }
  }

  /** Drives a new case into `state` with real actions (dates before today). `prep` adds what an action needs. */
  async function caseIn(state: CaseState, prep: CaseAction | null = null): Promise<{ id: string; version: number }> {
    const clerk = P['dept.clerk'];
    const sup = P['dept.supervisor'];
    let id: string;
    let v: number;
    const step = async (p: Person, action: string, body: Record<string, unknown>) => {
      const r = await post(p, id, action, body, v);
      if (r.status !== 200) throw new Error(`${state} setup ${action}: ${r.status} ${JSON.stringify(r.body)}`);
      v = r.body.version;
      return r;
    };
    if (state === 'submitted' || state === 'discarded') {
      const r = await t.http().post('/api/v1/portal/applications').set('X-Forwarded-For', '198.51.100.7').send(applicationBody({ agencyId: org.dept }));
      if (r.status !== 201) throw new Error(`portal: ${r.status} ${JSON.stringify(r.body)}`);
      const rows: { id: string; version: number }[] = await t.ds.query(`SELECT id, version FROM cases WHERE tracking_number = $1`, [r.body.trackingNumber]);
      id = rows[0].id;
      v = rows[0].version;
      if (state === 'discarded') await step(clerk, 'discard', { reason: '重复提交' });
      return { id, version: v };
    }
    // a fee notice can lapse only 20 working days after it went out
    const c = await intake(t, clerk, state === 'awaiting_fee' ? '2024-09-02' : RECEIVED);
    id = c.id;
    v = c.version;
    if (prep === 'approve-extension') await step(clerk, 'request-extension', { on: STEP, days: 5, reason: '需要调取档案' });
    // Art 35: an answer needs a request; a later reply date needs reasons found reasonable
    if (prep === 'record-reasons' || prep === 'set-delayed-reply') await step(clerk, 'request-reasons', { on: STEP, items: ['请说明理由'] });
    if (prep === 'set-delayed-reply') await step(clerk, 'record-reasons', { on: STEP, content: '课题研究需要', reasonable: true });
    switch (state) {
      case 'in_progress':
        break;
      case 'awaiting_correction':
        await step(clerk, 'request-correction', { on: STEP, items: ['请明确所需信息'], periodDays: 1 });
        break;
      case 'consulting':
        await step(clerk, 'consult', { on: STEP, party: 'third_party', name: '某建设有限公司' });
        break;
      case 'awaiting_fee':
        await step(clerk, 'notify-fee', { on: '2024-09-03', tariff: 'per_page', pages: 150 });
        break;
      case 'reply_review':
      case 'reply_approved':
      case 'concluded':
        await step(clerk, 'draft-reply', { outcome: 'granted', reasons: '经查，现予公开' });
        if (state === 'reply_review') break;
        await step(sup, 'approve-reply', { confidentialityReviewed: true });
        if (state === 'reply_approved') break;
        await step(clerk, 'issue-reply', { on: TODAY });
        if (prep === 'reopen') {
          await step(clerk, 'record-review', { kind: 'reconsideration', filedOn: TODAY, result: 'corrected', concludedOn: TODAY, decisionReceivedOn: TODAY });
        }
        break;
    }
    return { id, version: v };
  }

  it('the contract table and the pure decide() agree for every state, action and role', () => {
    const diffs: string[] = [];
    for (const state of CASE_STATES) {
      for (const action of CASE_ACTIONS) {
        for (const role of ['clerk', 'supervisor', 'auditor', 'admin'] as const) {
          const rule = CONTRACT[action];
          const want = !(rule.roles as string[]).includes(role) ? 'FORBIDDEN' : !rule.from.includes(state) ? 'TRANSITION_NOT_ALLOWED' : rule.to === 'same' ? state : rule.to;
          const d = decide(action, state, role);
          const got = d.ok ? d.to : d.code;
          if (got !== want) diffs.push(`${state} ${action} ${role}: contract ${want}, decide ${got}`);
        }
      }
    }
    expect(diffs).toEqual([]);
    expect(Object.keys(CONTRACT).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  it.each(CASE_STATES.map((s) => [s]))('%s: every action by every caller', async (state) => {
    const problems: string[] = [];
    const sup = P['dept.supervisor'];
    // refused actions all go to one case in this state, whose version must not move
    const shared = await caseIn(state);
    const before = await t.http().get(`/api/v1/cases/${shared.id}`).set(bearer(sup));
    expect(before.status).toBe(200);
    expect(before.body.state).toBe(state);
    const historyBefore = (await t.http().get(`/api/v1/cases/${shared.id}/history`).set(bearer(sup))).body.items.length;

    const refusals: { caller: Caller; action: CaseAction; status: number; code: string }[] = [];
    const allowed: { caller: Caller; action: CaseAction; to: CaseState }[] = [];
    for (const action of CASE_ACTIONS) {
      for (const caller of CALLERS) {
        const e = expectation(caller, state, action);
        if (e.status === 'ok') allowed.push({ caller, action, to: e.to });
        else refusals.push({ caller, action, status: e.status, code: e.code });
      }
    }

    await pool(refusals, 6, async ({ caller, action, status, code }) => {
      const r = await post(P[caller], shared.id, action, bodyFor(action, state), shared.version);
      if (r.status !== status || r.body.code !== code) {
        problems.push(`${caller} ${action}: want ${status} ${code}, got ${r.status} ${r.body.code} ${r.body.message ?? ''}`);
      } else if (status === 404 && (r.body.state !== undefined || r.body.id !== undefined || JSON.stringify(r.body).includes(shared.id))) {
        problems.push(`${caller} ${action}: the 404 tells about the case`);
      }
    });

    await pool(allowed, 4, async ({ caller, action, to }) => {
      const c = await caseIn(state, action);
      const r = await post(P[caller], c.id, action, bodyFor(action, state), c.version);
      const want = action === 'reopen' ? 201 : 200;
      if (r.status !== want) {
        problems.push(`${caller} ${action}: want ${want}, got ${r.status} ${r.body.code} ${r.body.message ?? ''}`);
        return;
      }
      if (action === 'reopen') {
        // the answer is the new case; the old one stays concluded, one version further
        if (r.body.state !== 'in_progress' || r.body.reopenedFrom !== c.id || r.body.receiptDate !== TODAY) problems.push(`reopen: new case ${JSON.stringify({ state: r.body.state, reopenedFrom: r.body.reopenedFrom })}`);
        const old = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(sup));
        if (old.body.state !== 'concluded' || old.body.version !== c.version + 1) problems.push(`reopen: old case ${old.body.state} v${old.body.version}`);
        return;
      }
      if (r.body.state !== to) problems.push(`${caller} ${action}: want state ${to}, got ${r.body.state}`);
      if (r.body.version !== c.version + 1) problems.push(`${caller} ${action}: version ${c.version} → ${r.body.version}`);
    });

    const after = await t.http().get(`/api/v1/cases/${shared.id}`).set(bearer(sup));
    const historyAfter = (await t.http().get(`/api/v1/cases/${shared.id}/history`).set(bearer(sup))).body.items.length;
    expect(problems).toEqual([]);
    // nothing was written by any refusal
    expect(after.body.version).toBe(shared.version);
    expect(after.body.state).toBe(state);
    expect(after.body.updatedAt).toBe(before.body.updatedAt);
    expect(historyAfter).toBe(historyBefore);
  });

  it('a parent-agency supervisor and auditors read the case; other agencies do not see it', async () => {
    const c = await caseIn('in_progress');
    for (const who of ['dept.clerk', 'dept.supervisor', 'dept.auditor', 'city.supervisor', 'city.auditor'] as const) {
      const r = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(P[who]));
      expect([who, r.status]).toEqual([who, 200]);
      // what the reader may do: nothing for read-only readers (a parent supervisor cannot act here)
      if (who === 'city.supervisor' || who === 'dept.auditor' || who === 'city.auditor') expect([who, r.body.availableActions]).toEqual([who, []]);
      else expect(r.body.availableActions.length).toBeGreaterThan(0);
    }
    for (const who of ['city.clerk', 'district.clerk', 'district.supervisor', 'other.clerk', 'other.supervisor', 'other.auditor'] as const) {
      const r = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(P[who]));
      expect([who, r.status, r.body.code]).toEqual([who, 404, 'NOT_FOUND']);
    }
    const admin = await t.http().get(`/api/v1/cases/${c.id}`).set(bearer(P.admin));
    expect(admin.status).toBe(403);
  });

  it('reads raw rows into entities exactly as TypeORM’s own reads do, for every row the tests above wrote', async () => {
    // hydrate() serves the hot reads (a case with its reviews, letters, reminder batches); TypeORM's find() is the reference
    const m = t.ds.manager;
    let compared = 0;
    for (const entity of [CaseEntity, ReviewEntity, LetterEntity, ScheduledActionEntity]) {
      const meta = t.ds.getMetadata(entity);
      const pk = meta.primaryColumns[0].databaseName;
      const viaOrm = await m.getRepository(entity).find({ order: { [meta.primaryColumns[0].propertyName]: 'ASC' } });
      const raw: Record<string, unknown>[] = await m.query(`SELECT ${selectList(m, entity)} FROM "${meta.tableName}" ORDER BY "${pk}"`);
      expect([meta.name, raw.length]).toEqual([meta.name, viaOrm.length]);
      expect(viaOrm.length).toBeGreaterThan(0);
      raw.forEach((row, i) => expect(hydrate(m, entity, row)).toEqual(viaOrm[i]));
      compared += raw.length;
      // and insertRow() writes each value as TypeORM would (its parameter, and the entity's value read back)
      const plan = columnPlan(m, entity);
      for (const e of viaOrm) {
        meta.columns.forEach((col, k) => {
          const v = col.getEntityValue(e);
          expect([meta.name, col.propertyName, plan[k].get(e)]).toEqual([meta.name, col.propertyName, v]);
          expect([meta.name, col.propertyName, plan[k].persist(v)]).toEqual([meta.name, col.propertyName, t.ds.driver.preparePersistentValue(v, col)]);
        });
      }
    }
    // reviews also arrive as json_agg rows (timestamps as text)
    const reviews: { r: Record<string, unknown> }[] = await m.query(`SELECT to_jsonb(r) AS r FROM reviews r ORDER BY id`);
    const reviewsViaOrm = await m.getRepository(ReviewEntity).find({ order: { id: 'ASC' } });
    reviews.forEach(({ r }, i) => expect(hydrate(m, ReviewEntity, r)).toEqual(reviewsViaOrm[i]));
    expect(compared).toBeGreaterThan(100);
  });
});

