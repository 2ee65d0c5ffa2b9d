/**
 * The reply (Arts 36–39): drafted with one outcome of the catalogue and its details, signed off by the agency's
 * supervisors step by step with the confidentiality review (保密审查), returned, issued.
 */
import { vexatiousAllowed } from '../art35';
import { DRAFTABLE_OUTCOMES, isOutcomeCode, validateOutcomeDetails, type OutcomeDetails } from '../outcomes';
import { earlierCaseProblems, earlierReplyShapeProblems, type EarlierReplyInput } from '../repeated-application';
import { decision, refuse, refuseField, refuseFields, stepDay, transition, type CaseFacts, type Decision, type DecisionInput } from './decision';
import { reasonsEnd } from './reasons';

export interface DraftReplyBody {
  readonly outcome: string;
  readonly reasons?: string;
  readonly withheldParts?: readonly string[];
  readonly grounds?: readonly string[];
  readonly competentAgency?: { readonly name: string; readonly contact?: string };
  readonly earlierReply?: EarlierReplyInput;
}

/** The earlier case a `rejected.duplicate` names (`earlierReply.caseId`), as the system holds it. */
export interface EarlierCase {
  readonly id: string;
  readonly agencyId: string;
  readonly applicantIdHash: string;
  /** its reply letter's number and date, once issued */
  readonly number: string | null;
  readonly date: string | null;
}

type EarlierReply = NonNullable<OutcomeDetails['earlierReply']>;

/**
 * Art 36(六): the earlier reply a `rejected.duplicate` refers to. A case of the system (same applicant, same
 * agency, reply issued) gives the reply's number and date; by hand only for a reply before the system.
 */
function earlierReplyOf(c: CaseFacts, e: EarlierReplyInput, found: EarlierCase | null, today: string): EarlierReply {
  const shape = earlierReplyShapeProblems(e);
  if (shape.length) refuseFields(shape);
  if (e.beforeSystem === true) {
    if (e.date! > today) refuseField('earlierReply.date', '此前答复的日期不能晚于今天');
    return { beforeSystem: true, documentNumber: e.documentNumber, date: e.date } as EarlierReply;
  }
  const caseId = e.caseId!.toLowerCase();
  const problems = earlierCaseProblems(
    found && {
      sameApplicant: found.applicantIdHash === c.applicantIdHash,
      sameAgency: found.agencyId === c.agencyId,
      reply: found.number && found.date ? { number: found.number, date: found.date } : null,
      isThisCase: caseId === c.id,
    },
  );
  if (problems.length) refuseFields(problems);
  return { caseId, beforeSystem: false, documentNumber: found!.number!, date: found!.date! };
}

/** The reply is drafted with one outcome of the catalogue (Arts 36–39) and its details. */
export function decideDraftReply(input: DecisionInput<DraftReplyBody> & { readonly earlierCase: EarlierCase | null }): Decision {
  return decision(input, () => {
    const to = transition('draft-reply', input);
    const { c, body } = input;
    const outcome = body.outcome;
    if (!isOutcomeCode(outcome) || !DRAFTABLE_OUTCOMES.includes(outcome)) {
      refuseField('outcome', `答复类型“${outcome}”不在目录中（逾期未补正、逾期未缴费由“视为放弃”办结）`);
    }
    const earlierReply = body.earlierReply !== undefined && outcome === 'rejected.duplicate' ? earlierReplyOf(c, body.earlierReply, input.earlierCase, input.today) : body.earlierReply;
    const details: OutcomeDetails = {
      ...(body.reasons !== undefined ? { reasons: body.reasons } : {}),
      ...(body.withheldParts !== undefined ? { withheldParts: body.withheldParts } : {}),
      ...(body.grounds !== undefined ? { grounds: body.grounds } : {}),
      ...(body.competentAgency !== undefined ? { competentAgency: { ...body.competentAgency } } : {}),
      ...(earlierReply !== undefined ? { earlierReply: { ...earlierReply } as EarlierReply } : {}),
    };
    if (outcome === 'rejected.vexatious') {
      const allowed = vexatiousAllowed(c.reasonsRequest, reasonsEnd(c, input.cal), input.today);
      if (!allowed.ok) refuse('REASONS_NOT_ESTABLISHED', allowed.message, allowed.periodEnds ? { periodEnds: allowed.periodEnds } : {});
    }
    const problems = validateOutcomeDetails(outcome, details);
    if (problems.length) refuseFields(problems);
    return {
      action: 'draft-reply',
      to,
      patch: { replyDraft: { outcome, details, draftedBy: input.actorId ?? '', draftedAt: input.now, approvals: [] } },
      on: input.today,
      payload: { outcome, details },
    };
  });
}

export interface ApproveReplyBody {
  readonly step?: number;
  readonly confidentialityReviewed?: boolean;
}

/** One sign-off step; the last (the agency's `approvalSteps`) needs the confidentiality review done. */
export function decideApproveReply(input: DecisionInput<ApproveReplyBody> & { readonly approvalSteps: number }): Decision {
  return decision(input, () => {
    transition('approve-reply', input);
    const { c, body } = input;
    const draft = c.replyDraft!;
    const steps = input.approvalSteps;
    const next = draft.approvals.length + 1;
    const step = body.step ?? next;
    if (step !== next) refuseField('step', `应签批第${next}步`);
    const reviewed = body.confidentialityReviewed === true || draft.approvals.some((a) => a.confidentialityReviewed);
    const last = step >= steps;
    if (last && !reviewed) refuseField('confidentialityReviewed', '答复签发前须完成保密审查');
    const approvals = [...draft.approvals, { step, by: input.actorId ?? '', at: input.now, confidentialityReviewed: body.confidentialityReviewed === true }];
    return {
      action: 'approve-reply',
      to: transition('approve-reply', input, { isLastSignOffStep: last }),
      patch: { replyDraft: { ...draft, approvals } },
      on: input.today,
      payload: { step, of: steps, confidentialityReviewed: body.confidentialityReviewed === true },
    };
  });
}

export interface ReturnReplyBody {
  readonly reason: string;
}

/** The draft goes back to the clerk; its sign-offs are void. */
export function decideReturnReply(input: DecisionInput<ReturnReplyBody>): Decision {
  return decision(input, () => {
    const to = transition('return-reply', input);
    const draft = input.c.replyDraft;
    return { action: 'return-reply', to, patch: { replyDraft: draft ? { ...draft, approvals: [] } : null }, on: input.today, payload: { reason: input.body.reason } };
  });
}

export interface IssueReplyBody {
  readonly on?: string;
}

/** The reply is issued: the date on the letter is the conclusion date (statute §3). */
export function decideIssueReply(input: DecisionInput<IssueReplyBody>): Decision {
  return decision(input, () => {
    const to = transition('issue-reply', input);
    const on = stepDay(input, input.body.on);
    const draft = input.c.replyDraft!;
    return {
      action: 'issue-reply',
      to,
      patch: { outcome: draft.outcome, outcomeDetails: draft.details, concludedOn: on, lastStepOn: on },
      on,
      payload: { outcome: draft.outcome },
    };
  });
}
