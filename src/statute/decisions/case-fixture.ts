import type { CaseFacts } from './decision';

/** A case received on `receiptDate` with nothing done yet (an unconfirmed submission when null): for tests and examples. */
export function receivedCase(receiptDate: string | null, over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    id: 'c1',
    agencyId: 'a1',
    state: receiptDate ? 'in_progress' : 'submitted',
    receiptDate,
    applicantIdHash: 'h1',
    assigneeId: null,
    correction: null,
    consultations: [],
    extension: null,
    delayedUntil: null,
    fee: null,
    replyDraft: null,
    deliveries: [],
    lastStepOn: receiptDate,
    outcome: null,
    concludedOn: null,
    forwarded: null,
    reasonsRequest: null,
    art35Flag: null,
    ...over,
  };
}
