/**
 * Arts 32, 33 ¶3, 34: a consultation (征求意见) pauses the clock while at least one is open; no pause begins after
 * the deadline has passed (statute §4).
 */
import type { Consultation } from '../case-record';
import { caseClock } from '../case-clock-facts';
import { withinDeadline } from '../reply-clock';
import { decision, refuse, refuseField, stepDay, transition, type CaseFacts, type Decision, type DecisionInput } from './decision';
import type { WorkingCalendar } from '../working-calendar';

export interface ConsultBody {
  readonly on?: string;
  readonly party: 'third_party' | 'other_agency';
  readonly name: string;
  readonly jointMaker?: boolean;
  readonly address?: string;
  readonly email?: string;
}

/** Arts 32, 33 ¶3, 34: a consultation pauses the clock; never after the deadline. */
export function decideConsult(input: DecisionInput<ConsultBody> & { readonly consultationId: string }): Decision {
  return decision(input, () => {
    const to = transition('consult', input);
    const { c, body } = input;
    const on = stepDay(input, body.on);
    const clock = caseClock(c, input.cal, on);
    if (!withinDeadline(clock, on)) refuse('DEADLINE_PASSED', `答复期限（${clock.computedDue}）已过，不能再征求意见暂停计算期限`, { due: clock.computedDue });
    const k: Consultation = {
      id: input.consultationId,
      party: body.party,
      name: body.name,
      jointMaker: body.jointMaker ?? false,
      openedOn: on,
      closedOn: null,
      opinion: null,
      note: null,
      // where the consultation letter goes (the party's postal address and e-mail; never in the history)
      ...(body.address ? { address: body.address } : {}),
      ...(body.email ? { email: body.email } : {}),
    };
    return {
      action: 'consult',
      to,
      patch: { consultations: [...c.consultations, k], lastStepOn: on },
      on,
      payload: { consultationId: k.id, party: k.party, name: k.name, jointMaker: k.jointMaker },
    };
  });
}

export interface EndConsultationBody {
  readonly on?: string;
  readonly consultationId?: string;
  readonly opinion: 'consent' | 'objection' | 'none';
  readonly note?: string;
}

/** The end of one open consultation; the case stays `consulting` while another is open (the table's dynamic target). */
export function decideEndConsultation(input: DecisionInput<EndConsultationBody>): Decision {
  return decision(input, () => {
    transition('end-consultation', input);
    const { c, body } = input;
    const open = c.consultations.filter((k) => !k.closedOn);
    let target: Consultation | undefined;
    if (body.consultationId) {
      target = open.find((k) => k.id === body.consultationId!.toLowerCase());
      if (!target) refuse('CONSULTATION_NOT_OPEN', undefined, { consultationId: body.consultationId });
    } else if (open.length === 1) {
      target = open[0];
    } else if (open.length === 0) {
      refuse('CONSULTATION_NOT_OPEN');
    } else {
      refuseField('consultationId', '有多项征求意见进行中，请指明结束哪一项');
    }
    const t = target;
    const on = stepDay(input, body.on, { notBefore: [{ date: t.openedOn, what: '征求意见之日' }] });
    const consultations = c.consultations.map((k) => (k.id === t.id ? { ...k, closedOn: on, opinion: body.opinion, note: body.note ?? null } : k));
    noConsultationAfterDeadline(c, consultations, input.cal);
    const to = transition('end-consultation', input, { openConsultationsAfter: consultations.filter((k) => !k.closedOn).length });
    return {
      action: 'end-consultation',
      to,
      patch: { consultations, lastStepOn: c.lastStepOn && c.lastStepOn > on ? c.lastStepOn : on },
      on,
      payload: { consultationId: t.id, opinion: body.opinion, note: body.note ?? null },
    };
  });
}

/**
 * An end recorded late may predate a consultation opened meanwhile, which the clock then sees begun while it
 * ran. If the deadline had passed by that opening, the consultation would have been refused (DEADLINE_PASSED)
 * had the end been known: this end date is refused the same way, rather than the case turning overdue unseen.
 */
function noConsultationAfterDeadline(c: CaseFacts, consultations: readonly Consultation[], cal: WorkingCalendar): void {
  for (const k of consultations) {
    const before = consultations
      .filter((x) => x.id !== k.id && x.openedOn < k.openedOn)
      .map((x) => (x.closedOn && x.closedOn <= k.openedOn ? x : { ...x, closedOn: null }));
    const clock = caseClock({ ...c, state: 'in_progress', consultations: before }, cal, k.openedOn);
    if (!withinDeadline(clock, k.openedOn)) {
      refuse('DEADLINE_PASSED', `按此结束日期，${k.name}的征求意见（${k.openedOn}）已在答复期限（${clock.computedDue}）届满之后开始，不能暂停计算期限`, {
        due: clock.computedDue,
        consultationId: k.id,
      });
    }
  }
}
