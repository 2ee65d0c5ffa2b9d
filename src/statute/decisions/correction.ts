/**
 * Art 30: a correction (补正) asked for once, within 7 working days of receipt; the clock stops until the corrected
 * application arrives and restarts from it.
 */
import { CORRECTION_PERIOD_DAYS, correctionRequestDeadline } from '../reply-clock';
import { decision, listOf, refuse, stepDay, transition, type Decision, type DecisionInput } from './decision';

/** The longest period (working days) a request may give the applicant to correct or to explain (the DTOs' bound). */
export const MAX_APPLICANT_PERIOD_DAYS = 60;

export interface RequestCorrectionBody {
  readonly on?: string;
  readonly items: string | readonly string[];
  readonly periodDays?: number;
}

/** Art 30: once, within 7 working days of receipt. */
export function decideRequestCorrection(input: DecisionInput<RequestCorrectionBody> & { readonly agencyPeriodDays: number | null }): Decision {
  return decision(input, () => {
    const to = transition('request-correction', input);
    const c = input.c;
    if (c.correction) refuse('CORRECTION_ALREADY_REQUESTED');
    const on = stepDay(input, input.body.on);
    const limit = correctionRequestDeadline(c.receiptDate!, input.cal).date;
    if (on > limit) refuse('CORRECTION_WINDOW_CLOSED', `要求补正应在收到申请之日起7个工作日内（${limit}前）提出`, { limit });
    const periodDays = input.body.periodDays ?? input.agencyPeriodDays ?? CORRECTION_PERIOD_DAYS;
    const items = listOf(input.body.items);
    return {
      action: 'request-correction',
      to,
      patch: { correction: { requestedOn: on, items, periodDays, receivedOn: null, content: null }, lastStepOn: on },
      on,
      payload: { items, periodDays },
    };
  });
}

export interface RecordCorrectionBody {
  readonly on?: string;
  readonly content: string;
}

/**
 * Art 30: the corrected application arrived; the clock restarts from that day. An Art 35 date set for the
 * application as first made no longer applies (it would precede the restarted clock's own deadline); the
 * supervisor may set one again.
 */
export function decideRecordCorrection(input: DecisionInput<RecordCorrectionBody>): Decision {
  return decision(input, () => {
    const to = transition('record-correction', input);
    const c = input.c;
    const on = stepDay(input, input.body.on);
    const dropped = c.delayedUntil;
    return {
      action: 'record-correction',
      to,
      patch: { correction: { ...c.correction!, receivedOn: on, content: input.body.content }, lastStepOn: on, ...(dropped ? { delayedUntil: null, delayedReason: null } : {}) },
      on,
      payload: { content: input.body.content, via: input.actorId === null ? 'portal' : 'clerk', ...(dropped ? { delayedUntilDropped: dropped } : {}) },
    };
  });
}
