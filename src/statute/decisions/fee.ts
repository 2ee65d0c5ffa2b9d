/**
 * 《政府信息公开信息处理费管理办法》: the fee notice pauses the clock until payment (inside the reply period only);
 * the payment recorded must match the notice.
 */
import { caseClock } from '../case-clock-facts';
import { feeFor, paymentMatchesNotice } from '../fee-tariff';
import { withinDeadline } from '../reply-clock';
import { decision, refuse, refuseField, stepDay, transition, usualBounds, type Decision, type DecisionInput } from './decision';

export interface NotifyFeeBody {
  readonly on?: string;
  readonly tariff: 'per_item' | 'per_page';
  readonly pages?: number;
  readonly basis?: string;
  readonly amount?: number;
}

/** 办法: once per case, inside the reply period; the amount by the tariff unless given. */
export function decideNotifyFee(input: DecisionInput<NotifyFeeBody> & { /** this application's place among the applicant's this month (per-item tariff) */ readonly monthPosition: number }): Decision {
  return decision(input, () => {
    const to = transition('notify-fee', input);
    const { c, body } = input;
    if (c.fee) refuse('TRANSITION_NOT_ALLOWED', '本案已发出过收费通知');
    const on = stepDay(input, body.on);
    const clock = caseClock(c, input.cal, on);
    if (!withinDeadline(clock, on)) refuse('DEADLINE_PASSED', `答复期限（${clock.computedDue}）已过，不能再发出收费通知`, { due: clock.computedDue });
    let nth: number | null = null;
    let amount: number;
    if (body.tariff === 'per_page') {
      if (body.pages === undefined) refuseField('pages', '按量计收须填写页数');
      amount = body.amount ?? feeFor({ tariff: 'per_page', pages: body.pages });
    } else {
      nth = input.monthPosition;
      amount = body.amount ?? feeFor({ tariff: 'per_item', nth });
    }
    const basis = body.basis ?? null;
    return {
      action: 'notify-fee',
      to,
      patch: { fee: { tariff: body.tariff, pages: body.pages ?? null, nth, amount, notifiedOn: on, paidOn: null, receiptNumber: null, basis, paidAmount: null }, lastStepOn: on },
      on,
      payload: { tariff: body.tariff, pages: body.pages ?? null, nth, amount, basis },
    };
  });
}

export interface RecordPaymentBody {
  readonly on?: string;
  readonly receiptNumber: string;
  readonly amount: number;
}

/** The fee paid, in the notice's amount; the clock runs again. */
export function decideRecordPayment(input: DecisionInput<RecordPaymentBody>): Decision {
  return decision(input, () => {
    const to = transition('record-payment', input);
    const { c, body } = input;
    const fee = c.fee!;
    if (!paymentMatchesNotice(body.amount, fee.amount)) refuseField('amount', `缴纳的金额应与收费通知的金额（${fee.amount}元）一致`);
    const on = stepDay(input, body.on, { notBefore: [{ date: fee.notifiedOn, what: '发出收费通知之日' }, usualBounds(c)[1]] });
    return {
      action: 'record-payment',
      to,
      patch: { fee: { ...fee, paidOn: on, receiptNumber: body.receiptNumber, paidAmount: body.amount }, lastStepOn: on },
      on,
      payload: { receiptNumber: body.receiptNumber, amount: body.amount },
    };
  });
}
