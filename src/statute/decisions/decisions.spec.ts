import fc from 'fast-check';
import { caseClock, noticeSentOn, receivedOn } from '../case-clock-facts';
import type { Consultation, Delivery, ReplyDraft } from '../case-record';
import { formatDayNumber, parseIsoDate } from '../iso-date';
import type { Role } from '../roles';
import { decide } from '../transition-table';
import { WorkingCalendar } from '../working-calendar';
import * as D from '.';
import { receivedCase } from './case-fixture';
import { PROBLEM_CODES, type CaseFacts, type Decision, type ProblemCode, type Step } from '.';

const cal = WorkingCalendar.official();
const RECEIPT = '2024-09-02';
/** the base case's deadline: 20 working days from 2024-09-02 (Mid-Autumn off, 09-14 and 09-29 worked) */
const DUE = '2024-09-30';

function kase(over: Partial<CaseFacts> = {}): CaseFacts {
  return receivedCase(RECEIPT, over);
}

interface Over {
  c?: Partial<CaseFacts>;
  today?: string;
  role?: Role;
  actorId?: string | null;
}

function input<B>(body: B, o: Over = {}) {
  return { c: kase(o.c), body, today: o.today ?? '2024-09-10', now: '2024-09-10T02:00:00.000Z', cal, role: o.role ?? 'clerk', actorId: o.actorId === undefined ? 'u1' : o.actorId };
}

const reached = new Set<ProblemCode>();

function refused(d: Decision, code: ProblemCode, field?: string): void {
  if (d.ok) throw new Error(`expected ${code}, got a step to ${d.step.to}`);
  expect(d.problem.code).toBe(code);
  if (field !== undefined) expect(d.problem.fields?.map((f) => f.field)).toContain(field);
  reached.add(code);
}

function stepOf<S extends Step>(d: Decision<S>): S {
  if (!d.ok) throw new Error(`expected a step, got ${JSON.stringify(d.problem)}`);
  return d.step;
}

const consultation = (over: Partial<Consultation> = {}): Consultation => ({
  id: 'k1',
  party: 'third_party',
  name: '某公司',
  jointMaker: false,
  openedOn: '2024-09-05',
  closedOn: null,
  opinion: null,
  note: null,
  ...over,
});

const draft = (over: Partial<ReplyDraft> = {}): ReplyDraft => ({ outcome: 'granted', details: {}, draftedBy: 'u1', draftedAt: '2024-09-09T00:00:00Z', approvals: [], ...over });

describe('the base case', () => {
  it('is due on the 20th working day', () => {
    expect(caseClock(kase(), cal, RECEIPT).computedDue).toBe(DUE);
  });
});

describe('every decision: the table first', () => {
  it('refuses a role the table does not allow (FORBIDDEN), before the state', () => {
    refused(D.decideAssign({ ...input({ assigneeId: 'u2' }, { role: 'clerk' }), assignee: null }), 'FORBIDDEN');
    refused(D.decideApproveExtension(input({}, { role: 'auditor', c: { state: 'submitted' } })), 'FORBIDDEN');
  });

  it('refuses a state the table does not allow (TRANSITION_NOT_ALLOWED), naming state and action', () => {
    const d = D.decideConfirmReceipt({ ...input({}), submittedOn: null, art35Counts: { month: 1, window: 1 }, art35Thresholds: { perMonth: 10, windowDays: 7, perWindow: 5 } });
    refused(d, 'TRANSITION_NOT_ALLOWED');
    expect(!d.ok && d.problem.details).toEqual({ state: 'in_progress', action: 'confirm-receipt' });
  });
});

describe('a step’s day', () => {
  it('is today by default, never in the future, never before the receipt or the previous step', () => {
    expect(stepOf(D.decideWithdraw(input({ reason: 'x' }))).on).toBe('2024-09-10');
    refused(D.decideWithdraw(input({ reason: 'x', on: '2024-09-11' })), 'VALIDATION_FAILED', 'on');
    refused(D.decideWithdraw(input({ reason: 'x', on: '2024-09-01' })), 'VALIDATION_FAILED', 'on');
    refused(D.decideWithdraw(input({ reason: 'x', on: '2024-09-04' }, { c: { lastStepOn: '2024-09-05' } })), 'VALIDATION_FAILED', 'on');
    // a non-working day is allowed
    expect(stepOf(D.decideWithdraw(input({ reason: 'x', on: '2024-09-08' }))).on).toBe('2024-09-08');
  });
});

describe('confirm-receipt (Art 31, Art 35 flag)', () => {
  const t = { perMonth: 10, windowDays: 7, perWindow: 5 };
  const submitted = { state: 'submitted' as const, receiptDate: null, lastStepOn: null };
  it('takes the receipt date, not before the submission, and flags the applicant over a threshold', () => {
    const s = stepOf(D.decideConfirmReceipt({ ...input({ on: '2024-09-09' }, { c: submitted }), submittedOn: '2024-09-06', art35Counts: { month: 11, window: 2 }, art35Thresholds: t }));
    expect(s.to).toBe('in_progress');
    expect(s.patch).toMatchObject({ receiptDate: '2024-09-09', lastStepOn: '2024-09-09' });
    expect(s.patch.art35Flag?.month).toBe(11);
    expect(s.payload.art35Flag).toHaveLength(1);
    refused(D.decideConfirmReceipt({ ...input({ on: '2024-09-05' }, { c: submitted }), submittedOn: '2024-09-06', art35Counts: { month: 1, window: 1 }, art35Thresholds: t }), 'VALIDATION_FAILED', 'on');
    const plain = stepOf(D.decideConfirmReceipt({ ...input({}, { c: submitted }), submittedOn: '2024-09-06', art35Counts: { month: 1, window: 1 }, art35Thresholds: t }));
    expect(plain.patch.art35Flag).toBeNull();
    expect(plain.payload).toEqual({ receiptDate: '2024-09-10' });
  });
});

describe('discard, forward, assign, reset-query-code', () => {
  const submitted = { state: 'submitted' as const, receiptDate: null, lastStepOn: null };
  it('discards a submission', () => {
    expect(stepOf(D.decideDiscard(input({ reason: '重复提交' }, { c: submitted })))).toMatchObject({ to: 'discarded', patch: { discardReason: '重复提交' } });
  });
  it('forwards once, to another agency of the platform, clearing the 承办人', () => {
    const target = { id: 'a2', name: '乙局' };
    const s = stepOf(D.decideForwardCase({ ...input({ agencyId: 'A2', reason: 'r' }, { c: { ...submitted, assigneeId: 'u9' } }), target, fromName: '甲局' }));
    expect(s).toMatchObject({ to: 'submitted', patch: { agencyId: 'a2', assigneeId: null, forwarded: { fromAgencyId: 'a1', toAgencyId: 'a2', by: 'u1' } } });
    expect(s.payload).toMatchObject({ fromAgencyName: '甲局', toAgencyName: '乙局' });
    refused(D.decideForwardCase({ ...input({ agencyId: 'a1', reason: 'r' }, { c: submitted }), target: { id: 'a1', name: '甲局' }, fromName: '甲局' }), 'VALIDATION_FAILED', 'agencyId');
    refused(D.decideForwardCase({ ...input({ agencyId: 'a3', reason: 'r' }, { c: submitted }), target: null, fromName: '甲局' }), 'VALIDATION_FAILED', 'agencyId');
    const again = D.decideForwardCase({ ...input({ agencyId: 'a2', reason: 'r' }, { c: { ...submitted, forwarded: { fromAgencyId: 'a0', toAgencyId: 'a1', on: '2024-09-01', reason: 'r', by: 'u0' } } }), target, fromName: null });
    refused(again, 'FORWARD_ALREADY_USED');
    expect(!again.ok && again.problem.details).toEqual({ forwardedOn: '2024-09-01' });
  });
  it('assigns only an active clerk of the case’s agency', () => {
    const clerk = { id: 'u2', active: true, agencyId: 'a1', role: 'clerk' };
    expect(stepOf(D.decideAssign({ ...input({ assigneeId: 'u2' }, { role: 'supervisor' }), assignee: clerk })).payload).toEqual({ assigneeId: 'u2', previous: null });
    for (const a of [null, { ...clerk, active: false }, { ...clerk, agencyId: 'a2' }, { ...clerk, role: 'supervisor' }]) {
      refused(D.decideAssign({ ...input({ assigneeId: 'u2' }, { role: 'supervisor' }), assignee: a }), 'VALIDATION_FAILED', 'assigneeId');
    }
  });
  it('replaces the query code’s hash, with nothing of the code in the history', () => {
    const s = stepOf(D.decideResetQueryCode({ ...input({}, { role: 'supervisor' }), queryCodeHash: 'hash' }));
    expect(s).toMatchObject({ to: 'in_progress', patch: { queryCodeHash: 'hash' }, payload: {} });
  });
});

describe('Art 30: correction', () => {
  it('is asked once, within 7 working days of receipt', () => {
    const s = stepOf(D.decideRequestCorrection({ ...input({ items: '身份证明', on: '2024-09-10' }), agencyPeriodDays: null }));
    expect(s.to).toBe('awaiting_correction');
    expect(s.patch.correction).toEqual({ requestedOn: '2024-09-10', items: ['身份证明'], periodDays: 15, receivedOn: null, content: null });
    expect(stepOf(D.decideRequestCorrection({ ...input({ items: ['a', 'b'], periodDays: 10 }), agencyPeriodDays: 20 })).patch.correction?.periodDays).toBe(10);
    expect(stepOf(D.decideRequestCorrection({ ...input({ items: 'a' }), agencyPeriodDays: 20 })).patch.correction?.periodDays).toBe(20);
    // 2024-09-02 + 7 working days = 2024-09-11
    expect(stepOf(D.decideRequestCorrection({ ...input({ items: 'a' }, { today: '2024-09-11' }), agencyPeriodDays: null })).on).toBe('2024-09-11');
    const late = D.decideRequestCorrection({ ...input({ items: 'a' }, { today: '2024-09-12' }), agencyPeriodDays: null });
    refused(late, 'CORRECTION_WINDOW_CLOSED');
    expect(!late.ok && late.problem.details).toEqual({ limit: '2024-09-11' });
    const correction = { requestedOn: '2024-09-03', items: ['a'], periodDays: 15, receivedOn: '2024-09-05', content: 'x' };
    refused(D.decideRequestCorrection({ ...input({ items: 'a' }, { c: { correction } }), agencyPeriodDays: null }), 'CORRECTION_ALREADY_REQUESTED');
  });
  it('restarts the clock from the corrected application and drops an Art 35 date', () => {
    const c = { state: 'awaiting_correction' as const, correction: { requestedOn: '2024-09-03', items: ['a'], periodDays: 15, receivedOn: null, content: null }, delayedUntil: '2024-12-01', lastStepOn: '2024-09-03' };
    const s = stepOf(D.decideRecordCorrection(input({ content: '补正内容' }, { c, actorId: null })));
    expect(s.to).toBe('in_progress');
    expect(s.patch).toMatchObject({ delayedUntil: null, delayedReason: null, correction: { receivedOn: '2024-09-10', content: '补正内容' } });
    expect(s.payload).toMatchObject({ via: 'portal', delayedUntilDropped: '2024-12-01' });
    expect(stepOf(D.decideRecordCorrection(input({ content: 'x' }, { c: { ...c, delayedUntil: null } }))).payload).toEqual({ content: 'x', via: 'clerk' });
  });
});

describe('Arts 32–34: consultations', () => {
  it('pauses the clock, never after the deadline', () => {
    const s = stepOf(D.decideConsult({ ...input({ party: 'third_party', name: '某公司', address: '某路1号' }), consultationId: 'k9' }));
    expect(s.to).toBe('consulting');
    expect(s.patch.consultations?.[0]).toMatchObject({ id: 'k9', openedOn: '2024-09-10', closedOn: null, address: '某路1号' });
    expect(s.payload).toEqual({ consultationId: 'k9', party: 'third_party', name: '某公司', jointMaker: false });
    expect(stepOf(D.decideConsult({ ...input({ party: 'other_agency', name: '乙局', on: DUE }, { today: DUE }), consultationId: 'k9' })).on).toBe(DUE);
    const late = D.decideConsult({ ...input({ party: 'other_agency', name: '乙局' }, { today: '2024-10-09' }), consultationId: 'k9' });
    refused(late, 'DEADLINE_PASSED');
    expect(!late.ok && late.problem.details).toEqual({ due: DUE });
    // while another is open the clock stands still: a second one may begin any day
    const open = { state: 'consulting' as const, consultations: [consultation()], lastStepOn: '2024-09-05' };
    expect(stepOf(D.decideConsult({ ...input({ party: 'third_party', name: '丙' }, { c: open, today: '2024-11-20' }), consultationId: 'k2' })).to).toBe('consulting');
  });

  it('ends one open consultation; the case stays consulting while another is open (the table’s dynamic target)', () => {
    const two = { state: 'consulting' as const, consultations: [consultation(), consultation({ id: 'k2', openedOn: '2024-09-06' })], lastStepOn: '2024-09-06' };
    const first = stepOf(D.decideEndConsultation(input({ consultationId: 'K1', opinion: 'consent' }, { c: two })));
    expect(first.to).toBe('consulting');
    expect(first.to).toBe(decide('end-consultation', 'consulting', 'clerk', { openConsultationsAfter: 1 }).ok && 'consulting');
    const one = { ...two, consultations: [consultation({ closedOn: '2024-09-07', opinion: 'none' }), consultation({ id: 'k2', openedOn: '2024-09-06' })] };
    const last = stepOf(D.decideEndConsultation(input({ opinion: 'objection', note: 'n' }, { c: one })));
    expect(last.to).toBe('in_progress');
    expect(last.payload).toEqual({ consultationId: 'k2', opinion: 'objection', note: 'n' });
    refused(D.decideEndConsultation(input({ opinion: 'consent' }, { c: two })), 'VALIDATION_FAILED', 'consultationId');
    refused(D.decideEndConsultation(input({ consultationId: 'k3', opinion: 'consent' }, { c: two })), 'CONSULTATION_NOT_OPEN');
    refused(D.decideEndConsultation(input({ opinion: 'consent' }, { c: { state: 'consulting', consultations: [consultation({ closedOn: '2024-09-06' })] } })), 'CONSULTATION_NOT_OPEN');
    refused(D.decideEndConsultation(input({ opinion: 'consent', on: '2024-09-04' }, { c: { state: 'consulting', consultations: [consultation()] } })), 'VALIDATION_FAILED', 'on');
  });

  it('refuses an end date that would leave a later consultation begun after the deadline', () => {
    // the first consultation opened on 09-05 and its end is recorded late, dated 09-06; the second was opened on 10-20,
    // which the clock (resumed on 09-06) sees after the deadline
    const c = { state: 'consulting' as const, consultations: [consultation(), consultation({ id: 'k2', name: '乙局', openedOn: '2024-10-20' })], lastStepOn: '2024-10-20' };
    const d = D.decideEndConsultation(input({ consultationId: 'k1', opinion: 'consent', on: '2024-09-06' }, { c, today: '2024-10-21' }));
    refused(d, 'DEADLINE_PASSED');
    expect(!d.ok && d.problem.details).toMatchObject({ consultationId: 'k2' });
  });
});

describe('Art 33 ¶2: extension', () => {
  it('is requested once, at most MAX_EXTENSION_DAYS, on or before the deadline, not under an Art 35 date', () => {
    const s = stepOf(D.decideRequestExtension(input({ days: 15, reason: '量大' })));
    expect(s).toMatchObject({ to: 'in_progress', patch: { extension: { days: 15, status: 'requested', requestedOn: '2024-09-10', requestedBy: 'u1' } } });
    refused(D.decideRequestExtension(input({ days: 21, reason: 'r' })), 'VALIDATION_FAILED', 'days');
    refused(D.decideRequestExtension(input({ days: 0, reason: 'r' })), 'VALIDATION_FAILED', 'days');
    expect(stepOf(D.decideRequestExtension(input({ days: 20, reason: 'r' }, { today: DUE }))).on).toBe(DUE);
    refused(D.decideRequestExtension(input({ days: 5, reason: 'r' }, { today: '2024-10-09' })), 'EXTENSION_TOO_LATE');
    const ext = { days: 5, status: 'requested' as const, requestedOn: '2024-09-09', approvedOn: null, reason: 'r', requestedBy: 'u1', approvedBy: null };
    refused(D.decideRequestExtension(input({ days: 5, reason: 'r' }, { c: { extension: ext } })), 'EXTENSION_ALREADY_USED');
    const art35 = D.decideRequestExtension(input({ days: 5, reason: 'r' }, { c: { delayedUntil: '2024-12-31' } }));
    refused(art35, 'TRANSITION_NOT_ALLOWED');
    expect(!art35.ok && art35.problem.details).toEqual({ delayedUntil: '2024-12-31' });
  });

  it('is approved by a supervisor on or before the deadline, which then moves later', () => {
    const ext = { days: 10, status: 'requested' as const, requestedOn: '2024-09-09', approvedOn: null, reason: 'r', requestedBy: 'u1', approvedBy: null };
    const s = stepOf(D.decideApproveExtension(input({}, { c: { extension: ext, lastStepOn: '2024-09-09' }, role: 'supervisor', actorId: 's1' })));
    expect(s.patch.extension).toMatchObject({ status: 'approved', approvedOn: '2024-09-10', approvedBy: 's1' });
    expect(s.payload).toEqual({ days: 10, previousDue: DUE });
    refused(D.decideApproveExtension(input({}, { role: 'supervisor' })), 'EXTENSION_NOT_REQUESTED');
    refused(D.decideApproveExtension(input({}, { c: { extension: { ...ext, status: 'approved', approvedOn: '2024-09-09' } }, role: 'supervisor' })), 'EXTENSION_NOT_REQUESTED');
    refused(D.decideApproveExtension(input({ on: '2024-09-08' }, { c: { extension: ext }, role: 'supervisor' })), 'VALIDATION_FAILED', 'on');
    refused(D.decideApproveExtension(input({}, { c: { extension: ext }, role: 'supervisor', today: '2024-10-09' })), 'EXTENSION_TOO_LATE');
    refused(D.decideApproveExtension(input({}, { c: { extension: ext, delayedUntil: '2024-12-31' }, role: 'supervisor' })), 'TRANSITION_NOT_ALLOWED');
  });
});

describe('Art 35: reasons and a later reply date', () => {
  const asked = { requestedOn: '2024-09-04', items: ['说明'], periodDays: 15, answeredOn: null, content: null, reasonable: null };
  it('asks for reasons once, and records the answer once', () => {
    const s = stepOf(D.decideRequestReasons(input({ items: '说明申请数量' }, { c: { art35Flag: { month: 12, window: 1, thresholds: { perMonth: 10, windowDays: 7, perWindow: 5 }, reasons: ['多'] } } })));
    expect(s.patch.reasonsRequest).toEqual({ requestedOn: '2024-09-10', items: ['说明申请数量'], periodDays: 15, answeredOn: null, content: null, reasonable: null });
    expect(s.payload.art35Flag).toEqual(['多']);
    refused(D.decideRequestReasons(input({ items: 'a' }, { c: { reasonsRequest: asked } })), 'TRANSITION_NOT_ALLOWED');
    const r = stepOf(D.decideRecordReasons(input({ content: '科研需要', reasonable: true }, { c: { reasonsRequest: asked } })));
    expect(r.patch.reasonsRequest).toMatchObject({ answeredOn: '2024-09-10', reasonable: true });
    refused(D.decideRecordReasons(input({ content: 'x', reasonable: true })), 'REASONS_NOT_ESTABLISHED');
    refused(D.decideRecordReasons(input({ content: 'x', reasonable: true }, { c: { reasonsRequest: { ...asked, reasonable: false } } })), 'REASONS_NOT_ESTABLISHED');
    refused(D.decideRecordReasons(input({ content: 'x', reasonable: true, on: '2024-09-03' }, { c: { reasonsRequest: asked } })), 'VALIDATION_FAILED', 'on');
  });

  it('sets a later reply date only after reasonable reasons, later than the deadline', () => {
    const reasonable = { ...asked, answeredOn: '2024-09-09', content: 'x', reasonable: true };
    const s = stepOf(D.decideSetDelayedReply(input({ until: '2024-11-30', reason: 'r' }, { c: { reasonsRequest: reasonable }, role: 'supervisor' })));
    expect(s.patch).toMatchObject({ delayedUntil: '2024-11-30', delayedReason: 'r' });
    expect(s.payload.previousDue).toBe(DUE);
    refused(D.decideSetDelayedReply(input({ until: '2024-11-30', reason: 'r' }, { role: 'supervisor' })), 'REASONS_NOT_ESTABLISHED');
    refused(D.decideSetDelayedReply(input({ until: DUE, reason: 'r' }, { c: { reasonsRequest: reasonable }, role: 'supervisor' })), 'VALIDATION_FAILED', 'until');
    refused(D.decideSetDelayedReply(input({ until: '2201-01-01', reason: 'r' }, { c: { reasonsRequest: reasonable }, role: 'supervisor' })), 'VALIDATION_FAILED', 'until');
  });

  it('lets a vexatious reply be drafted only once the reasons failed', () => {
    refused(D.decideDraftReply({ ...input({ outcome: 'rejected.vexatious', reasons: 'r' }), earlierCase: null }), 'REASONS_NOT_ESTABLISHED');
    const pending = D.decideDraftReply({ ...input({ outcome: 'rejected.vexatious', reasons: 'r' }, { c: { reasonsRequest: asked } }), earlierCase: null });
    refused(pending, 'REASONS_NOT_ESTABLISHED');
    // 15 working days from 2024-09-04 (the request, no delivery recorded)
    expect(!pending.ok && pending.problem.details).toEqual({ periodEnds: '2024-09-26' });
    expect(D.reasonsEnd(kase({ reasonsRequest: asked, deliveries: [{ of: 'reasons_request', on: '2024-09-06', method: 'post', waybillNumber: null, recordedAt: 'x' }] }), cal)).toBe('2024-09-29');
    expect(stepOf(D.decideDraftReply({ ...input({ outcome: 'rejected.vexatious', reasons: 'r' }, { c: { reasonsRequest: asked }, today: '2024-09-29' }), earlierCase: null })).to).toBe('reply_review');
  });
});

describe('办法: the fee', () => {
  it('is notified once, within the reply period, by the tariff unless an amount is given', () => {
    const perItem = stepOf(D.decideNotifyFee({ ...input({ tariff: 'per_item' }, { actorId: 's1' }), monthPosition: 11 }));
    expect(perItem.to).toBe('awaiting_fee');
    expect(perItem.patch.fee).toMatchObject({ tariff: 'per_item', nth: 11, notifiedOn: '2024-09-10', paidOn: null });
    expect(perItem.patch.fee?.amount).toBeGreaterThan(0);
    const perPage = stepOf(D.decideNotifyFee({ ...input({ tariff: 'per_page', pages: 10, amount: 12.5, basis: 'b' }), monthPosition: 1 }));
    expect(perPage.patch.fee).toMatchObject({ pages: 10, amount: 12.5, nth: null, basis: 'b' });
    refused(D.decideNotifyFee({ ...input({ tariff: 'per_page' }), monthPosition: 1 }), 'VALIDATION_FAILED', 'pages');
    refused(D.decideNotifyFee({ ...input({ tariff: 'per_item' }, { today: '2024-10-09' }), monthPosition: 11 }), 'DEADLINE_PASSED');
    const fee = { tariff: 'per_item' as const, pages: null, nth: 11, amount: 100, notifiedOn: '2024-09-05', paidOn: '2024-09-06', receiptNumber: 'R', basis: null, paidAmount: 100 };
    refused(D.decideNotifyFee({ ...input({ tariff: 'per_item' }, { c: { fee } }), monthPosition: 11 }), 'TRANSITION_NOT_ALLOWED');
  });

  it('is paid in the notice’s amount, not before the notice', () => {
    const fee = { tariff: 'per_item' as const, pages: null, nth: 11, amount: 100, notifiedOn: '2024-09-05', paidOn: null, receiptNumber: null, basis: null, paidAmount: null };
    const c = { state: 'awaiting_fee' as const, fee, lastStepOn: '2024-09-05' };
    const s = stepOf(D.decideRecordPayment(input({ receiptNumber: 'R1', amount: 100 }, { c })));
    expect(s).toMatchObject({ to: 'in_progress', patch: { fee: { paidOn: '2024-09-10', receiptNumber: 'R1', paidAmount: 100 } } });
    refused(D.decideRecordPayment(input({ receiptNumber: 'R1', amount: 99 }, { c })), 'VALIDATION_FAILED', 'amount');
    refused(D.decideRecordPayment(input({ receiptNumber: 'R1', amount: 100, on: '2024-09-04' }, { c: { ...c, lastStepOn: RECEIPT } })), 'VALIDATION_FAILED', 'on');
  });
});

describe('Arts 36–39: the reply', () => {
  it('drafts an outcome of the catalogue with its details', () => {
    const s = stepOf(D.decideDraftReply({ ...input({ outcome: 'granted' }), earlierCase: null }));
    expect(s).toMatchObject({ to: 'reply_review', patch: { replyDraft: { outcome: 'granted', approvals: [], draftedBy: 'u1', draftedAt: '2024-09-10T02:00:00.000Z' } } });
    refused(D.decideDraftReply({ ...input({ outcome: 'no.such' }), earlierCase: null }), 'VALIDATION_FAILED', 'outcome');
    refused(D.decideDraftReply({ ...input({ outcome: 'other.correction_lapsed' }), earlierCase: null }), 'VALIDATION_FAILED', 'outcome');
    refused(D.decideDraftReply({ ...input({ outcome: 'withheld.state_secret' }), earlierCase: null }), 'VALIDATION_FAILED');
  });

  it('names the earlier reply of a duplicate: a case of the system, or by hand before it', () => {
    const earlier = { id: 'c0', agencyId: 'a1', applicantIdHash: 'h1', number: '甲〔2024〕1号', date: '2024-08-01' };
    const s = stepOf(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { caseId: 'C0' } }), earlierCase: earlier }));
    expect(s.patch.replyDraft?.details.earlierReply).toEqual({ caseId: 'c0', beforeSystem: false, documentNumber: '甲〔2024〕1号', date: '2024-08-01' });
    refused(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { caseId: 'c0' } }), earlierCase: { ...earlier, applicantIdHash: 'h2' } }), 'VALIDATION_FAILED', 'earlierReply.caseId');
    refused(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { caseId: 'c0' } }), earlierCase: null }), 'VALIDATION_FAILED', 'earlierReply.caseId');
    refused(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { beforeSystem: true, documentNumber: 'x', date: '2024-09-11' } }), earlierCase: null }), 'VALIDATION_FAILED', 'earlierReply.date');
    refused(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { beforeSystem: true } }), earlierCase: null }), 'VALIDATION_FAILED', 'earlierReply.documentNumber');
    const byHand = stepOf(D.decideDraftReply({ ...input({ outcome: 'rejected.duplicate', earlierReply: { beforeSystem: true, documentNumber: 'x', date: '2019-01-01' } }), earlierCase: null }));
    expect(byHand.patch.replyDraft?.details.earlierReply).toEqual({ beforeSystem: true, documentNumber: 'x', date: '2019-01-01' });
  });

  it('is signed off step by step; the last step needs the confidentiality review and approves (dynamic target)', () => {
    const c = { state: 'reply_review' as const, replyDraft: draft() };
    const first = stepOf(D.decideApproveReply({ ...input({ confidentialityReviewed: true }, { c, role: 'supervisor', actorId: 's1' }), approvalSteps: 2 }));
    expect(first.to).toBe('reply_review');
    expect(first.payload).toEqual({ step: 1, of: 2, confidentialityReviewed: true });
    const c2 = { ...c, replyDraft: draft({ approvals: [{ step: 1, by: 's1', at: 'x', confidentialityReviewed: true }] }) };
    expect(stepOf(D.decideApproveReply({ ...input({}, { c: c2, role: 'supervisor' }), approvalSteps: 2 })).to).toBe('reply_approved');
    refused(D.decideApproveReply({ ...input({ step: 1 }, { c: c2, role: 'supervisor' }), approvalSteps: 2 }), 'VALIDATION_FAILED', 'step');
    refused(D.decideApproveReply({ ...input({}, { c, role: 'supervisor' }), approvalSteps: 1 }), 'VALIDATION_FAILED', 'confidentialityReviewed');
  });

  it('is returned (sign-offs void) and issued (the conclusion)', () => {
    const approved = { state: 'reply_approved' as const, replyDraft: draft({ approvals: [{ step: 1, by: 's1', at: 'x', confidentialityReviewed: true }] }) };
    const back = stepOf(D.decideReturnReply(input({ reason: '改' }, { c: approved, role: 'supervisor' })));
    expect(back).toMatchObject({ to: 'in_progress', payload: { reason: '改' } });
    expect(back.patch.replyDraft?.approvals).toEqual([]);
    const issued = stepOf(D.decideIssueReply(input({ on: '2024-09-09' }, { c: approved })));
    expect(issued).toMatchObject({ to: 'concluded', patch: { outcome: 'granted', concludedOn: '2024-09-09', lastStepOn: '2024-09-09' }, payload: { outcome: 'granted' } });
  });
});

describe('送达: record-delivery', () => {
  it('records a letter’s receipt, not before it went out', () => {
    const s = stepOf(D.decideRecordDelivery({ ...input({ of: 'correction_notice', method: 'post', waybillNumber: 'EMS1' }), letter: null, firstSentOn: '2024-09-05' }));
    expect(s.patch.deliveries).toEqual([{ of: 'correction_notice', on: '2024-09-10', method: 'post', waybillNumber: 'EMS1', recordedAt: '2024-09-10T02:00:00.000Z' }]);
    expect(s.to).toBe('in_progress');
    refused(D.decideRecordDelivery({ ...input({ of: 'correction_notice', method: 'post', on: '2024-09-04' }), letter: null, firstSentOn: '2024-09-05' }), 'VALIDATION_FAILED', 'on');
    refused(D.decideRecordDelivery({ ...input({ of: 'fee_notice', method: 'post' }), letter: null, firstSentOn: null }), 'VALIDATION_FAILED', 'of');
    const letter = { id: 'l1', code: 'reply', datedOn: '2024-09-09' };
    const named = stepOf(D.decideRecordDelivery({ ...input({ letterId: 'l1', method: 'email' }, { c: { state: 'concluded', concludedOn: '2024-09-09' } }), letter, firstSentOn: null }));
    expect(named).toMatchObject({ to: 'concluded', payload: { of: 'reply', letterId: 'l1' } });
    refused(D.decideRecordDelivery({ ...input({ letterId: 'l2', method: 'email' }), letter: null, firstSentOn: null }), 'VALIDATION_FAILED', 'letterId');
    refused(D.decideRecordDelivery({ ...input({ letterId: 'l1', of: 'fee_notice', method: 'email' }), letter, firstSentOn: null }), 'VALIDATION_FAILED', 'of');
  });

  it('records the receipt of a superseded letter as a fact of that letter only: the period runs from the notice in force', () => {
    // the correction notice of 09-03 was superseded on 09-05 (its record dates the notice in force anew)
    const correction = { requestedOn: '2024-09-03', items: ['a'], periodDays: 15, receivedOn: null, content: null, noticeOn: '2024-09-05' };
    const c = { state: 'awaiting_correction' as const, correction, lastStepOn: '2024-09-03' };
    const old = { id: 'l1', code: 'correction_notice', datedOn: '2024-09-03', superseded: true };
    const late = stepOf(D.decideRecordDelivery({ ...input({ letterId: 'l1', method: 'post', on: '2024-09-10' }, { c }), letter: old, firstSentOn: null }));
    expect(late.patch.deliveries).toEqual([expect.objectContaining({ of: 'correction_notice', letterId: 'l1', on: '2024-09-10', superseded: true })]);
    expect(late.payload).toMatchObject({ letterId: 'l1', superseded: true });
    // 15 working days from the replacement's day (2024-09-05): 2024-09-27 (not from the late receipt of the old one)
    const lapse = (deliveries: Delivery[], today: string) => D.decideConcludeLapsed(input({ reason: 'correction' }, { c: { ...c, deliveries }, today }));
    expect(stepOf(lapse(late.patch.deliveries!, '2024-09-30')).payload).toMatchObject({ periodEnded: '2024-09-27' });
    // the replacement's receipt (09-06) counts, recorded before or after the old one's (from 09-06: 2024-09-29, a
    // Sunday worked for National Day; the late receipt of the old one, 09-10, would give 10-11)
    const current: Delivery = { of: 'correction_notice', on: '2024-09-06', method: 'post', waybillNumber: null, recordedAt: 'x', letterId: 'l2' };
    for (const deliveries of [[current, ...late.patch.deliveries!], [...late.patch.deliveries!, current]]) {
      expect(stepOf(lapse(deliveries, '2024-09-30')).payload).toMatchObject({ periodEnded: '2024-09-29' });
      refused(lapse(deliveries, '2024-09-29'), 'PERIOD_NOT_LAPSED');
    }
    // an old receipt recorded while it was in force (09-04) is bounded by the day the replacement went out (09-05)
    const before: Delivery = { of: 'correction_notice', on: '2024-09-04', method: 'post', waybillNumber: null, recordedAt: 'x', letterId: 'l1' };
    expect(stepOf(lapse([before], '2024-09-30')).payload).toMatchObject({ periodEnded: '2024-09-27' });
  });

  it('never lets a receipt of a superseded letter move the period, whatever its day and order (property)', () => {
    const day = fc.integer({ min: 0, max: 20 }).map((n) => formatDayNumber(parseIsoDate('2024-09-05')! + n));
    const receipt = (superseded: boolean) => day.map((on): Delivery => ({ of: 'fee_notice', on, method: 'post', waybillNumber: null, recordedAt: 'x', ...(superseded ? { superseded: true as const } : {}) }));
    fc.assert(
      fc.property(fc.array(receipt(false), { maxLength: 3 }), fc.array(receipt(true), { maxLength: 3 }), (current, old) => {
        const expected = current.reduce((a, d) => (d.on > a ? d.on : a), '2024-09-05');
        for (const all of [[...current, ...old], [...old, ...current]]) {
          expect(receivedOn(all, 'fee_notice', noticeSentOn({ noticeOn: '2024-09-05' }, '2024-09-02'))).toBe(expected);
        }
        // before any correction the record's own day bounds it
        expect(receivedOn(current, 'fee_notice', noticeSentOn({}, '2024-09-05'))).toBe(expected);
      }),
    );
  });
});

describe('Art 30 / 办法: deemed abandoned; withdrawal', () => {
  const correction = { requestedOn: '2024-09-03', items: ['a'], periodDays: 15, receivedOn: null, content: null };
  it('concludes a lapsed correction only after its period (from the notice’s receipt)', () => {
    const c = { state: 'awaiting_correction' as const, correction, lastStepOn: '2024-09-03' };
    // 15 working days from 2024-09-03: 2024-09-25
    const early = D.decideConcludeLapsed(input({ reason: 'correction' }, { c, today: '2024-09-25' }));
    refused(early, 'PERIOD_NOT_LAPSED');
    expect(!early.ok && early.problem.details).toEqual({ periodEnds: '2024-09-25' });
    const s = stepOf(D.decideConcludeLapsed(input({ reason: 'correction' }, { c, today: '2024-09-26' })));
    expect(s).toMatchObject({ to: 'concluded', patch: { outcome: 'other.correction_lapsed', concludedOn: '2024-09-26' }, payload: { periodEnded: '2024-09-25' } });
    const delivered = { ...c, deliveries: [{ of: 'correction_notice', on: '2024-09-05', method: 'post', waybillNumber: null, recordedAt: 'x' }] };
    refused(D.decideConcludeLapsed(input({ reason: 'correction' }, { c: delivered, today: '2024-09-26' })), 'PERIOD_NOT_LAPSED');
    refused(D.decideConcludeLapsed(input({ reason: 'fee' }, { c, today: '2024-09-26' })), 'TRANSITION_NOT_ALLOWED');
  });
  it('concludes an unpaid fee after 20 working days', () => {
    const fee = { tariff: 'per_item' as const, pages: null, nth: 11, amount: 100, notifiedOn: '2024-09-05', paidOn: null, receiptNumber: null, basis: null, paidAmount: null };
    const c = { state: 'awaiting_fee' as const, fee, lastStepOn: '2024-09-05' };
    refused(D.decideConcludeLapsed(input({ reason: 'correction' }, { c, today: '2024-11-20' })), 'TRANSITION_NOT_ALLOWED');
    expect(stepOf(D.decideConcludeLapsed(input({ reason: 'fee' }, { c, today: '2024-11-20' }))).patch.outcome).toBe('other.fee_unpaid');
  });
  it('withdraws with the applicant’s reason', () => {
    expect(stepOf(D.decideWithdraw(input({ reason: '不再需要' }))).patch).toMatchObject({ outcome: 'other.other', outcomeDetails: { reasons: '申请人撤回申请：不再需要' } });
  });
});

describe('Art 51: reviews and reopening', () => {
  it('records a review from the receipt, or the submission of an unconfirmed one, with its dates in order', () => {
    const s = stepOf(D.decideRecordReview({ ...input({ kind: 'reconsideration', filedOn: '2024-09-09' }), reviewId: 'r1', submittedOn: null }));
    expect(s).toMatchObject({ to: 'in_progress', on: '2024-09-09', review: { id: 'r1', result: 'pending', concludedOn: null, note: null } });
    const submitted = { state: 'submitted' as const, receiptDate: null, lastStepOn: null };
    expect(stepOf(D.decideRecordReview({ ...input({ kind: 'litigation_direct', filedOn: '2024-09-09' }, { c: submitted }), reviewId: 'r1', submittedOn: '2024-09-01' })).on).toBe('2024-09-09');
    refused(D.decideRecordReview({ ...input({ kind: 'litigation_direct', filedOn: '2024-08-30' }, { c: submitted }), reviewId: 'r1', submittedOn: '2024-09-01' }), 'VALIDATION_FAILED', 'filedOn');
    refused(D.decideRecordReview({ ...input({ kind: 'reconsideration', filedOn: '2024-09-09', result: 'upheld' }), reviewId: 'r1', submittedOn: null }), 'VALIDATION_FAILED', 'concludedOn');
    refused(D.decideRecordReview({ ...input({ kind: 'reconsideration', filedOn: '2024-09-09', concludedOn: '2024-09-08' }), reviewId: 'r1', submittedOn: null }), 'VALIDATION_FAILED', 'concludedOn');
    refused(D.decideRecordReview({ ...input({ kind: 'reconsideration', filedOn: '2024-09-05', concludedOn: '2024-09-08', decisionReceivedOn: '2024-09-07' }), reviewId: 'r1', submittedOn: null }), 'VALIDATION_FAILED', 'decisionReceivedOn');
  });

  const review = { id: 'r1', kind: 'reconsideration' as const, filedOn: '2024-09-05', result: 'pending' as const, concludedOn: null, decisionReceivedOn: null, note: null };
  it('updates a review’s result, keeping dates not given', () => {
    const s = stepOf(D.decideUpdateReview({ ...input({ result: 'corrected', concludedOn: '2024-09-09' }, { c: { state: 'concluded', concludedOn: '2024-09-04' } }), review }));
    expect(s).toMatchObject({ to: 'concluded', on: '2024-09-09', reviewUpdate: { result: 'corrected', concludedOn: '2024-09-09', decisionReceivedOn: null } });
    refused(D.decideUpdateReview({ ...input({ result: 'corrected' }), review }), 'VALIDATION_FAILED', 'concludedOn');
  });

  it('reopens once, after a corrected review, not before its decision reached the agency', () => {
    const concluded = { state: 'concluded' as const, concludedOn: '2024-09-04', outcome: 'granted' as const };
    const corrected = { ...review, result: 'corrected' as const, concludedOn: '2024-09-06', decisionReceivedOn: '2024-09-08' };
    const s = stepOf(D.decideReopen({ ...input({}, { c: concluded, role: 'supervisor' }), reviews: [review, corrected], reopenedAlready: false }));
    expect(s).toMatchObject({ to: 'concluded', reopen: { receiptDate: '2024-09-10', reviewId: 'r1' } });
    refused(D.decideReopen({ ...input({ on: '2024-09-07' }, { c: concluded, role: 'supervisor' }), reviews: [corrected], reopenedAlready: false }), 'VALIDATION_FAILED', 'on');
    refused(D.decideReopen({ ...input({}, { c: concluded, role: 'supervisor' }), reviews: [review], reopenedAlready: false }), 'TRANSITION_NOT_ALLOWED');
    refused(D.decideReopen({ ...input({}, { c: concluded, role: 'supervisor' }), reviews: [corrected], reopenedAlready: true }), 'TRANSITION_NOT_ALLOWED');
  });
});

describe('the letters a step writes', () => {
  const codes = (s: Step) => s.letters.map((l) => (l.op === 'issue' ? `${l.code}@${l.on}` : l.op));
  it('names the process notices of the step, dated its day', () => {
    expect(codes(stepOf(D.decideRequestCorrection({ ...input({ items: 'a', on: '2024-09-09' }), agencyPeriodDays: null })))).toEqual(['correction_notice@2024-09-09']);
    // Arts 32, 33 ¶3: the party consulted, and the applicant when the clock first stops
    expect(codes(stepOf(D.decideConsult({ ...input({ party: 'third_party', name: 'p' }), consultationId: 'k9' })))).toEqual(['third_party_consultation@2024-09-10', 'consultation_notice@2024-09-10']);
    const open = { state: 'consulting' as const, consultations: [consultation()], lastStepOn: '2024-09-05' };
    expect(codes(stepOf(D.decideConsult({ ...input({ party: 'other_agency', name: 'q' }, { c: open }), consultationId: 'k2' })))).toEqual(['agency_consultation@2024-09-10']);
    expect(codes(stepOf(D.decideWithdraw(input({ reason: 'r' }))))).toEqual(['cancel-reply']);
    expect(stepOf(D.decideAssign({ ...input({ assigneeId: 'u2' }, { role: 'supervisor' }), assignee: { id: 'u2', active: true, agencyId: 'a1', role: 'clerk' } })).letters).toEqual([]);
  });
  it('follows the reply: approved at the last sign-off only; issued with the Art 32 notice to a party that objected', () => {
    const c = { state: 'reply_review' as const, replyDraft: draft() };
    expect(stepOf(D.decideApproveReply({ ...input({ confidentialityReviewed: true }, { c, role: 'supervisor' }), approvalSteps: 2 })).letters).toEqual([]);
    expect(codes(stepOf(D.decideApproveReply({ ...input({ confidentialityReviewed: true }, { c, role: 'supervisor' }), approvalSteps: 1 })))).toEqual(['approve-reply']);
    const objected = { state: 'reply_approved' as const, replyDraft: draft(), consultations: [consultation({ closedOn: '2024-09-06', opinion: 'objection' })] };
    expect(codes(stepOf(D.decideIssueReply(input({}, { c: objected }))))).toEqual(['issue-reply', 'third_party_disclosure@2024-09-10']);
  });
});

describe('coverage of the codes', () => {
  it('reached every code a decision can answer', () => {
    expect([...reached].sort()).toEqual([...PROBLEM_CODES].sort());
  });
});
