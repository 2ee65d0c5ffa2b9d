/**
 * The remedies sentence (statute.md §6; Art 51; 行政复议法 2023 Arts 20, 23, 24, 27; 行政诉讼法 Arts 45–46)
 * that every reply and termination notice carries before its closing. Pure.
 */
import { isOutcomeCode, reconsiderationFirst, type OutcomeCode } from './outcomes';

/**
 * - `choice`: reconsideration within 60 days or litigation within 6 months, at the applicant's choice;
 * - `reconsideration_first`: from 2024-01-01 a decision not to disclose goes to reconsideration first (Art 23(4));
 * - `partial_split`: a partial disclosure from 2024-01-01: reconsideration first for the withheld part, choice for the rest.
 */
export type RemediesVariant = 'choice' | 'reconsideration_first' | 'partial_split';

/** What carries the sentence: a reply (by outcome) or the termination notice. */
export type RemediesSubject = OutcomeCode | 'termination_notice';

export function remediesVariant(subject: RemediesSubject, letterDate: string): RemediesVariant {
  if (subject === 'termination_notice') {
    reconsiderationFirst('other.other', letterDate); // validates the date
    return 'choice';
  }
  if (!isOutcomeCode(subject)) throw new RangeError(`unknown outcome: ${String(subject)}`);
  if (!reconsiderationFirst(subject, letterDate)) return 'choice';
  return subject === 'partial' ? 'partial_split' : 'reconsideration_first';
}

export interface RemediesInput {
  readonly subject: RemediesSubject;
  /** the letter's date, YYYY-MM-DD */
  readonly letterDate: string;
  /** 行政复议机关, e.g. 盘锦市人民政府 */
  readonly reconsiderationBody: string;
  /** 管辖法院, e.g. 盘锦市兴隆台区人民法院 */
  readonly court: string;
}

/** The words that mark each variant (tests and template validation look for them). */
export const REMEDIES_MARKERS: Readonly<Record<RemediesVariant, string>> = {
  choice: '也可以自知道该行政行为之日起6个月内',
  reconsideration_first: '应当先依法',
  partial_split: '对本答复中不予公开的部分不服的，应当先依法',
};

export function remediesSentence(input: RemediesInput): string {
  const body = input.reconsiderationBody.trim();
  const court = input.court.trim();
  if (!body) throw new RangeError('reconsideration body missing');
  if (!court) throw new RangeError('court missing');
  const variant = remediesVariant(input.subject, input.letterDate);
  const doc = input.subject === 'termination_notice' ? '本告知' : '本答复';
  const choice = `可以自知道该行政行为之日起60日内向${body}申请行政复议，也可以自知道该行政行为之日起6个月内向${court}提起行政诉讼`;
  const first = `应当先依法自知道该行政行为之日起60日内向${body}申请行政复议；对行政复议决定不服的，可以依法向${court}提起行政诉讼`;
  switch (variant) {
    case 'choice':
      return `如对${doc}不服，${choice}。`;
    case 'reconsideration_first':
      return `如对${doc}不服，${first}。`;
    case 'partial_split':
      return `如对${doc}中不予公开的部分不服的，${first}；对${doc}其他内容不服的，${choice}。`;
  }
}
