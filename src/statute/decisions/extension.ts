/**
 * The deadline moved later: Art 33 ¶2 (one extension of at most `MAX_EXTENSION_DAYS` working days, requested and
 * approved on or before the deadline, not under an Art 35 date) and Art 35 (a reasonable later reply date, once the
 * applicant's reasons were found reasonable).
 */
import { delayedReplyAllowed } from '../art35';
import { caseClock } from '../case-clock-facts';
import { extensionApprovable, MAX_EXTENSION_DAYS, withinDeadline } from '../reply-clock';
import { CALENDAR_RANGE } from '../working-calendar';
import { decision, refuse, refuseField, stepDay, transition, usualBounds, type CaseFacts, type Decision, type DecisionInput } from './decision';

/** Under an Art 35 date the deadline is that date: an extension (Art 33 ¶2) of the statutory period has nothing to extend. */
function noExtensionUnderArt35(c: CaseFacts): void {
  if (c.delayedUntil) refuse('TRANSITION_NOT_ALLOWED', `已依条例第三十五条延迟答复至${c.delayedUntil}，不再延长答复期限`, { delayedUntil: c.delayedUntil });
}

export interface RequestExtensionBody {
  readonly on?: string;
  readonly days: number;
  readonly reason: string;
}

/** Art 33 ¶2: one extension of at most 20 working days, requested before the deadline. */
export function decideRequestExtension(input: DecisionInput<RequestExtensionBody>): Decision {
  return decision(input, () => {
    const to = transition('request-extension', input);
    const { c, body } = input;
    if (c.extension) refuse('EXTENSION_ALREADY_USED');
    noExtensionUnderArt35(c);
    if (!Number.isInteger(body.days) || body.days < 1 || body.days > MAX_EXTENSION_DAYS) refuseField('days', `延长答复期限最长不超过${MAX_EXTENSION_DAYS}个工作日`);
    const on = stepDay(input, body.on);
    const clock = caseClock(c, input.cal, on);
    if (!withinDeadline(clock, on)) refuse('EXTENSION_TOO_LATE', `答复期限（${clock.computedDue}）已过，不能再申请延期`, { due: clock.computedDue });
    return {
      action: 'request-extension',
      to,
      patch: {
        extension: { days: body.days, status: 'requested', requestedOn: on, approvedOn: null, reason: body.reason, requestedBy: input.actorId ?? '', approvedBy: null },
        lastStepOn: on,
      },
      on,
      payload: { days: body.days, reason: body.reason },
    };
  });
}

export interface ApproveExtensionBody {
  readonly on?: string;
}

/** Approved by the head of the office (a supervisor of the case's agency), on or before the deadline. */
export function decideApproveExtension(input: DecisionInput<ApproveExtensionBody>): Decision {
  return decision(input, () => {
    const to = transition('approve-extension', input);
    const c = input.c;
    const ext = c.extension;
    if (!ext || ext.status !== 'requested') refuse('EXTENSION_NOT_REQUESTED');
    noExtensionUnderArt35(c);
    const on = stepDay(input, input.body.on, { notBefore: [{ date: ext.requestedOn, what: '申请延期之日' }, usualBounds(c)[1]] });
    const clock = caseClock(c, input.cal, on);
    if (!extensionApprovable(clock, on)) refuse('EXTENSION_TOO_LATE', `答复期限（${clock.computedDue}）已过，不能再批准延期`, { due: clock.computedDue });
    return {
      action: 'approve-extension',
      to,
      patch: { extension: { ...ext, status: 'approved', approvedOn: on, approvedBy: input.actorId }, lastStepOn: on },
      on,
      payload: { days: ext.days, previousDue: clock.computedDue },
    };
  });
}

export interface SetDelayedReplyBody {
  readonly on?: string;
  readonly until: string;
  readonly reason: string;
}

/** Art 35: a reasonable later date becomes the deadline. */
export function decideSetDelayedReply(input: DecisionInput<SetDelayedReplyBody>): Decision {
  return decision(input, () => {
    const to = transition('set-delayed-reply', input);
    const { c, body } = input;
    const allowed = delayedReplyAllowed(c.reasonsRequest);
    if (!allowed.ok) refuse('REASONS_NOT_ESTABLISHED', allowed.message);
    const on = stepDay(input, body.on);
    if (body.until > CALENDAR_RANGE.to) refuseField('until', `延迟答复日期不能晚于${CALENDAR_RANGE.to}`);
    const due = caseClock(c, input.cal, on).computedDue;
    if (body.until <= on || (due && body.until <= due)) refuseField('until', `延迟答复日期应晚于当前答复期限（${due ?? on}）`);
    return {
      action: 'set-delayed-reply',
      to,
      patch: { delayedUntil: body.until, delayedReason: body.reason, lastStepOn: on },
      on,
      payload: { until: body.until, reason: body.reason, previousDue: due },
    };
  });
}
