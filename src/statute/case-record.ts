/**
 * The parts of a case record the statute's rules read and write: consultations, the correction, the extension, the
 * fee notice, the reply draft, deliveries. The case entity stores them (as JSON columns); the rules own their shape.
 */
import type { OutcomeCode, OutcomeDetails } from './outcomes';

/** A consultation (征求意见): Art 32 third party, Arts 33 ¶3 / 34 other agency. */
export interface Consultation {
  id: string;
  party: 'third_party' | 'other_agency';
  name: string;
  jointMaker: boolean;
  openedOn: string;
  closedOn: string | null;
  opinion: 'consent' | 'objection' | 'none' | null;
  note: string | null;
  /** the party's postal address and e-mail, for the consultation letter */
  address?: string;
  email?: string;
  /**
   * the day the notice in force went out, when a superseded notice was replaced (letters.md, Lifecycle): the period
   * runs from its receipt, else from this day; absent while the first notice is in force
   */
  noticeOn?: string;
}

export interface Extension {
  days: number;
  status: 'requested' | 'approved';
  requestedOn: string;
  approvedOn: string | null;
  reason: string;
  requestedBy: string;
  approvedBy: string | null;
}

export interface Correction {
  requestedOn: string;
  items: string[];
  periodDays: number;
  receivedOn: string | null;
  content: string | null;
  /**
   * the day the notice in force went out, when a superseded notice was replaced (letters.md, Lifecycle): the period
   * runs from its receipt, else from this day; absent while the first notice is in force
   */
  noticeOn?: string;
}

export interface FeeNotice {
  tariff: 'per_item' | 'per_page';
  pages: number | null;
  nth: number | null;
  amount: number;
  notifiedOn: string;
  paidOn: string | null;
  receiptNumber: string | null;
  /** why the volume or frequency exceeds a reasonable range (办法): recorded with the notice */
  basis?: string | null;
  /** the amount recorded with the payment (equal to `amount`) */
  paidAmount?: number | null;
  /**
   * the day the notice in force went out, when a superseded notice was replaced (letters.md, Lifecycle): the period
   * runs from its receipt, else from this day; absent while the first notice is in force
   */
  noticeOn?: string;
}

export interface ReplyDraft {
  outcome: OutcomeCode;
  details: OutcomeDetails;
  draftedBy: string;
  draftedAt: string;
  approvals: { step: number; by: string; at: string; confidentialityReviewed: boolean }[];
}

/** The addressee's receipt of a letter (record-delivery). */
export interface Delivery {
  of: string;
  on: string;
  method: string;
  waybillNumber: string | null;
  recordedAt: string;
  /** the letter received, when named exactly (record-delivery's `letterId`) */
  letterId?: string;
  /** that letter's consultation, for a letter to a consulted party (its response period runs from this receipt) */
  consultationId?: string;
  /**
   * the letter named had been superseded when its receipt was recorded: a fact of that letter only, no period runs
   * from it (the period runs from the receipt of the notice in force)
   */
  superseded?: true;
}
