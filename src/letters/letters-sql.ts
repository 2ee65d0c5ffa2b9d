/** Statements shared verbatim with the HTTP benchmark's bare server (bench/bare-server.ts). */
import type { OutcomeCode } from '../statute/outcomes';
import { LETTERS, type Addressee, type LetterCode } from '../statute/letter-catalogue';

/**
 * Issues a letter in one statement: takes the next number of its series (agency × series ×
 * year of the date) under the series row's lock, held to commit, so numbers are gapless
 * among committed letters and a rolled-back step gives its number back; then writes the
 * letter, or turns the open draft `$14` into the issued letter. The prefix is the agency's
 * for the series, else the catalogue's stem; the number reads `{prefix}〔{year}〕{n}号`.
 */
export const ISSUE_LETTER_SQL = `
WITH n AS (
  INSERT INTO letter_series (agency_id, series, year, last_number) VALUES ($2, $3, $4, 1)
  ON CONFLICT (agency_id, series, year) DO UPDATE SET last_number = letter_series.last_number + 1
  RETURNING last_number
), p AS (
  SELECT coalesce(nullif(btrim(a.letter_prefixes ->> $3), ''), $5) AS prefix FROM (SELECT 1) one LEFT JOIN agencies a ON a.id = $2
)
INSERT INTO letters AS l (id, case_id, agency_id, code, outcome, addressee, consultation_id, state, dated_on,
                          series, number_year, number_seq, number, issued_at, approved_by, approved_at)
SELECT coalesce($14::uuid, gen_random_uuid()), $1, $2, $6, $7, $8, $9, 'issued', $10,
       $3, $4, n.last_number, format('%s〔%s〕%s号', p.prefix, $4::int, n.last_number), $11, $12, $13
  FROM n, p
ON CONFLICT (id) DO UPDATE SET state = 'issued', outcome = EXCLUDED.outcome, dated_on = EXCLUDED.dated_on,
       series = EXCLUDED.series, number_year = EXCLUDED.number_year, number_seq = EXCLUDED.number_seq,
       number = EXCLUDED.number, issued_at = EXCLUDED.issued_at, updated_at = now()
RETURNING l.id, l.number`;

/** An issued letter's facts, template version, the receipt's sealed query code and a reply's sign-off ($1: the letter). */
export const SET_LETTER_FACTS_SQL = `
UPDATE letters SET facts = $2, template_code = $3, template_version = $4, sealed_query_code = $5,
       sign_offs = coalesce($6::jsonb, sign_offs), confidentiality_reviewed_by = $7, confidentiality_reviewed_at = $8
 WHERE id = $1`;

/** A case's issued letters without their PDF yet ($1: the case), enqueued for rendering after a step's commit. */
export const UNRENDERED_OF_CASE_SQL = `SELECT id FROM letters WHERE case_id = $1 AND state IN ('issued', 'delivered') AND rendered_at IS NULL`;

export interface IssueLetter {
  caseId: string;
  agencyId: string;
  code: LetterCode;
  outcome: OutcomeCode | null;
  addressee: Addressee;
  consultationId: string | null;
  datedOn: string;
  at: Date;
  approvedBy: string | null;
}

/** The parameters of {@link ISSUE_LETTER_SQL}; `draftId`: the open reply draft that becomes the issued letter. */
export function issueLetterParams(l: IssueLetter, draftId: string | null = null): unknown[] {
  const def = LETTERS[l.code];
  return [
    l.caseId,
    l.agencyId,
    def.series,
    Number(l.datedOn.slice(0, 4)),
    def.defaultPrefix,
    l.code,
    l.outcome,
    l.addressee,
    l.consultationId,
    l.datedOn,
    l.at,
    l.approvedBy,
    l.approvedBy ? l.at : null,
    draftId,
  ];
}
