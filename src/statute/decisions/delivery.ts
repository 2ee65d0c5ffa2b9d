/** 送达: the addressee's receipt of a letter; periods that run from it (correction, fee, consultation, reasons) start there. */
import { decision, refuseField, stepDay, transition, type Decision, type DecisionInput } from './decision';

export interface RecordDeliveryBody {
  readonly of?: string;
  readonly letterId?: string;
  readonly on?: string;
  readonly method: string;
  readonly waybillNumber?: string;
}

export interface DeliveryFacts {
  /** the letter `body.letterId` names, if issued in this case (looked up only when given) */
  readonly letter: { readonly id: string; readonly code: string; readonly datedOn: string; readonly consultationId?: string | null; readonly superseded?: boolean } | null;
  /** without `letterId`: the day the first issued letter of kind `body.of` went out, null when none did */
  readonly firstSentOn: string | null;
}

/**
 * A letter's receipt: never before it went out, never in the future. The receipt of a letter superseded since is
 * recorded (on the case and on that letter) as a fact of that letter only: the period runs from the receipt of the
 * notice in force (`receivedOn`), whichever receipt was recorded first; the applicant who kept the first notice and
 * never got its replacement has the period from the day the replacement went out.
 */
export function decideRecordDelivery(input: DecisionInput<RecordDeliveryBody> & DeliveryFacts): Decision {
  return decision(input, () => {
    const to = transition('record-delivery', input);
    const { c, body, letter } = input;
    // `letterId` names the letter exactly (a superseded letter, one of several consultations); else the code
    if (body.letterId && !letter) refuseField('letterId', '本案没有发出过该文书');
    if (letter && body.of && body.of !== letter.code) refuseField('of', '文书种类与 letterId 所指文书不符');
    const of = letter?.code ?? body.of!;
    const sent = letter ? letter.datedOn : input.firstSentOn;
    if (!sent) refuseField('of', '本案没有发出过该文书');
    const on = stepDay(input, body.on, { notBefore: [{ date: sent, what: '文书发出之日' }] });
    const waybillNumber = body.waybillNumber ?? null;
    const named = letter ? { letterId: letter.id, ...(letter.consultationId ? { consultationId: letter.consultationId } : {}), ...(letter.superseded ? { superseded: true as const } : {}) } : {};
    const d = { of, on, method: body.method, waybillNumber, recordedAt: input.now, ...named };
    return {
      action: 'record-delivery',
      to,
      patch: { deliveries: [...c.deliveries, d] },
      on,
      payload: { of, method: body.method, waybillNumber, ...(letter ? { letterId: letter.id } : {}), ...(letter?.superseded ? { superseded: true } : {}) },
    };
  });
}
