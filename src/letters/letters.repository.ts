import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hydrate, selectList } from '../infra/database/raw-rows';
import type { OutcomeCode } from '../statute/outcomes';
import { ISSUE_LETTER_SQL, issueLetterParams, type IssueLetter } from './letters-sql';
import type { DispatchedLetter } from '../cases/letter-dispatch';
import { LetterEntity } from './letter.entity';

/** The case's reply while it is being prepared: at most one is open. */
const OPEN_REPLY = `case_id = $1 AND code = 'reply' AND state IN ('draft', 'approved')`;

@Injectable()
export class LettersRepository {
  constructor(private readonly ds: DataSource) {}

  async issue(m: EntityManager, l: IssueLetter, draftId: string | null = null): Promise<{ id: string; number: string }> {
    const rows: { id: string; number: string }[] = await m.query(ISSUE_LETTER_SQL, issueLetterParams(l, draftId));
    return rows[0];
  }

  /** The open reply draft, locked for the step that changes it. */
  async openReply(m: EntityManager, caseId: string): Promise<{ id: string } | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM letters WHERE ${OPEN_REPLY} ORDER BY created_at DESC LIMIT 1 FOR UPDATE`, [caseId]);
    return rows[0] ?? null;
  }

  /** A (re)drafted reply: the open draft takes the new outcome and loses its sign-off; else a new draft. */
  async draftReply(m: EntityManager, caseId: string, agencyId: string, outcome: OutcomeCode): Promise<void> {
    const res: [unknown[], number] = await m.query(
      `UPDATE letters SET outcome = $2, state = 'draft', approved_by = NULL, approved_at = NULL, updated_at = now() WHERE ${OPEN_REPLY}`,
      [caseId, outcome],
    );
    if (res[1] > 0) return;
    await m.query(`INSERT INTO letters (case_id, agency_id, code, outcome, addressee, state) VALUES ($1, $2, 'reply', $3, 'applicant', 'draft')`, [caseId, agencyId, outcome]);
  }

  async approveReply(m: EntityManager, caseId: string, by: string | null, at: Date): Promise<void> {
    await m.query(`UPDATE letters SET state = 'approved', approved_by = $2, approved_at = $3, updated_at = now() WHERE ${OPEN_REPLY}`, [caseId, by, at]);
  }

  /** Returned for rework: a draft again, without its sign-off. */
  async returnReply(m: EntityManager, caseId: string): Promise<void> {
    await m.query(`UPDATE letters SET state = 'draft', approved_by = NULL, approved_at = NULL, updated_at = now() WHERE ${OPEN_REPLY}`, [caseId]);
  }

  /** The case ended otherwise (lapse, withdrawal): its draft never goes out. */
  async cancelReply(m: EntityManager, caseId: string): Promise<void> {
    await m.query(`UPDATE letters SET state = 'cancelled', updated_at = now() WHERE ${OPEN_REPLY}`, [caseId]);
  }

  /**
   * The addressee received a letter of this code: the latest current one not yet marked delivered
   * (else the latest) records the day and the way. A letter named by id may also be one superseded since
   * (it went out; it stays `superseded`, with its receipt recorded).
   */
  async deliver(m: EntityManager, caseId: string, code: string, on: string, method: string, letterId: string | null = null, waybillNumber: string | null = null): Promise<void> {
    // a waybill number is the post's dispatch reference (EMS), recorded with the receipt when not yet known;
    // by fax (the day of the transmission report) and in person (the day collected) dispatch and receipt are one day
    await m.query(
      `UPDATE letters SET state = CASE WHEN state = 'superseded' THEN state ELSE 'delivered' END, delivered_on = $3::date, delivery_method = $4::text,
              dispatch_way = coalesce(dispatch_way, CASE WHEN $4::text IN ('fax', 'in_person') THEN $4::text WHEN $6::text IS NOT NULL THEN 'post' END),
              dispatched_on = coalesce(dispatched_on, CASE WHEN $4::text IN ('fax', 'in_person') THEN $3::date END),
              dispatch_reference = coalesce(dispatch_reference, $6::text), updated_at = now()
        WHERE id = (SELECT id FROM letters WHERE case_id = $1 AND dated_on <= $3
                       AND ($5::uuid IS NULL AND code = $2 AND state IN ('issued', 'delivered') OR id = $5::uuid AND state IN ('issued', 'delivered', 'superseded'))
                     ORDER BY (state = 'issued') DESC, dated_on DESC, issued_at DESC LIMIT 1)`,
      [caseId, code, on, method, letterId, waybillNumber],
    );
  }

  /** A case's letters, oldest first. */
  async ofCase(caseId: string, m?: EntityManager): Promise<LetterEntity[]> {
    const mgr = m ?? this.ds.manager;
    const rows: Record<string, unknown>[] = await mgr.query(`SELECT ${selectList(mgr, LetterEntity)} FROM letters WHERE case_id = $1 ORDER BY created_at, code, id`, [caseId]);
    return rows.map((r) => hydrate(mgr, LetterEntity, r));
  }

  /** A letter of this case that went out (issued, delivered, or superseded since; not a draft, not another case's). */
  async issuedLetter(m: EntityManager, caseId: string, letterId: string): Promise<DispatchedLetter | null> {
    const rows: { id: string; code: string; dated_on: string; consultation_id: string | null; superseded: boolean }[] = await m.query(
      `SELECT id, code, dated_on::text AS dated_on, consultation_id, state = 'superseded' AS superseded FROM letters WHERE id = $1 AND case_id = $2 AND state IN ('issued', 'delivered', 'superseded')`,
      [letterId, caseId],
    );
    return rows[0] ? { id: rows[0].id, code: rows[0].code, datedOn: rows[0].dated_on, consultationId: rows[0].consultation_id, superseded: rows[0].superseded } : null;
  }

  /**
   * The day the first letter of this kind went out, from the letters written with the steps (the truth: an
   * Art 32 notice goes out with the reply, a delay notice on its own day), or null when the case has none.
   */
  async firstSentOn(m: EntityManager, caseId: string, code: string): Promise<string | null> {
    const rows: { sent: string | null }[] = await m.query(
      `SELECT min(dated_on)::text AS sent FROM letters WHERE case_id = $1 AND code = $2 AND state IN ('issued', 'delivered')`,
      [caseId, code],
    );
    return rows[0]?.sent ?? null;
  }

  /** The letter, locked for the command that supersedes it. */
  async lockById(m: EntityManager, id: string): Promise<LetterEntity | null> {
    const rows: Record<string, unknown>[] = await m.query(`SELECT ${selectList(m, LetterEntity)} FROM letters WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? hydrate(m, LetterEntity, rows[0]) : null;
  }

  /**
   * The mistaken letter is superseded by `replacementId` (compare-and-set on its state: false when it is no longer
   * current), and the replacement links back with the reason. The database lets each link be set once.
   */
  async supersede(m: EntityManager, letterId: string, replacementId: string, reason: string): Promise<boolean> {
    const res: [unknown[], number] = await m.query(
      `UPDATE letters SET state = 'superseded', superseded_by = $2, updated_at = now() WHERE id = $1 AND state IN ('issued', 'delivered') AND superseded_by IS NULL`,
      [letterId, replacementId],
    );
    if (res[1] !== 1) return false;
    await m.query(`UPDATE letters SET supersedes = $2, supersede_reason = $3, updated_at = now() WHERE id = $1`, [replacementId, letterId, reason]);
    return true;
  }

  /**
   * A query code reset before the submission's receipt exists: held sealed on a pending receipt (a draft that is
   * never issued itself) until the confirmation issues the receipt that prints it; a later reset replaces it.
   */
  async holdQueryCode(m: EntityManager, caseId: string, agencyId: string, sealed: string): Promise<void> {
    await this.takeHeldQueryCode(m, caseId);
    await m.query(`INSERT INTO letters (case_id, agency_id, code, addressee, state, sealed_query_code) VALUES ($1, $2, 'receipt', 'applicant', 'draft', $3)`, [caseId, agencyId, sealed]);
  }

  /** The held query code (sealed), its pending receipt removed; null when none is held. */
  async takeHeldQueryCode(m: EntityManager, caseId: string): Promise<string | null> {
    // the driver answers a DELETE as [rows, count]
    const [rows]: [{ sealed_query_code: string | null }[], number] = await m.query(`DELETE FROM letters WHERE case_id = $1 AND code = 'receipt' AND state = 'draft' RETURNING sealed_query_code`, [caseId]);
    return rows[0]?.sealed_query_code ?? null;
  }
}
