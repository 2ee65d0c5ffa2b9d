/**
 * 行政复议 / 行政诉讼 recorded against the case (Art 51, statute §7), its result later, and a new linked case after a
 * `corrected` result.
 */
import { decision, refuse, refuseField, stepDay, transition, type Decision, type DecisionInput, type Step } from './decision';

export type ReviewKind = 'reconsideration' | 'litigation_direct' | 'litigation_after_reconsideration';
export type ReviewResult = 'upheld' | 'corrected' | 'other' | 'pending';

/** A review as recorded. */
export interface ReviewRecord {
  readonly id: string;
  readonly kind: ReviewKind;
  readonly filedOn: string;
  readonly result: ReviewResult;
  readonly concludedOn: string | null;
  readonly decisionReceivedOn: string | null;
  readonly note: string | null;
}

export interface RecordReviewBody {
  readonly kind: ReviewKind;
  readonly filedOn: string;
  readonly result?: ReviewResult;
  readonly concludedOn?: string;
  readonly decisionReceivedOn?: string;
  readonly note?: string;
}

export interface ReviewStep extends Step {
  /** the review to write with the step */
  readonly review: ReviewRecord;
}

/** The result's dates: concluded not before filing, the decision received not before it; a result needs its date. */
function resultDates(
  input: DecisionInput<unknown>,
  filedOn: string,
  result: ReviewResult,
  given: { concludedOn?: string; decisionReceivedOn?: string },
  kept: { concludedOn: string | null; decisionReceivedOn: string | null } = { concludedOn: null, decisionReceivedOn: null },
): { concludedOn: string | null; decisionReceivedOn: string | null } {
  const concludedOn = given.concludedOn ? stepDay(input, given.concludedOn, { field: 'concludedOn', notBefore: [{ date: filedOn, what: '立案之日' }] }) : kept.concludedOn;
  const decisionReceivedOn = given.decisionReceivedOn
    ? stepDay(input, given.decisionReceivedOn, { field: 'decisionReceivedOn', notBefore: [{ date: concludedOn ?? filedOn, what: '审结之日' }] })
    : kept.decisionReceivedOn;
  if (result !== 'pending' && !concludedOn) refuseField('concludedOn', '已审结的须填写审结日期');
  return { concludedOn, decisionReceivedOn };
}

/** A review filed: not before the receipt (or, for a suit over an unconfirmed submission, its submission day). */
export function decideRecordReview(input: DecisionInput<RecordReviewBody> & { readonly reviewId: string; readonly submittedOn: string | null }): Decision<ReviewStep> {
  return decision(input, () => {
    const to = transition('record-review', input);
    const { c, body } = input;
    // a suit for not replying may concern a portal submission never confirmed: then from its submission
    const start = c.receiptDate ? { date: c.receiptDate, what: '收到申请之日' } : { date: input.submittedOn, what: '提交申请之日' };
    const filedOn = stepDay(input, body.filedOn, { field: 'filedOn', notBefore: [start] });
    const result = body.result ?? 'pending';
    const { concludedOn, decisionReceivedOn } = resultDates(input, filedOn, result, body);
    return {
      action: 'record-review',
      to,
      patch: {},
      on: filedOn,
      payload: { reviewId: input.reviewId, kind: body.kind, result, concludedOn, decisionReceivedOn },
      review: { id: input.reviewId, kind: body.kind, filedOn, result, concludedOn, decisionReceivedOn, note: body.note ?? null },
    };
  });
}

export interface UpdateReviewBody {
  readonly result: ReviewResult;
  readonly concludedOn?: string;
  readonly decisionReceivedOn?: string;
  readonly note?: string;
}

export interface ReviewUpdateStep extends Step {
  readonly reviewUpdate: { readonly result: ReviewResult; readonly concludedOn: string | null; readonly decisionReceivedOn: string | null; readonly note?: string | null };
}

/** The result of a recorded review arrives later; recorded in the case's history. */
export function decideUpdateReview(input: DecisionInput<UpdateReviewBody> & { readonly review: ReviewRecord }): Decision<ReviewUpdateStep> {
  return decision(input, () => {
    const to = transition('record-review', input);
    const { body, review } = input;
    const { concludedOn, decisionReceivedOn } = resultDates(input, review.filedOn, body.result, body, review);
    return {
      action: 'record-review',
      to,
      patch: {},
      on: concludedOn ?? input.today,
      payload: { reviewId: review.id, result: body.result, concludedOn, decisionReceivedOn, update: true },
      reviewUpdate: { result: body.result, concludedOn, decisionReceivedOn, ...(body.note !== undefined ? { note: body.note } : {}) },
    };
  });
}

export interface ReopenBody {
  readonly on?: string;
}

export interface ReopenStep extends Step {
  /** the new case: received on the step's day, linked to this one */
  readonly reopen: { readonly receiptDate: string; readonly reviewId: string };
}

/** After a `corrected` review: a new case linked to this one (once), received the day the decision reached the agency or later. */
export function decideReopen(input: DecisionInput<ReopenBody> & { readonly reviews: readonly ReviewRecord[]; readonly reopenedAlready: boolean }): Decision<ReopenStep> {
  return decision(input, () => {
    const to = transition('reopen', input);
    const corrected = input.reviews.find((r) => r.result === 'corrected');
    if (!corrected) refuse('TRANSITION_NOT_ALLOWED', '只有复议或诉讼结果为“纠正”的案件才能重新办理');
    if (input.reopenedAlready) refuse('TRANSITION_NOT_ALLOWED', '本案已重新办理过');
    const on = stepDay(input, input.body.on, { notBefore: [{ date: corrected.decisionReceivedOn ?? corrected.concludedOn ?? corrected.filedOn, what: '决定送达之日' }] });
    return { action: 'reopen', to, patch: {}, on, payload: { reviewId: corrected.id }, reopen: { receiptDate: on, reviewId: corrected.id } };
  });
}
