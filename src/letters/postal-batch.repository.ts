import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An issued letter that goes by post and has not been handed to the post yet. */
export interface LetterToPost {
  letterId: string;
  caseId: string;
  trackingNumber: string;
  code: string;
  number: string;
  datedOn: string;
  addresseeName: string;
  address: string;
  rendered: boolean;
}

/** A letter named in a dispatch, as it stands, locked for the dispatch's transaction. */
export interface DispatchTarget {
  id: string;
  agencyId: string;
  state: string;
  datedOn: string;
  byPost: boolean;
  rendered: boolean;
  dispatchWay: string | null;
  dispatchReference: string | null;
}

/** the most letters one batch takes (a day's post of one agency is far fewer) */
export const POSTAL_BATCH_LIMIT = 200;

/**
 * The SQL of the daily postal batch: the letters of an agency to post (issued, going by post as their facts were
 * fixed at the step, not yet dispatched; `ix_letters_to_post`), their PDFs, and the dispatch with its waybill.
 */
@Injectable()
export class PostalBatchRepository {
  constructor(private readonly ds: DataSource) {}

  /** dated on or before `on`, oldest first */
  async pending(agencyId: string, on: string): Promise<LetterToPost[]> {
    const rows: { id: string; case_id: string; tracking_number: string; code: string; number: string; dated_on: string; name: string; address: string | null; rendered: boolean }[] = await this.ds.query(
      `SELECT l.id, l.case_id, c.tracking_number, l.code, l.number, l.dated_on::text AS dated_on,
              l.facts ->> 'addresseeName' AS name, l.facts ->> 'addresseeAddress' AS address, l.rendered_at IS NOT NULL AS rendered
         FROM letters l JOIN cases c ON c.id = l.case_id
        WHERE l.agency_id = $1 AND l.state = 'issued' AND l.dispatch_way IS NULL AND l.dated_on <= $2
          AND l.facts ->> 'deliveryMethod' = 'post'
        ORDER BY l.dated_on, l.issued_at, l.id
        LIMIT $3`,
      [agencyId, on, POSTAL_BATCH_LIMIT],
    );
    return rows.map((r) => ({
      letterId: r.id,
      caseId: r.case_id,
      trackingNumber: r.tracking_number,
      code: r.code,
      number: r.number,
      datedOn: r.dated_on,
      addresseeName: r.name,
      address: r.address ?? '',
      rendered: r.rendered,
    }));
  }

  /** The stored PDFs of these letters, by letter id. */
  async pdfs(letterIds: string[]): Promise<Map<string, Buffer>> {
    const rows: { letter_id: string; bytes: Buffer }[] = await this.ds.query(`SELECT letter_id, bytes FROM letter_pdfs WHERE letter_id = ANY($1::uuid[])`, [letterIds]);
    return new Map(rows.map((r) => [r.letter_id, r.bytes]));
  }

  /** The named letters, locked until the dispatch commits (in id order: two dispatches never deadlock). */
  async lockTargets(m: EntityManager, letterIds: string[]): Promise<Map<string, DispatchTarget>> {
    const rows: { id: string; agency_id: string; state: string; dated_on: string | null; by_post: boolean; rendered: boolean; dispatch_way: string | null; dispatch_reference: string | null }[] = await m.query(
      `SELECT id, agency_id, state, dated_on::text AS dated_on, coalesce(facts ->> 'deliveryMethod' = 'post', false) AS by_post,
              rendered_at IS NOT NULL AS rendered, dispatch_way, dispatch_reference
         FROM letters WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [letterIds],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, agencyId: r.agency_id, state: r.state, datedOn: r.dated_on ?? '', byPost: r.by_post, rendered: r.rendered, dispatchWay: r.dispatch_way, dispatchReference: r.dispatch_reference },
      ]),
    );
  }

  /** Handed to the post on `on` with its EMS waybill number; once (a letter already dispatched is left alone). */
  async dispatch(m: EntityManager, letterId: string, on: string, waybill: string): Promise<void> {
    await m.query(
      `UPDATE letters SET dispatch_way = 'post', dispatched_on = $2, dispatch_reference = $3, updated_at = now()
        WHERE id = $1 AND dispatch_way IS NULL`,
      [letterId, on, waybill],
    );
  }
}
