/**
 * What a letter prints, as plain data (no entity, no I/O): the input of `renderLetterPdf`, assembled by the
 * letters service from the case, the agency and the step. There is deliberately no field for an identity
 * number or a telephone number of the applicant or a third party: a letter never prints them.
 */
import type { NoticeCode } from '../../statute/letter-catalogue';
import type { Channel, DeliveryMethod } from '../../statute/intake';
import type { OutcomeCode } from '../../statute/outcomes';
import { DRAFTABLE_OUTCOMES } from '../../statute/outcomes';
import { NOTICE_CODES } from '../../statute/letter-catalogue';

/** The outcomes a reply is written for (the two lapses are told by the termination notice). */
export type ReplyOutcome = Exclude<OutcomeCode, 'other.correction_lapsed' | 'other.fee_unpaid'>;

/** One template per process notice and one per reply outcome (letters.md). */
export type TemplateCode = NoticeCode | `reply.${ReplyOutcome}`;

export const TEMPLATE_CODES: readonly TemplateCode[] = [
  ...NOTICE_CODES,
  ...DRAFTABLE_OUTCOMES.map((o) => `reply.${o}` as TemplateCode),
];

export const isTemplateCode = (s: unknown): s is TemplateCode => typeof s === 'string' && (TEMPLATE_CODES as readonly string[]).includes(s);

/** The template of a reply of `outcome`, or of a notice. */
export function templateCodeFor(letter: NoticeCode | 'reply', outcome?: OutcomeCode | null): TemplateCode {
  if (letter !== 'reply') return letter;
  if (!outcome) throw new RangeError('a reply needs its outcome');
  if (outcome === 'other.correction_lapsed' || outcome === 'other.fee_unpaid') return 'termination_notice';
  return `reply.${outcome}`;
}

export interface WithheldItem {
  /** what is withheld (不予公开的内容) */
  readonly part: string;
  /** its ground, a `withheld.*` outcome code */
  readonly ground: string;
}

export interface LetterFacts {
  readonly template: TemplateCode;
  /** 发文字号 parts; null for a draft (printed as 草稿) */
  readonly number: { readonly prefix: string; readonly year: number; readonly n: number } | null;
  /** the letter's date (成文日期), YYYY-MM-DD */
  readonly date: string;

  /** 称谓: the applicant's (or third party's, other agency's) name */
  readonly addresseeName: string;
  /** postal address, needed when the letter goes by post */
  readonly addresseeAddress?: string | null;
  /** how the letter reaches the addressee; `post` needs the address */
  readonly deliveryMethod?: DeliveryMethod | null;

  /** issuing agency (发文机关署名) */
  readonly agencyName: string;
  /** 行政复议机关 and 管辖法院, named in the remedies sentence */
  readonly reconsiderationBody?: string | null;
  readonly court?: string | null;
  /** optional contact line of the agency's office (联系人、办公电话), printed in parentheses under the date */
  readonly contactLine?: string | null;

  /** the application: Art 31 receipt date, channel, what was applied for, tracking number, reply deadline */
  readonly receiptDate?: string | null;
  readonly channel?: Channel | null;
  readonly subject?: string | null;
  readonly trackingNumber?: string | null;
  /** the portal query code, printed on the receipt only (never stored in clear) */
  readonly queryCode?: string | null;
  readonly replyDueDate?: string | null;

  /** the reply (and the termination notice, by its lapse outcome) */
  readonly outcome?: OutcomeCode | null;
  readonly reasons?: string | null;
  readonly withheld?: readonly WithheldItem[] | null;
  readonly competentAgency?: { readonly name: string; readonly contact?: string | null } | null;
  readonly earlierReply?: { readonly documentNumber: string; readonly date: string } | null;
  /** files provided with a granted or partial reply */
  readonly providedFiles?: readonly string[] | null;

  /** correction notice (Art 30) */
  readonly correctionItems?: readonly string[] | null;
  readonly correctionDueDate?: string | null;
  /** extension notice (Art 33 ¶2) */
  readonly extensionDays?: number | null;
  readonly newDueDate?: string | null;
  /** consultation (Arts 32, 34) and the third-party disclosure decision */
  readonly consultedInformation?: string | null;
  readonly answerDueDate?: string | null;
  /** reasons request and delay notice (Art 35) */
  readonly reasonsDueDate?: string | null;
  readonly laterReplyDate?: string | null;
  /** fee notice (Art 42, 办法) */
  readonly feeAmount?: number | null;
  readonly feeBasis?: string | null;
  readonly paymentMethod?: string | null;
  readonly paymentDueDate?: string | null;
}

/** Every field of LetterFacts a template may print (its variables), in one list. */
export const FACT_FIELDS = [
  'number',
  'date',
  'addresseeName',
  'addresseeAddress',
  'agencyName',
  'reconsiderationBody',
  'court',
  'contactLine',
  'receiptDate',
  'channel',
  'subject',
  'trackingNumber',
  'queryCode',
  'replyDueDate',
  'outcome',
  'reasons',
  'withheld',
  'competentAgency',
  'earlierReply',
  'providedFiles',
  'correctionItems',
  'correctionDueDate',
  'extensionDays',
  'newDueDate',
  'consultedInformation',
  'answerDueDate',
  'reasonsDueDate',
  'laterReplyDate',
  'feeAmount',
  'feeBasis',
  'paymentMethod',
  'paymentDueDate',
] as const satisfies readonly (keyof LetterFacts)[];
export type FactField = (typeof FACT_FIELDS)[number];
