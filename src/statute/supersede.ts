import type { ReasonsRequest } from './art35';
import type { Consultation, Correction, FeeNotice } from './case-record';
import type { LetterCode, LetterState } from './letter-catalogue';
import { validateOutcomeDetails, type OutcomeCode, type OutcomeDetails } from './outcomes';
import type { Role } from './roles';

/**
 * Superseding a mistaken letter (letters.md, Lifecycle): an issued letter is never edited; a new letter with a new
 * number replaces it, and the old one stays as it went out. It corrects the letter, not the decision: a reply's
 * outcome and the grounds it relies on stay (a changed decision goes through review and `reopen`); only its text may
 * change — the reasons, what is withheld, the competent agency named — and the corrected reply is signed off again
 * with its 保密审查 (confidentiality review).
 */

/** What a corrected reply may change: its text, never its outcome, grounds or earlier reply. */
export interface ReplyCorrection {
  readonly reasons?: string;
  readonly withheldParts?: readonly string[];
  readonly competentAgency?: { readonly name: string; readonly contact?: string };
}

export const CORRECTABLE_REPLY_FIELDS = ['reasons', 'withheldParts', 'competentAgency'] as const;

export interface SupersedeRequest {
  role: Role;
  letter: { code: LetterCode; state: LetterState; rendered: boolean; outcome: OutcomeCode | null };
  /** the reply's details as the case holds them (null for a notice) */
  details: OutcomeDetails | null;
  /** the corrected text of a reply; absent: the same text, made again from the case as it now stands */
  reply?: ReplyCorrection;
  confidentialityReviewed: boolean;
}

export type SupersedeProblem =
  | { code: 'FORBIDDEN'; message: string }
  | { code: 'LETTER_NOT_ISSUED'; message: string }
  | { code: 'LETTER_ALREADY_SUPERSEDED'; message: string }
  | { code: 'LETTER_NOT_RENDERED'; message: string }
  | { code: 'VALIDATION_FAILED'; field: string; message: string; problems: { field: string; message: string }[] };

export type SupersedeDecision = { ok: true; details: OutcomeDetails | null } | { ok: false; problem: SupersedeProblem };

const invalid = (problems: { field: string; message: string }[]): SupersedeDecision => ({
  ok: false,
  problem: { code: 'VALIDATION_FAILED', field: problems[0].field, message: problems[0].message, problems },
});

/**
 * Who may supersede what, and the corrected reply's details. A supervisor of the case's agency signs the corrected
 * letter (the reply's 签发 authority; the case's scope is the caller's to check). Only a letter that went out and
 * exists as a document can be superseded: a draft is changed by drafting again; an unrendered letter waits for
 * its PDF (the old document must stay as it was).
 */
export function decideSupersede(r: SupersedeRequest): SupersedeDecision {
  if (r.role !== 'supervisor') return { ok: false, problem: { code: 'FORBIDDEN', message: '更正已印发的文书须由本机关负责人签发' } };
  const { state, code } = r.letter;
  if (state === 'superseded') return { ok: false, problem: { code: 'LETTER_ALREADY_SUPERSEDED', message: '该文书已被更正，请更正其替代文书' } };
  if (state !== 'issued' && state !== 'delivered') {
    return { ok: false, problem: { code: 'LETTER_NOT_ISSUED', message: state === 'cancelled' ? '该文书未发出，无需更正' : '文书尚未印发：草稿请修改后再签发，无需更正' } };
  }
  if (!r.letter.rendered) return { ok: false, problem: { code: 'LETTER_NOT_RENDERED', message: '文书正在生成，生成后方可更正' } };
  if (code !== 'reply') {
    if (r.reply !== undefined) return invalid([{ field: 'reply', message: '只有答复书可以更正答复内容；告知书按案件现有信息重新制作' }]);
    return { ok: true, details: null };
  }
  if (!r.confidentialityReviewed) return invalid([{ field: 'confidentialityReviewed', message: '更正后的答复书签发前须完成保密审查' }]);
  const outcome = r.letter.outcome!;
  const c = r.reply ?? {};
  const details: OutcomeDetails = {
    ...(r.details ?? {}),
    ...(c.reasons !== undefined ? { reasons: c.reasons } : {}),
    ...(c.withheldParts !== undefined ? { withheldParts: [...c.withheldParts] } : {}),
    ...(c.competentAgency !== undefined ? { competentAgency: { ...c.competentAgency } } : {}),
  };
  const problems = validateOutcomeDetails(outcome, details).map((p) => ({ field: `reply.${p.field}`, message: p.message }));
  if (problems.length) return invalid(problems);
  return { ok: true, details };
}

/** The parts of a case whose periods run from a notice's receipt. */
export interface NoticeRecords {
  readonly correction: Correction | null;
  readonly fee: FeeNotice | null;
  readonly reasonsRequest: ReasonsRequest | null;
  readonly consultations: readonly Consultation[];
}

/** The record whose notice was replaced, dated anew. */
export type NoticePatch = { correction: Correction } | { fee: FeeNotice } | { reasonsRequest: ReasonsRequest } | { consultations: Consultation[] };

/**
 * Our reading of a superseded notice (the correction notice, the fee notice, the request for reasons, a letter to a
 * consulted party): the addressee's period runs from the receipt of the notice in force, so superseding one dates
 * its record's notice anew (`noticeOn`: the replacement's day, from which the period runs until its receipt is
 * recorded). The record itself (the day the correction was asked, the fee notified, the consultation opened) stays:
 * the step and the reply clock do not move. Other letters start no period: nothing changes (null).
 */
export function noticeReplaced(c: NoticeRecords, letter: { code: LetterCode; consultationId: string | null }, on: string): NoticePatch | null {
  switch (letter.code) {
    case 'correction_notice':
      return c.correction ? { correction: { ...c.correction, noticeOn: on } } : null;
    case 'fee_notice':
      return c.fee ? { fee: { ...c.fee, noticeOn: on } } : null;
    case 'reasons_request':
      return c.reasonsRequest ? { reasonsRequest: { ...c.reasonsRequest, noticeOn: on } } : null;
    case 'third_party_consultation':
    case 'agency_consultation':
      return c.consultations.some((k) => k.id === letter.consultationId)
        ? { consultations: c.consultations.map((k) => (k.id === letter.consultationId ? { ...k, noticeOn: on } : k)) }
        : null;
    default:
      return null;
  }
}
