import type { OutcomeCode } from './outcomes';
import { OUTCOMES } from './outcomes';
import type { Addressee, NoticeCode } from './letter-catalogue';

/** What a letter-writing step needs to know of the case, before and after it. */
export interface LetterFacts {
  state: string;
  receiptDate: string | null;
  outcome: OutcomeCode | null;
  consultations: readonly { id: string; party: 'third_party' | 'other_agency'; opinion: string | null }[];
  /** the reply's grounds for what it withholds (`partial`, `withheld.*`); absent or empty otherwise */
  grounds?: readonly string[];
}

export interface StepFacts {
  action: string;
  /** the day the step happened (the letter's date) */
  on: string | null;
  payload: Readonly<Record<string, unknown>>;
  actorId: string | null;
  before: LetterFacts | null;
  after: LetterFacts;
}

/**
 * The letter work a step implies (architecture §2, letters.md). A process notice goes out the
 * day of its step, so it is issued at once; the reply follows its own draft → approved →
 * issued life beside the case's reply_review / reply_approved / concluded.
 */
export type LetterOp =
  | { op: 'issue'; code: NoticeCode; on: string; addressee: Addressee; consultationId: string | null; approvedBy: string | null }
  | { op: 'draft-reply'; outcome: OutcomeCode }
  | { op: 'approve-reply'; by: string | null }
  | { op: 'return-reply' }
  | { op: 'issue-reply'; on: string; outcome: OutcomeCode }
  | { op: 'cancel-reply' }
  /** a new query code before the receipt exists: kept (sealed) for the receipt issued at confirmation */
  | { op: 'hold-query-code' }
  /** a submission discarded: a query code held for its receipt is erased */
  | { op: 'drop-held-query-code' }
  | { op: 'deliver'; code: string; on: string; method: string; letterId: string | null; waybillNumber: string | null };

const issue = (code: NoticeCode, on: string, addressee: Addressee = 'applicant', consultationId: string | null = null, approvedBy: string | null = null): LetterOp => ({
  op: 'issue',
  code,
  on,
  addressee,
  consultationId,
  approvedBy,
});

/** Outcomes that disclose information: after a third party objected, Art 32 requires telling it. */
const DISCLOSING: ReadonlySet<string> = new Set(['granted.proactive', 'granted', 'partial']);

/**
 * Art 32: the third party is told when the agency discloses over its objection. A partial disclosure that withholds
 * on the ground of third parties' rights (withheld.third_party) honoured an objection, and the reply does not say
 * whose: no notice is written for it automatically (the clerk writes to a party overruled in part by hand).
 */
const disclosesOverObjection = (outcome: OutcomeCode, grounds: readonly string[] = []): boolean =>
  DISCLOSING.has(outcome) && !(outcome === 'partial' && grounds.includes('withheld.third_party'));

type Rule = (s: StepFacts, on: string) => LetterOp[];

/**
 * One rule per step that writes letters. Steps not listed write none: assign, end-consultation,
 * request-extension (the notice follows approval), record-payment, record-review, reopen (the new case's
 * `reopened` step writes its receipt), record-correction.
 */
const RULES: Readonly<Record<string, Rule>> = {
  // Art 31: the receipt, once the case has its receipt date (clerk intake, or confirmation of a portal submission)
  intake: (s) => (s.after.receiptDate ? [issue('receipt', s.after.receiptDate)] : []),
  'confirm-receipt': (s) => (s.after.receiptDate ? [issue('receipt', s.after.receiptDate)] : []),
  // the case reopened after a corrected review starts a new clock under a new tracking number: the applicant is told
  reopened: (s) => (s.after.receiptDate ? [issue('receipt', s.after.receiptDate)] : []),
  // a new query code goes to the applicant on a new receipt (the old code stops working); a portal submission not yet
  // confirmed has no receipt yet: the code is held for the receipt its confirmation issues
  'reset-query-code': (s, on) => (s.after.receiptDate ? [issue('receipt', on)] : [{ op: 'hold-query-code' }]),
  discard: () => [{ op: 'drop-held-query-code' }],
  'request-correction': (_s, on) => [issue('correction_notice', on)],
  // Arts 32, 34 to the party consulted; Art 33 ¶3 tells the applicant when the clock first stops
  consult: (s, on) => {
    const id = typeof s.payload.consultationId === 'string' ? s.payload.consultationId : '';
    const k = s.after.consultations.find((x) => x.id === id);
    if (!k) return [];
    const ops = [k.party === 'third_party' ? issue('third_party_consultation', on, 'third_party', k.id) : issue('agency_consultation', on, 'other_agency', k.id)];
    if (s.before?.state !== 'consulting') ops.push(issue('consultation_notice', on, 'applicant', k.id));
    return ops;
  },
  'approve-extension': (s, on) => [issue('extension_notice', on, 'applicant', null, s.actorId)],
  'set-delayed-reply': (s, on) => [issue('delay_notice', on, 'applicant', null, s.actorId)],
  // the fee notice carries the person who decided the fee
  'notify-fee': (s, on) => [issue('fee_notice', on, 'applicant', null, s.actorId)],
  // Art 35: the applicant is asked to explain the number or frequency of applications
  'request-reasons': (_s, on) => [issue('reasons_request', on)],
  'draft-reply': (s) => (typeof s.payload.outcome === 'string' ? [{ op: 'draft-reply', outcome: s.payload.outcome as OutcomeCode }] : []),
  'approve-reply': (s) => (s.after.state === 'reply_approved' ? [{ op: 'approve-reply', by: s.actorId }] : []),
  'return-reply': () => [{ op: 'return-reply' }],
  'issue-reply': (s, on) => {
    const outcome = s.after.outcome;
    if (!outcome) return [];
    const ops: LetterOp[] = [{ op: 'issue-reply', on, outcome }];
    if (disclosesOverObjection(outcome, s.after.grounds)) {
      for (const k of s.after.consultations) {
        if (k.party === 'third_party' && k.opinion === 'objection') ops.push(issue('third_party_disclosure', on, 'third_party', k.id));
      }
    }
    return ops;
  },
  // lapses are told by the termination notice (letters.md); a withdrawal needs no letter
  'conclude-lapsed': (s, on) => [{ op: 'cancel-reply' }, ...(s.after.outcome && OUTCOMES[s.after.outcome].letterTemplate === 'termination_notice' ? [issue('termination_notice', on)] : [])],
  withdraw: () => [{ op: 'cancel-reply' }],
  'record-delivery': (s, on) => [
    {
      op: 'deliver',
      code: String(s.payload.of),
      on,
      method: String(s.payload.method),
      letterId: typeof s.payload.letterId === 'string' ? s.payload.letterId : null,
      waybillNumber: typeof s.payload.waybillNumber === 'string' ? s.payload.waybillNumber : null,
    },
  ],
};

/** The letter work of one step; empty for steps that write none. */
export function lettersForStep(s: StepFacts): LetterOp[] {
  const rule = RULES[s.action];
  if (!rule) return [];
  return rule(s, s.on ?? s.after.receiptDate ?? '');
}

/** Steps that write letters (for tests and documentation). */
export const LETTER_WRITING_STEPS: readonly string[] = Object.keys(RULES);
