/**
 * Decisions before and around receipt: Art 31 (confirm-receipt, with the Art 35 flag), discard, 分办 (forward),
 * assign (承办人), and a new query code.
 */
import { art35Flag, type Art35Counts, type Art35Thresholds } from '../art35';
import { decideForward } from '../forwarding';
import { decision, refuse, refuseField, stepDay, transition, type Decision, type DecisionInput } from './decision';

export interface ConfirmReceiptBody {
  readonly on?: string;
}

export interface ConfirmReceiptFacts {
  /** the day the portal submission came in (Asia/Shanghai), if it did */
  readonly submittedOn: string | null;
  /** the applicant's applications at the agency counted for the receipt date `body.on ?? today`, this one included */
  readonly art35Counts: Art35Counts;
  readonly art35Thresholds: Art35Thresholds;
}

/** Art 31: the receipt date is the day the clerk confirms (not before the submission); Art 35 flags the applicant. */
export function decideConfirmReceipt(input: DecisionInput<ConfirmReceiptBody> & ConfirmReceiptFacts): Decision {
  return decision(input, () => {
    const to = transition('confirm-receipt', input);
    const on = stepDay(input, input.body.on, { notBefore: [{ date: input.submittedOn, what: '提交申请之日' }] });
    const flag = art35Flag(input.art35Counts, input.art35Thresholds);
    return {
      action: 'confirm-receipt',
      to,
      patch: { receiptDate: on, lastStepOn: on, art35Flag: flag },
      on,
      payload: { receiptDate: on, ...(flag ? { art35Flag: flag.reasons } : {}) },
    };
  });
}

export interface DiscardBody {
  readonly reason: string;
}

/** A portal submission that is no application (作废) leaves no case. */
export function decideDiscard(input: DecisionInput<DiscardBody>): Decision {
  return decision(input, () => ({
    action: 'discard',
    to: transition('discard', input),
    patch: { discardReason: input.body.reason },
    on: input.today,
    payload: { reason: input.body.reason },
  }));
}

export interface ForwardBody {
  readonly agencyId: string;
  readonly reason: string;
}

export interface ForwardFactsLookedUp {
  /** the target agency (`body.agencyId`, lower case), null when the platform has none */
  readonly target: { readonly id: string; readonly name: string } | null;
  /** the case's present agency's name */
  readonly fromName: string | null;
}

/**
 * 分办: a portal submission not yet confirmed moves to another agency of the platform, once. The case keeps its
 * submission time and stays unconfirmed; its 承办人 (of the old agency) is cleared; the history names both agencies.
 */
export function decideForwardCase(input: DecisionInput<ForwardBody> & ForwardFactsLookedUp): Decision {
  return decision(input, () => {
    const to = transition('forward', input);
    const c = input.c;
    const toAgencyId = input.body.agencyId.toLowerCase();
    const d = decideForward({ fromAgencyId: c.agencyId, toAgencyId, targetExists: input.target !== null, forwardedBefore: c.forwarded !== null });
    if (!d.ok) {
      if (d.code === 'FORWARD_ALREADY_USED') refuse('FORWARD_ALREADY_USED', undefined, { forwardedOn: c.forwarded?.on ?? null });
      else refuseField(d.field, d.message);
    }
    const forwarded = { fromAgencyId: c.agencyId, toAgencyId, on: input.today, reason: input.body.reason, by: input.actorId ?? '' };
    return {
      action: 'forward',
      to,
      patch: { agencyId: toAgencyId, forwarded, assigneeId: null },
      on: input.today,
      payload: { fromAgencyId: c.agencyId, fromAgencyName: input.fromName, toAgencyId, toAgencyName: input.target!.name, reason: input.body.reason },
    };
  });
}

export interface AssignBody {
  readonly assigneeId: string;
}

export interface Assignee {
  readonly id: string;
  readonly active: boolean;
  readonly agencyId: string | null;
  readonly role: string;
}

/** 承办人: an active clerk of the case's agency (the contract's wording). */
export function decideAssign(input: DecisionInput<AssignBody> & { readonly assignee: Assignee | null }): Decision {
  return decision(input, () => {
    const to = transition('assign', input);
    const a = input.assignee;
    if (!a || !a.active || a.agencyId !== input.c.agencyId || a.role !== 'clerk') refuseField('assigneeId', '承办人须为本机关的在职经办人');
    return { action: 'assign', to, patch: { assigneeId: a.id }, on: input.today, payload: { assigneeId: a.id, previous: input.c.assigneeId } };
  });
}

/** The applicant lost the query code: the new code's hash replaces the old (the code itself is never in the step). */
export function decideResetQueryCode(input: DecisionInput<unknown> & { readonly queryCodeHash: string }): Decision {
  return decision(input, () => ({
    action: 'reset-query-code',
    to: transition('reset-query-code', input),
    patch: { queryCodeHash: input.queryCodeHash },
    on: input.today,
    payload: {},
  }));
}
