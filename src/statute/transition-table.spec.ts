import { CASE_STATES, CaseState, ROLES, Role } from './case-states';
import {
  CASE_ACTIONS,
  CaseAction,
  TRANSITIONS,
  TransitionContext,
  actionsAvailable,
  decide,
  isCaseAction,
  ruleFor,
} from './transition-table';

/**
 * The contract's action table, written out again by hand (api-contract.md, "Actions"),
 * independently of TRANSITIONS. Every state × action × role goes through `decide` against it.
 */
const CS: Role[] = ['clerk', 'supervisor'];
const S: Role[] = ['supervisor'];
const ALL_OPEN: CaseState[] = [
  'submitted',
  'in_progress',
  'awaiting_correction',
  'consulting',
  'awaiting_fee',
  'reply_review',
  'reply_approved',
];
const OPEN_BUT_SUBMITTED: CaseState[] = [
  'in_progress',
  'awaiting_correction',
  'consulting',
  'awaiting_fee',
  'reply_review',
  'reply_approved',
];
const SAME = (s: CaseState): CaseState => s;

interface Expectation {
  from: CaseState[];
  roles: Role[];
  to: (state: CaseState, ctx: TransitionContext) => CaseState;
}

const EXPECTED: Record<CaseAction, Expectation> = {
  'confirm-receipt': { from: ['submitted'], roles: CS, to: () => 'in_progress' },
  discard: { from: ['submitted'], roles: CS, to: () => 'discarded' },
  assign: { from: ALL_OPEN, roles: S, to: SAME },
  'request-correction': { from: ['in_progress'], roles: CS, to: () => 'awaiting_correction' },
  'record-correction': { from: ['awaiting_correction'], roles: CS, to: () => 'in_progress' },
  consult: { from: ['in_progress', 'consulting'], roles: CS, to: () => 'consulting' },
  'end-consultation': {
    from: ['consulting'],
    roles: CS,
    to: (_s, ctx) => (ctx.openConsultationsAfter ? 'consulting' : 'in_progress'),
  },
  'request-extension': { from: ['in_progress', 'reply_review', 'reply_approved'], roles: CS, to: SAME },
  'approve-extension': { from: ['in_progress', 'reply_review', 'reply_approved'], roles: S, to: SAME },
  'set-delayed-reply': { from: ['in_progress'], roles: S, to: SAME },
  'notify-fee': { from: ['in_progress'], roles: CS, to: () => 'awaiting_fee' },
  'record-payment': { from: ['awaiting_fee'], roles: CS, to: () => 'in_progress' },
  'draft-reply': { from: ['in_progress', 'reply_review'], roles: CS, to: () => 'reply_review' },
  'approve-reply': {
    from: ['reply_review'],
    roles: S,
    to: (_s, ctx) => (ctx.isLastSignOffStep === false ? 'reply_review' : 'reply_approved'),
  },
  'return-reply': { from: ['reply_review', 'reply_approved'], roles: S, to: () => 'in_progress' },
  'issue-reply': { from: ['reply_approved'], roles: CS, to: () => 'concluded' },
  'record-delivery': {
    from: [
      'in_progress',
      'awaiting_correction',
      'consulting',
      'awaiting_fee',
      'reply_review',
      'reply_approved',
      'concluded',
    ],
    roles: CS,
    to: SAME,
  },
  'conclude-lapsed': { from: ['awaiting_correction', 'awaiting_fee'], roles: CS, to: () => 'concluded' },
  withdraw: { from: OPEN_BUT_SUBMITTED, roles: CS, to: () => 'concluded' },
  'record-review': { from: [...ALL_OPEN, 'concluded'], roles: CS, to: SAME },
  reopen: { from: ['concluded'], roles: S, to: SAME },
  forward: { from: ['submitted'], roles: CS, to: SAME },
  'request-reasons': { from: ['in_progress'], roles: CS, to: SAME },
  'record-reasons': { from: ['in_progress'], roles: CS, to: SAME },
  'reset-query-code': { from: CASE_STATES.filter((s) => s !== 'discarded'), roles: S, to: SAME },
};

const CONTEXTS: TransitionContext[] = [
  {},
  { openConsultationsAfter: 0, isLastSignOffStep: true },
  { openConsultationsAfter: 1, isLastSignOffStep: false },
  { openConsultationsAfter: 3 },
];

describe('transition table', () => {
  it('has exactly one rule per action, in CASE_ACTIONS order', () => {
    expect(TRANSITIONS.map((r) => r.action)).toEqual([...CASE_ACTIONS]);
    expect(CASE_ACTIONS).toHaveLength(25);
    expect(Object.keys(EXPECTED).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  it('labels every action in Chinese', () => {
    for (const r of TRANSITIONS) expect(r.label).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(ruleFor('confirm-receipt').label).toBe('确认收到申请');
  });

  it('never leaves a final state except by record-delivery, record-review and reopen (which stay)', () => {
    for (const r of TRANSITIONS) {
      if (r.from.includes('discarded')) throw new Error(`${r.action} acts on a discarded submission`);
      if (r.from.includes('concluded')) expect(r.to).toBe('same');
    }
  });

  describe.each(CASE_ACTIONS.map((a) => [a]))('%s', (action) => {
    const exp = EXPECTED[action];
    it.each(CASE_STATES.map((s) => [s]))('from %s, for every role', (state) => {
      for (const role of ROLES) {
        for (const ctx of CONTEXTS) {
          const got = decide(action, state, role, ctx);
          if (!exp.roles.includes(role)) {
            expect({ role, got }).toEqual({ role, got: { ok: false, code: 'FORBIDDEN' } });
          } else if (!exp.from.includes(state)) {
            expect({ role, got }).toEqual({ role, got: { ok: false, code: 'TRANSITION_NOT_ALLOWED' } });
          } else {
            expect({ role, got }).toEqual({ role, got: { ok: true, to: exp.to(state, ctx) } });
          }
        }
      }
    });
  });

  it('checks the role before the state', () => {
    expect(decide('reopen', 'submitted', 'clerk')).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(decide('confirm-receipt', 'concluded', 'auditor')).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(decide('confirm-receipt', 'concluded', 'clerk')).toEqual({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
  });

  it('keeps consulting while another consultation is open (Art 33 ¶3)', () => {
    expect(decide('end-consultation', 'consulting', 'clerk', { openConsultationsAfter: 1 })).toEqual({
      ok: true,
      to: 'consulting',
    });
    expect(decide('end-consultation', 'consulting', 'clerk', { openConsultationsAfter: 0 })).toEqual({
      ok: true,
      to: 'in_progress',
    });
    expect(decide('end-consultation', 'consulting', 'clerk')).toEqual({ ok: true, to: 'in_progress' });
  });

  it('approves the reply only at the last sign-off step', () => {
    expect(decide('approve-reply', 'reply_review', 'supervisor', { isLastSignOffStep: false })).toEqual({
      ok: true,
      to: 'reply_review',
    });
    expect(decide('approve-reply', 'reply_review', 'supervisor', { isLastSignOffStep: true })).toEqual({
      ok: true,
      to: 'reply_approved',
    });
    expect(decide('approve-reply', 'reply_review', 'supervisor')).toEqual({ ok: true, to: 'reply_approved' });
  });

  it('leaves the old case concluded on reopen', () => {
    expect(decide('reopen', 'concluded', 'supervisor')).toEqual({ ok: true, to: 'concluded' });
  });

  describe('actionsAvailable', () => {
    it.each(CASE_STATES.flatMap((s) => ROLES.map((r) => [s, r] as const)))('%s / %s', (state, role) => {
      const expected = CASE_ACTIONS.filter((a) => EXPECTED[a].roles.includes(role) && EXPECTED[a].from.includes(state));
      expect(actionsAvailable(state, role)).toEqual(expected);
    });

    it('gives admin and auditor nothing, and a discarded submission nothing', () => {
      for (const s of CASE_STATES) {
        expect(actionsAvailable(s, 'admin')).toEqual([]);
        expect(actionsAvailable(s, 'auditor')).toEqual([]);
      }
      for (const r of ROLES) expect(actionsAvailable('discarded', r)).toEqual([]);
    });

    it('spot checks', () => {
      expect(actionsAvailable('submitted', 'clerk')).toEqual(['confirm-receipt', 'discard', 'record-review', 'forward']);
      expect(actionsAvailable('submitted', 'supervisor')).toEqual(['confirm-receipt', 'discard', 'assign', 'record-review', 'forward', 'reset-query-code']);
      expect(actionsAvailable('concluded', 'clerk')).toEqual(['record-delivery', 'record-review']);
      expect(actionsAvailable('concluded', 'supervisor')).toEqual(['record-delivery', 'record-review', 'reopen', 'reset-query-code']);
    });
  });

  it('recognises action names', () => {
    expect(isCaseAction('withdraw')).toBe(true);
    expect(isCaseAction('delete')).toBe(false);
    expect(isCaseAction(undefined)).toBe(false);
    expect(() => ruleFor('nope' as CaseAction)).toThrow(RangeError);
  });
});
