import fc from 'fast-check';
import { CASE_ACTIONS } from './transition-table';
import { OUTCOME_CODES, OUTCOMES, type OutcomeCode } from './outcomes';
import { documentNumber, isIssued, isLetterCode, LETTER_CODES, LETTER_SERIES, LETTER_STATES, LETTERS, NOTICE_CODES, wentOut } from './letter-catalogue';
import { LETTER_WRITING_STEPS, lettersForStep, type LetterFacts, type LetterOp, type StepFacts } from './letters-for-step';

const base: LetterFacts = { state: 'in_progress', receiptDate: '2025-03-03', outcome: null, consultations: [] };
const step = (action: string, over: Partial<StepFacts> = {}): StepFacts => ({
  action,
  on: '2025-03-10',
  payload: {},
  actorId: 'u1',
  before: base,
  after: base,
  ...over,
});
const codes = (ops: LetterOp[]) => ops.map((o) => (o.op === 'issue' ? o.code : o.op));

describe('letter catalogue (letters.md)', () => {
  it('lists the eleven process notices and the reply, each with its title, article and addressee', () => {
    expect(NOTICE_CODES).toHaveLength(11);
    expect(LETTER_CODES).toEqual(['reply', ...NOTICE_CODES]);
    expect(LETTERS.receipt).toMatchObject({ title: '政府信息公开申请接收回执', article: '31', addressee: 'applicant' });
    expect(LETTERS.correction_notice).toMatchObject({ title: '政府信息公开申请补正告知书', article: '30' });
    expect(LETTERS.extension_notice.title).toBe('政府信息公开申请延期答复告知书');
    expect(LETTERS.third_party_consultation).toMatchObject({ title: '政府信息公开征求第三方意见书', addressee: 'third_party' });
    expect(LETTERS.agency_consultation).toMatchObject({ title: '政府信息公开征求意见函', addressee: 'other_agency' });
    expect(LETTERS.third_party_disclosure.addressee).toBe('third_party');
    expect(LETTERS.fee_notice.title).toBe('政府信息公开信息处理费收费通知书');
    expect(LETTERS.termination_notice.title).toBe('政府信息公开申请终止处理告知书');
    for (const c of LETTER_CODES) expect(LETTERS[c].code).toBe(c);
  });

  it('gives each process notice its own series and all replies one; stems are distinct', () => {
    expect(new Set(LETTER_SERIES).size).toBe(LETTER_CODES.length);
    expect(new Set(LETTER_CODES.map((c) => LETTERS[c].defaultPrefix)).size).toBe(LETTER_CODES.length);
    expect(LETTERS.reply.defaultPrefix).toBe('依复');
  });

  it('writes numbers as {prefix}〔{year}〕{n}号, n without leading zeros or 第', () => {
    expect(documentNumber('盘×依复', 2025, 12)).toBe('盘×依复〔2025〕12号');
    expect(() => documentNumber('x', 2025, 0)).toThrow(RangeError);
    expect(() => documentNumber('x', 25, 1)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/[〔〕]/.test(s)), fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 1e6 }), (p, y, n) => {
        const m = /^(.*)〔(\d{4})〕([1-9]\d*)号$/su.exec(documentNumber(p, y, n));
        expect(m && [m[1], Number(m[2]), Number(m[3])]).toEqual([p, y, n]);
      }),
    );
  });

  it('knows its codes and states', () => {
    expect(LETTER_CODES.every(isLetterCode)).toBe(true);
    expect(isLetterCode('reply.granted')).toBe(false);
    expect(LETTER_STATES.filter(isIssued)).toEqual(['issued', 'delivered']);
    expect(LETTER_STATES.filter(wentOut)).toEqual(['issued', 'delivered', 'superseded']);
  });
});

/**
 * Which letters each step writes, written out again by hand from letters.md and the
 * architecture (a process notice goes out with its step; the reply follows its sign-off).
 */
const EXPECTED: Record<string, string[]> = {
  intake: ['receipt'],
  submit: [],
  reopened: ['receipt'],
  'confirm-receipt': ['receipt'],
  discard: ['drop-held-query-code'],
  assign: [],
  'request-correction': ['correction_notice'],
  'record-correction': [],
  consult: ['third_party_consultation', 'consultation_notice'],
  'end-consultation': [],
  'request-extension': [],
  'approve-extension': ['extension_notice'],
  'set-delayed-reply': ['delay_notice'],
  'notify-fee': ['fee_notice'],
  'record-payment': [],
  'draft-reply': ['draft-reply'],
  'approve-reply': ['approve-reply'],
  'return-reply': ['return-reply'],
  'issue-reply': ['issue-reply'],
  'record-delivery': ['deliver'],
  'conclude-lapsed': ['cancel-reply', 'termination_notice'],
  withdraw: ['cancel-reply'],
  'record-review': [],
  reopen: [],
  'recompute-deadline': [],
  'reveal-identity': [],
  'add-attachment': [],
  forward: [],
  'request-reasons': ['reasons_request'],
  'record-reasons': [],
  'reset-query-code': ['receipt'],
};

describe('lettersForStep', () => {
  const k = { id: 'k1', party: 'third_party' as const, opinion: null };
  const facts: Record<string, Partial<StepFacts>> = {
    consult: { payload: { consultationId: 'k1' }, after: { ...base, state: 'consulting', consultations: [k] } },
    'draft-reply': { payload: { outcome: 'granted' } },
    'approve-reply': { after: { ...base, state: 'reply_approved' } },
    'issue-reply': { after: { ...base, state: 'concluded', outcome: 'withheld.state_secret' } },
    'record-delivery': { payload: { of: 'reply', method: 'post' } },
    'conclude-lapsed': { after: { ...base, state: 'concluded', outcome: 'other.correction_lapsed' } },
    'confirm-receipt': { before: { ...base, state: 'submitted', receiptDate: null } },
  };

  it('covers every case action, and writes exactly the letters of the hand-written table', () => {
    for (const a of CASE_ACTIONS) expect(Object.keys(EXPECTED)).toContain(a);
    for (const s of LETTER_WRITING_STEPS) expect(EXPECTED[s]?.length).toBeGreaterThan(0);
    for (const [action, want] of Object.entries(EXPECTED)) {
      expect([action, codes(lettersForStep(step(action, facts[action])))]).toEqual([action, want]);
    }
  });

  it('dates a notice the day of its step, the receipt the receipt date, and names the signer of an extension', () => {
    expect(lettersForStep(step('request-correction'))[0]).toMatchObject({ op: 'issue', on: '2025-03-10', addressee: 'applicant' });
    expect(lettersForStep(step('intake', { on: '2025-03-03', before: null }))[0]).toMatchObject({ code: 'receipt', on: '2025-03-03' });
    expect(lettersForStep(step('confirm-receipt', { on: '2025-03-04', after: { ...base, receiptDate: '2025-03-04' } }))[0]).toMatchObject({ on: '2025-03-04' });
    expect(lettersForStep(step('approve-extension', { actorId: 'sup' }))[0]).toMatchObject({ code: 'extension_notice', approvedBy: 'sup' });
  });

  it('writes no receipt for a portal submission (no receipt date yet)', () => {
    expect(lettersForStep(step('intake', { after: { ...base, state: 'submitted', receiptDate: null } }))).toEqual([]);
  });

  it('holds a query code reset before confirmation for the confirmation receipt, and drops it with a discarded submission', () => {
    expect(lettersForStep(step('reset-query-code', { after: { ...base, state: 'submitted', receiptDate: null } }))).toEqual([{ op: 'hold-query-code' }]);
    expect(lettersForStep(step('reset-query-code', { on: '2025-03-12' }))).toEqual([{ op: 'issue', code: 'receipt', on: '2025-03-12', addressee: 'applicant', consultationId: null, approvedBy: null }]);
    expect(lettersForStep(step('discard', { after: { ...base, state: 'discarded', receiptDate: null } }))).toEqual([{ op: 'drop-held-query-code' }]);
  });

  it('consults: the party gets its letter each time; the applicant is told when the clock first stops', () => {
    const two = { id: 'k2', party: 'other_agency' as const, opinion: null };
    const again = lettersForStep(
      step('consult', { payload: { consultationId: 'k2' }, before: { ...base, state: 'consulting', consultations: [k] }, after: { ...base, state: 'consulting', consultations: [k, two] } }),
    );
    expect(again).toEqual([{ op: 'issue', code: 'agency_consultation', on: '2025-03-10', addressee: 'other_agency', consultationId: 'k2', approvedBy: null }]);
    expect(lettersForStep(step('consult', { payload: { consultationId: 'nope' }, after: { ...base, consultations: [k] } }))).toEqual([]);
  });

  it('tells each objecting third party of a decision to disclose (Art 32), for disclosing outcomes only', () => {
    const ks = (ops: fc.Arbitrary<'consent' | 'objection' | 'none' | null>) =>
      fc.array(fc.record({ id: fc.uuid(), party: fc.constantFrom('third_party' as const, 'other_agency' as const), opinion: ops }), { maxLength: 5 });
    const groundsArb = fc.subarray(['withheld.state_secret', 'withheld.third_party', 'withheld.internal_affairs']);
    fc.assert(
      fc.property(fc.constantFrom(...OUTCOME_CODES), ks(fc.constantFrom('consent' as const, 'objection' as const, 'none' as const, null)), groundsArb, (outcome: OutcomeCode, consultations, grounds) => {
        const ops = lettersForStep(step('issue-reply', { after: { ...base, state: 'concluded', outcome, consultations, grounds } }));
        // a partial disclosure withholding on third parties' rights honoured an objection: not told automatically
        const disclosing = ['granted.proactive', 'granted', 'partial'].includes(outcome) && !(outcome === 'partial' && grounds.includes('withheld.third_party'));
        const objecting = consultations.filter((c) => c.party === 'third_party' && c.opinion === 'objection');
        expect(ops[0]).toEqual({ op: 'issue-reply', on: '2025-03-10', outcome });
        expect(ops.slice(1)).toEqual(disclosing ? objecting.map((c) => ({ op: 'issue', code: 'third_party_disclosure', on: '2025-03-10', addressee: 'third_party', consultationId: c.id, approvedBy: null })) : []);
      }),
    );
  });

  it('tells a lapse by the termination notice, whichever lapse', () => {
    for (const outcome of ['other.correction_lapsed', 'other.fee_unpaid'] as const) {
      expect(OUTCOMES[outcome].letterTemplate).toBe('termination_notice');
      expect(codes(lettersForStep(step('conclude-lapsed', { after: { ...base, state: 'concluded', outcome } })))).toEqual(['cancel-reply', 'termination_notice']);
    }
  });

  it('moves the reply only when the last sign-off step is done', () => {
    expect(lettersForStep(step('approve-reply', { after: { ...base, state: 'reply_review' } }))).toEqual([]);
  });
});
