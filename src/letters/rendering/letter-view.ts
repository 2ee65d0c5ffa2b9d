/**
 * From LetterFacts to what a template sees: every field present (null when absent, so strict Handlebars
 * only refuses names that do not exist), dates in the letter's form (2025年3月7日), the channel in words,
 * the withheld parts with their ground's label and articles, and the derived parts: the articles cited
 * (`citation`) and the remedies sentence (`remedies`). Pure.
 */
import { documentNumber, LETTERS, type NoticeCode } from '../../statute/letter-catalogue';
import { CHANNEL_LABELS } from '../../statute/intake';
import { formatChineseDate, parseIsoDate } from '../../statute/iso-date';
import { isWithheldCode, OUTCOMES, type OutcomeCode } from '../../statute/outcomes';
import { citeArticles, groundArticles, replyCitation } from '../../statute/citations';
import { maskIdNumber, maskPhone } from '../../statute/id-number';
import { remediesSentence, type RemediesSubject } from '../../statute/remedies';
import { FACT_FIELDS, type LetterFacts, type TemplateCode } from './letter-facts';

/** Names a template may print besides the fact fields: derived from them. */
export const DERIVED_VARIABLES = ['citation', 'remedies', 'outcomeLabel'] as const;
export type DerivedVariable = (typeof DERIVED_VARIABLES)[number];

/** The facts each derived variable needs (so a template using `remedies` needs the body and the court). */
export const DERIVED_NEEDS: Readonly<Record<DerivedVariable, readonly string[]>> = {
  citation: [],
  remedies: ['reconsiderationBody', 'court'],
  outcomeLabel: [],
};

/** Fields of the items a template may iterate over with `{{#each}}`. */
export const ITEM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  withheld: ['part', 'ground', 'citation'],
  providedFiles: [],
  correctionItems: [],
};

/** Fields of the objects a template may print with a dotted path (`competentAgency.name`). */
export const OBJECT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  competentAgency: ['name', 'contact'],
  earlierReply: ['documentNumber', 'date'],
};

/** `2025-03-07` → 2025年3月7日 (Arabic numerals, no leading zeros). */
export function letterDate(iso: string): string {
  const n = parseIsoDate(iso);
  if (n === null) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  return formatChineseDate(n);
}

/** The outcome a template is for: a reply's own, the termination notice's lapse, or none. */
export function outcomeOf(template: TemplateCode, facts: Pick<LetterFacts, 'outcome'>): OutcomeCode | null {
  if (template.startsWith('reply.')) return template.slice('reply.'.length) as OutcomeCode;
  if (template === 'termination_notice') return facts.outcome === 'other.fee_unpaid' ? 'other.fee_unpaid' : 'other.correction_lapsed';
  return null;
}

const blank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0) || (typeof v === 'number' && !Number.isFinite(v));

/** Whether a fact (by its dotted path) is absent or blank. */
export function isBlankFact(facts: LetterFacts, path: string): boolean {
  let v: unknown = facts;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return true;
    v = (v as Record<string, unknown>)[k];
  }
  return blank(v);
}

const ID_LIKE = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE_LIKE = /(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])/g;

/**
 * A letter never prints an identity number or a mobile number: free text typed by staff (reasons, parts,
 * items) is scrubbed of anything shaped like one, masked as the API masks them (110*************2X, 138****0000).
 */
export function scrubPersonalNumbers(text: string): string {
  return text.replace(ID_LIKE, (m) => maskIdNumber(m)).replace(MOBILE_LIKE, (m) => maskPhone(m.replace(/[- ]/g, '').replace(/^\+?86/, '')));
}

const scrub = (v: unknown): unknown => {
  if (typeof v === 'string') return scrubPersonalNumbers(v);
  if (Array.isArray(v)) return v.map(scrub);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
  return v;
};

const dateOrNull = (v: string | null | undefined): string | null => (v ? letterDate(v) : null);

export type LetterView = Record<string, unknown>;

export function buildView(facts: LetterFacts): LetterView {
  const view: Record<string, unknown> = {};
  for (const f of FACT_FIELDS) view[f] = (facts as unknown as Record<string, unknown>)[f] ?? null;
  const outcome = outcomeOf(facts.template, facts);
  const withheld = (facts.withheld ?? []).map((w) => ({
    part: w.part,
    ground: isWithheldCode(w.ground) ? OUTCOMES[w.ground].label : w.ground,
    citation: isWithheldCode(w.ground) ? citeArticles(groundArticles(w.ground)) : '',
  }));
  const grounds = (facts.withheld ?? []).map((w) => w.ground);
  const subject: RemediesSubject | null = facts.template === 'termination_notice' ? 'termination_notice' : outcome;
  Object.assign(view, {
    number: facts.number ? documentNumber(facts.number.prefix, facts.number.year, facts.number.n) : null,
    date: letterDate(facts.date),
    receiptDate: dateOrNull(facts.receiptDate),
    replyDueDate: dateOrNull(facts.replyDueDate),
    correctionDueDate: dateOrNull(facts.correctionDueDate),
    newDueDate: dateOrNull(facts.newDueDate),
    answerDueDate: dateOrNull(facts.answerDueDate),
    reasonsDueDate: dateOrNull(facts.reasonsDueDate),
    laterReplyDate: dateOrNull(facts.laterReplyDate),
    paymentDueDate: dateOrNull(facts.paymentDueDate),
    channel: facts.channel ? CHANNEL_LABELS[facts.channel] ?? null : null,
    outcome,
    withheld: withheld.length ? withheld : null,
    competentAgency: facts.competentAgency ? { name: facts.competentAgency.name, contact: facts.competentAgency.contact ?? null } : null,
    earlierReply: facts.earlierReply ? { documentNumber: facts.earlierReply.documentNumber, date: letterDate(facts.earlierReply.date) } : null,
    feeAmount: facts.feeAmount === null || facts.feeAmount === undefined ? null : facts.feeAmount.toFixed(2),
    outcomeLabel: outcome ? OUTCOMES[outcome].label : null,
    citation:
      facts.template === 'termination_notice'
        ? citeArticles(outcome === 'other.fee_unpaid' ? ['42', '办法'] : ['30'])
        : outcome
          ? replyCitation(outcome, { grounds, competentAgency: Boolean(facts.competentAgency?.name) })
          : citeArticles(LETTERS[facts.template as NoticeCode].article.split(', ')),
    remedies:
      subject && facts.reconsiderationBody?.trim() && facts.court?.trim()
        ? remediesSentence({ subject, letterDate: facts.date, reconsiderationBody: facts.reconsiderationBody, court: facts.court })
        : null,
  });
  for (const k of Object.keys(view)) view[k] = scrub(view[k]);
  return view;
}

/** The document's title (letters.md): the letter's, from the catalogue. */
export function titleOf(template: TemplateCode): string {
  return LETTERS[template.startsWith('reply.') ? 'reply' : (template as keyof typeof LETTERS)].title;
}
