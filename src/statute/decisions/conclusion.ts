/** The case concluded without a reply: deemed abandoned (视为放弃申请, Art 30 / 办法) once a period lapsed, or withdrawn. */
import { noticeSentOn, receivedOn } from '../case-clock-facts';
import type { OutcomeCode } from '../outcomes';
import { applicantPeriodEnd, FEE_PAYMENT_DAYS, periodLapsed } from '../reply-clock';
import { decision, refuse, stepDay, transition, type Decision, type DecisionInput } from './decision';

export interface ConcludeLapsedBody {
  readonly on?: string;
  readonly reason: 'correction' | 'fee';
}

/** Art 30 / 办法: deemed abandoned once the applicant's period (from the notice's receipt) has ended. */
export function decideConcludeLapsed(input: DecisionInput<ConcludeLapsedBody>): Decision {
  return decision(input, () => {
    const to = transition('conclude-lapsed', input);
    const { c, body } = input;
    let end: string;
    let outcome: OutcomeCode;
    if (body.reason === 'correction') {
      if (c.state !== 'awaiting_correction' || !c.correction) refuse('TRANSITION_NOT_ALLOWED', '案件不在待补正状态');
      end = applicantPeriodEnd(receivedOn(c.deliveries, 'correction_notice', noticeSentOn(c.correction, c.correction.requestedOn)), c.correction.periodDays, input.cal).date;
      outcome = 'other.correction_lapsed';
    } else {
      if (c.state !== 'awaiting_fee' || !c.fee) refuse('TRANSITION_NOT_ALLOWED', '案件不在待缴费状态');
      end = applicantPeriodEnd(receivedOn(c.deliveries, 'fee_notice', noticeSentOn(c.fee, c.fee.notifiedOn)), FEE_PAYMENT_DAYS, input.cal).date;
      outcome = 'other.fee_unpaid';
    }
    const on = stepDay(input, body.on);
    if (!periodLapsed(end, on)) refuse('PERIOD_NOT_LAPSED', `期限至${end}届满，届满后方可视为放弃申请`, { periodEnds: end });
    return { action: 'conclude-lapsed', to, patch: { outcome, outcomeDetails: {}, concludedOn: on, lastStepOn: on }, on, payload: { reason: body.reason, periodEnded: end } };
  });
}

export interface WithdrawBody {
  readonly on?: string;
  readonly reason: string;
}

/** The applicant withdrew the application. */
export function decideWithdraw(input: DecisionInput<WithdrawBody>): Decision {
  return decision(input, () => {
    const to = transition('withdraw', input);
    const on = stepDay(input, input.body.on);
    return {
      action: 'withdraw',
      to,
      patch: { outcome: 'other.other', outcomeDetails: { reasons: `申请人撤回申请：${input.body.reason}` }, concludedOn: on, lastStepOn: on },
      on,
      payload: { reason: input.body.reason },
    };
  });
}
