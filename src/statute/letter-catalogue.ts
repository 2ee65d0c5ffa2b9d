/**
 * The letters the agency sends (文书), as `domain/letters.md` lists them: process notices
 * (程序性文书) and the reply (答复书), one template per outcome. Pure data, no framework.
 */

export const NOTICE_CODES = [
  'receipt',
  'correction_notice',
  'extension_notice',
  'third_party_consultation',
  'consultation_notice',
  'agency_consultation',
  'reasons_request',
  'delay_notice',
  'fee_notice',
  'third_party_disclosure',
  'termination_notice',
] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/** Every letter code: the notices and `reply` (its template follows the outcome). */
export const LETTER_CODES = ['reply', ...NOTICE_CODES] as const;
export type LetterCode = (typeof LETTER_CODES)[number];

export type Addressee = 'applicant' | 'third_party' | 'other_agency';

export interface LetterDefinition {
  readonly code: LetterCode;
  /** 文书名称 */
  readonly title: string;
  /** articles of the Regulation (or 办法) it rests on */
  readonly article: string;
  readonly addressee: Addressee;
  /**
   * The number series (发文字号): each process notice has its own; all replies share one.
   * One gapless series per agency, per series, per year of the letter's date.
   */
  readonly series: string;
  /** one character naming the series in a number (复 for replies, 收 for receipts …) */
  readonly abbrev: string;
  /** the prefix when the agency has set none for this series: 依 + abbrev, as in 依复〔2026〕3号 */
  readonly defaultPrefix: string;
}

const row = (code: LetterCode, title: string, article: string, addressee: Addressee, abbrev: string): LetterDefinition => ({
  code,
  title,
  article,
  addressee,
  series: code,
  abbrev,
  defaultPrefix: `依${abbrev}`,
});

export const LETTERS: Readonly<Record<LetterCode, LetterDefinition>> = {
  reply: row('reply', '政府信息公开申请答复书', '36–39', 'applicant', '复'),
  receipt: row('receipt', '政府信息公开申请接收回执', '31', 'applicant', '收'),
  correction_notice: row('correction_notice', '政府信息公开申请补正告知书', '30', 'applicant', '补'),
  extension_notice: row('extension_notice', '政府信息公开申请延期答复告知书', '33 ¶2', 'applicant', '延'),
  third_party_consultation: row('third_party_consultation', '政府信息公开征求第三方意见书', '32', 'third_party', '征'),
  consultation_notice: row('consultation_notice', '政府信息公开申请征求意见告知书', '33 ¶3', 'applicant', '告'),
  agency_consultation: row('agency_consultation', '政府信息公开征求意见函', '34', 'other_agency', '函'),
  reasons_request: row('reasons_request', '政府信息公开申请说明理由告知书', '35', 'applicant', '询'),
  delay_notice: row('delay_notice', '政府信息公开申请延迟答复告知书', '35', 'applicant', '迟'),
  fee_notice: row('fee_notice', '政府信息公开信息处理费收费通知书', '42, 办法', 'applicant', '费'),
  third_party_disclosure: row('third_party_disclosure', '政府信息公开决定告知书（第三方）', '32', 'third_party', '决'),
  termination_notice: row('termination_notice', '政府信息公开申请终止处理告知书', '30, 办法', 'applicant', '终'),
};

export const LETTER_SERIES: readonly string[] = [...new Set(LETTER_CODES.map((c) => LETTERS[c].series))];

export const isLetterCode = (s: string): s is LetterCode => (LETTER_CODES as readonly string[]).includes(s);

/**
 * 发文字号 `{prefix}〔{year}〕{n}号`: the year in full inside 六角括号, n without leading zeros
 * and without 第 (letters.md §Structure 2). The numbers are written by ISSUE_LETTER_SQL (letters-sql.ts),
 * with the agency's prefix for the series or else the series' `defaultPrefix`; this is the rule the
 * tests hold that statement to.
 */
export function documentNumber(prefix: string, year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year ${year}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n ${n}`);
  return `${prefix}〔${year}〕${n}号`;
}

/**
 * Letter lifecycle (letters.md): draft → approved → issued → delivered; a draft that never went out is cancelled;
 * an issued letter found mistaken is superseded by a new one (it went out, and stays as it was).
 */
export const LETTER_STATES = ['draft', 'approved', 'issued', 'delivered', 'cancelled', 'superseded'] as const;
export type LetterState = (typeof LETTER_STATES)[number];

/** The applicant may see a letter once it has gone out to them. */
export const isIssued = (s: LetterState): boolean => s === 'issued' || s === 'delivered';

/** A letter that went out, current or superseded since: it has its number, date and (once rendered) its PDF. */
export const wentOut = (s: LetterState): boolean => isIssued(s) || s === 'superseded';
