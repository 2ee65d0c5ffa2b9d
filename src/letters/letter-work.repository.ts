import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { CaseEntity } from '../cases/case.entity';
import { hydrate, selectList } from '../infra/database/raw-rows';
import { LetterEntity } from './letter.entity';
import { SET_LETTER_FACTS_SQL, UNRENDERED_OF_CASE_SQL } from './letters-sql';

/** A reply's sign-off as the agency ran it, and its confidentiality review (保密审查). */
export interface SignOffFacts {
  steps: { step: number; name: string; by: string; at: string }[];
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface StoredPdf {
  bytes: Buffer;
  sha256: string;
  size: number;
  renderedAt: Date;
}

/** A letter with what its document prints: the case and the agency, read in one statement. */
export interface LetterContext {
  letter: LetterEntity;
  c: CaseEntity;
  agency: AgencyEntity;
}

/** The SQL of the letters' documents: their PDFs, the render and mail queues behind the jobs. */
@Injectable()
export class LetterWorkRepository {
  constructor(private readonly ds: DataSource) {}

  async findById(id: string, m?: EntityManager): Promise<LetterEntity | null> {
    const mgr = m ?? this.ds.manager;
    const rows: Record<string, unknown>[] = await mgr.query(`SELECT ${selectList(mgr, LetterEntity)} FROM letters WHERE id = $1`, [id]);
    return rows[0] ? hydrate(mgr, LetterEntity, rows[0]) : null;
  }

  /** The letter, its case and its agency. */
  async context(id: string, m?: EntityManager): Promise<LetterContext | null> {
    const mgr = m ?? this.ds.manager;
    const letter = await this.findById(id, mgr);
    if (!letter) return null;
    const c = await mgr.getRepository(CaseEntity).findOne({ where: { id: letter.caseId } });
    const agency = await mgr.getRepository(AgencyEntity).findOne({ where: { id: letter.agencyId } });
    if (!c || !agency) return null;
    return { letter, c, agency };
  }

  /** The facts an issued letter prints and its template version (set once, in the step's transaction), and the receipt's sealed query code. */
  async setFacts(
    m: EntityManager,
    letterId: string,
    facts: object,
    template: { code: string; version: number },
    sealedQueryCode: string | null,
    signOff: SignOffFacts | null = null,
  ): Promise<void> {
    await m.query(SET_LETTER_FACTS_SQL, [letterId, JSON.stringify(facts), template.code, template.version, sealedQueryCode, signOff ? JSON.stringify(signOff.steps) : null, signOff?.reviewedBy ?? null, signOff?.reviewedAt ?? null]);
  }

  /** The reply deadline the case's latest receipt stated, if any. */
  async statedReplyDue(m: EntityManager, caseId: string): Promise<string | null> {
    const rows: { due: string | null }[] = await m.query(
      `SELECT facts ->> 'replyDueDate' AS due FROM letters WHERE case_id = $1 AND code = 'receipt' AND facts ? 'replyDueDate' ORDER BY issued_at DESC LIMIT 1`,
      [caseId],
    );
    return rows[0]?.due ?? null;
  }

  async pdf(letterId: string): Promise<StoredPdf | null> {
    const rows: { bytes: Buffer; sha256: string; size: number; rendered_at: Date }[] = await this.ds.query(
      `SELECT bytes, sha256, size, rendered_at FROM letter_pdfs WHERE letter_id = $1`,
      [letterId],
    );
    const r = rows[0];
    return r ? { bytes: r.bytes, sha256: r.sha256, size: r.size, renderedAt: r.rendered_at } : null;
  }

  /**
   * Stores an issued letter's PDF once, in one transaction with the letter's `rendered_at` and SHA-256: a
   * second render (two workers, a retried job) inserts nothing and changes nothing, and a render cut off
   * before the commit leaves neither. The receipt's sealed query code is erased with it. Returns whether
   * this call stored the PDF.
   */
  async storePdf(letterId: string, bytes: Buffer, sha256: string, at: Date): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const ins: unknown[] = await m.query(
        `INSERT INTO letter_pdfs (letter_id, bytes, sha256, size, rendered_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (letter_id) DO NOTHING RETURNING letter_id`,
        [letterId, bytes, sha256, bytes.length, at],
      );
      if (!ins.length) return false;
      const res: [unknown[], number] = await m.query(
        `UPDATE letters SET rendered_at = $2, sha256 = $3, sealed_query_code = NULL, updated_at = now()
          WHERE id = $1 AND state IN ('issued', 'delivered') AND rendered_at IS NULL`,
        [letterId, at, sha256],
      );
      if (res[1] !== 1) throw new Error(`letter ${letterId} is not an issued letter awaiting its PDF`);
      return true;
    });
  }

  /** Issued letters of a case not rendered yet (enqueued after the step's commit). */
  async unrenderedOfCase(caseId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(UNRENDERED_OF_CASE_SQL, [caseId]);
    return rows.map((r) => r.id);
  }

  /** Issued before `before` and still without a PDF (the sweep: a lost job, a Redis outage); uses ix_letters_to_render. */
  async unrenderedBefore(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM letters WHERE state IN ('issued', 'delivered') AND rendered_at IS NULL AND issued_at < $1 ORDER BY issued_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Rendered letters to applicants who chose e-mail, with an address, not yet accepted by the mail server,
   * issued before `before` (the sweep's mail half).
   */
  async unmailedBefore(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT l.id FROM letters l JOIN cases c ON c.id = l.case_id
        WHERE l.state IN ('issued', 'delivered') AND l.rendered_at IS NOT NULL AND l.mailed_at IS NULL
          AND l.addressee = 'applicant' AND c.delivery = 'email' AND c.applicant_email IS NOT NULL
          AND l.issued_at < $1
        ORDER BY l.issued_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Locks the letter for its mail (a concurrent sender skips it); null when another holds it. */
  /** Serialises the recording of a letter's receipt until the transaction ends (an advisory lock on the letter's id). */
  async lockReceipt(m: EntityManager, letterId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`letter.receipt.${letterId}`]);
  }

  async lockForMail(m: EntityManager, letterId: string): Promise<{ mailedAt: Date | null } | null> {
    const rows: { mailed_at: Date | null }[] = await m.query(`SELECT mailed_at FROM letters WHERE id = $1 FOR UPDATE SKIP LOCKED`, [letterId]);
    return rows[0] ? { mailedAt: rows[0].mailed_at } : null;
  }

  /**
   * The server accepted the mail: the dispatch (way, day, message id), once. The receipt that day (our rule for
   * e-mail) is then recorded through the case's delivery ({@link LetterDeliveries}).
   */
  async markMailed(m: EntityManager, letterId: string, at: Date, on: string, messageId: string): Promise<void> {
    await m.query(
      `UPDATE letters SET mailed_at = $2, dispatch_way = 'email', dispatched_on = $3, dispatch_reference = $4, mail_error = NULL, updated_at = now()
        WHERE id = $1 AND mailed_at IS NULL`,
      [letterId, at, on, messageId],
    );
  }

  /** The receipt on the letter alone, when the case refused to take it as its delivery (logged); once. */
  async markReceived(m: EntityManager, letterId: string, on: string, method: string): Promise<void> {
    await m.query(
      `UPDATE letters SET state = 'delivered', delivered_on = $2, delivery_method = $3, updated_at = now() WHERE id = $1 AND state = 'issued'`,
      [letterId, on, method],
    );
  }

  /** Mailed before `before` but whose receipt is not recorded yet (a worker stopped between the two; the sweep). */
  async mailedUndeliveredBefore(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM letters WHERE state = 'issued' AND mailed_at IS NOT NULL AND mailed_at < $1 ORDER BY mailed_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  async recordMailError(letterId: string, error: string): Promise<void> {
    await this.ds.query(`UPDATE letters SET mail_error = left($2, 500), updated_at = now() WHERE id = $1`, [letterId, error]);
  }
}
