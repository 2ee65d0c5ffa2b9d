/**
 * The reply clock's inputs read off a case record (the pure clock itself is `reply-clock.ts`): the pauses its
 * consultations and fee notice make, and the addressee's receipt of a letter from the recorded deliveries.
 */
import type { CaseState } from './case-states';
import type { Consultation, Correction, Delivery, Extension, FeeNotice } from './case-record';
import { computeReplyClock, type ClockFacts, type ClockPause, type ClockState } from './reply-clock';
import type { WorkingCalendar } from './working-calendar';

/** What of a case the clock depends on. */
export interface ClockInputs {
  readonly state: CaseState;
  readonly receiptDate: string | null;
  readonly correction: Correction | null;
  readonly consultations: readonly Consultation[];
  readonly fee: FeeNotice | null;
  readonly extension: Extension | null;
  readonly delayedUntil: string | null;
  readonly concludedOn: string | null;
}

/**
 * The spans in which the clock stood still, derived from the case: one per consultation
 * (Art 32, 33 ¶3, 34: the clock stops while at least one is open) and the fee wait (办法).
 */
export function pausesOf(c: Pick<ClockInputs, 'consultations' | 'fee'>): ClockPause[] {
  const pauses: ClockPause[] = c.consultations.map((k) => ({ kind: k.party, from: k.openedOn, to: k.closedOn }));
  if (c.fee) pauses.push({ kind: 'fee', from: c.fee.notifiedOn, to: c.fee.paidOn });
  return pauses;
}

/** The pure clock's inputs, read off a case. */
export function clockFactsOf(c: ClockInputs): ClockFacts {
  const noClock = c.state === 'submitted' || c.state === 'discarded';
  return {
    receiptDate: noClock ? null : c.receiptDate,
    correctionReceivedOn: c.correction?.receivedOn ?? null,
    // a correction asked for and never received: no deadline runs, whether still awaited or concluded
    // without it (a lapse or a withdrawal from awaiting_correction)
    awaitingCorrectionSince: c.correction && !c.correction.receivedOn ? c.correction.requestedOn : null,
    pauses: pausesOf(c),
    extensionDays: c.extension?.status === 'approved' ? c.extension.days : 0,
    delayedUntil: c.delayedUntil,
    concludedOn: c.state === 'concluded' ? c.concludedOn : null,
  };
}

/** The case's reply clock as of `today`. */
export function caseClock(c: ClockInputs, cal: WorkingCalendar, today: string): ClockState {
  return computeReplyClock(clockFactsOf(c), cal, today);
}

/**
 * The addressee's receipt of the letter of a kind in force: the latest recorded delivery, else the day it was sent
 * (`sentOn`: the replacement's day once a mistaken notice was superseded, see `noticeSentOn`). Corrections never move
 * a period backwards or by a letter no longer in force: a receipt of a superseded letter recorded after it was
 * superseded is a fact of that letter only (left out here); one recorded before is dated no later than the day its
 * replacement went out, which bounds it.
 */
export function receivedOn(deliveries: readonly Delivery[], of: string, sentOn: string): string {
  const d = deliveries.filter((x) => x.of === of && !x.superseded).sort((a, b) => (a.on < b.on ? 1 : -1))[0];
  return d && d.on >= sentOn ? d.on : sentOn;
}

/**
 * The day the notice in force went out: the day of the record (`ownDay`: the correction asked, the fee notified,
 * the reasons asked, the consultation opened) until a mistaken notice is superseded, then its replacement's day.
 */
export const noticeSentOn = (record: { readonly noticeOn?: string }, ownDay: string): string => record.noticeOn ?? ownDay;
