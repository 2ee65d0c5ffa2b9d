/**
 * Art 35: the applicant asked to explain the number or frequency of applications (the reply clock keeps running),
 * and the answer recorded with the agency's finding.
 */
import { REASONS_PERIOD_DAYS, reasonsPeriodEnd, reasonsRequestAllowed, recordReasonsAllowed } from '../art35';
import { noticeSentOn, receivedOn } from '../case-clock-facts';
import type { WorkingCalendar } from '../working-calendar';
import { decision, listOf, refuse, stepDay, transition, type CaseFacts, type Decision, type DecisionInput } from './decision';

/** The end of the applicant's period to explain (from the recorded delivery of the request, else its day); null with no request. */
export function reasonsEnd(c: Pick<CaseFacts, 'reasonsRequest' | 'deliveries'>, cal: WorkingCalendar): string | null {
  const r = c.reasonsRequest;
  if (!r) return null;
  return reasonsPeriodEnd(r, receivedOn(c.deliveries, 'reasons_request', noticeSentOn(r, r.requestedOn)), cal);
}

export interface RequestReasonsBody {
  readonly on?: string;
  readonly items: string | readonly string[];
  readonly periodDays?: number;
}

/** Art 35: once per case (the `reasons_request` letter). */
export function decideRequestReasons(input: DecisionInput<RequestReasonsBody>): Decision {
  return decision(input, () => {
    const to = transition('request-reasons', input);
    const { c, body } = input;
    const allowed = reasonsRequestAllowed(c.reasonsRequest);
    if (!allowed.ok) refuse('TRANSITION_NOT_ALLOWED', allowed.message);
    const on = stepDay(input, body.on);
    const items = listOf(body.items);
    const periodDays = body.periodDays ?? REASONS_PERIOD_DAYS;
    return {
      action: 'request-reasons',
      to,
      patch: { reasonsRequest: { requestedOn: on, items, periodDays, answeredOn: null, content: null, reasonable: null }, lastStepOn: on },
      on,
      payload: { items, periodDays, ...(c.art35Flag ? { art35Flag: c.art35Flag.reasons } : {}) },
    };
  });
}

export interface RecordReasonsBody {
  readonly on?: string;
  readonly content: string;
  readonly reasonable: boolean;
}

/** Art 35: the applicant's explanation (or its absence noted by the clerk) and the agency's finding. */
export function decideRecordReasons(input: DecisionInput<RecordReasonsBody>): Decision {
  return decision(input, () => {
    const to = transition('record-reasons', input);
    const { c, body } = input;
    const r = c.reasonsRequest;
    const allowed = recordReasonsAllowed(r);
    if (!allowed.ok) refuse('REASONS_NOT_ESTABLISHED', allowed.message);
    const on = stepDay(input, body.on, { notBefore: [{ date: r!.requestedOn, what: '要求说明理由之日' }] });
    return {
      action: 'record-reasons',
      to,
      patch: { reasonsRequest: { ...r!, answeredOn: on, content: body.content, reasonable: body.reasonable } },
      on,
      payload: { content: body.content, reasonable: body.reasonable },
    };
  });
}
