import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { CaseHistoryEntity } from './case-history.entity';
import { CaseEntity } from './case.entity';
import { OPEN_STATES, type CaseState } from '../statute/case-states';
import { queryGrams } from '../statute/intake';
import { ReviewEntity } from './review.entity';
import { hydrate, insertRow, poolRead, selectList } from '../infra/database/raw-rows';
import { ART35_COUNTS_SQL, DUPLICATE_HINTS_SQL } from './case-sql';

export interface CaseListFilter {
  state?: CaseState[];
  overdue?: boolean;
  dueBefore?: string;
  agencyId?: string;
  includeSubAgencies?: boolean;
  assigneeId?: string;
  channel?: string;
  applicantType?: string;
  outcome?: string;
  year?: number;
  q?: string;
  limit: number;
  cursor?: string;
}

export type HistoryRow = Omit<CaseHistoryEntity, 'id'>;

@Injectable()
export class CasesRepository {
  constructor(private readonly ds: DataSource) {}

  private mgr(m?: EntityManager): EntityManager {
    return m ?? this.ds.manager;
  }

  /**
   * Inserts a case; its tracking number (受理编号, `Y` + year + a six-digit sequence) is drawn
   * from `case_tracking_seq` inside the same statement, which returns the row with everything
   * the database generated (id, seq, version, timestamps, defaults).
   */
  async insert(m: EntityManager, c: Partial<CaseEntity>, year: number): Promise<CaseEntity> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`tracking number year out of range: ${year}`);
    return insertRow(m, CaseEntity, { ...c, trackingNumber: () => `'Y${year}' || lpad(nextval('case_tracking_seq')::text, 6, '0')` }, true);
  }

  private readonly selects = new Map<string, string>();
  /** the case columns TypeORM would read (search grams and other `select: false` columns left out) */
  private columns(m: EntityManager, alias = ''): string {
    let list = this.selects.get(alias);
    if (!list) this.selects.set(alias, (list = selectList(m, CaseEntity, alias || undefined)));
    return list;
  }

  /** One statement, hydrated without a query builder (the most frequent read). */
  async findById(id: string, m?: EntityManager): Promise<CaseEntity | null> {
    const mgr = this.mgr(m);
    const rows: Record<string, unknown>[] = await mgr.query(`SELECT ${this.columns(mgr)} FROM cases WHERE id = $1`, [id]);
    return rows[0] ? hydrate(mgr, CaseEntity, rows[0]) : null;
  }

  /** Locks the case's row for the rest of the transaction (`FOR UPDATE`); its state and version, null when there is no such case. */
  async lock(m: EntityManager, id: string): Promise<{ state: CaseState; version: number } | null> {
    const rows = await m.query<{ state: CaseState; version: number }[]>(`SELECT state, version FROM cases WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** The cases with these ids (in the caller's transaction when given); missing ids are left out. */
  findManyByIds(ids: string[], m?: EntityManager): Promise<CaseEntity[]> {
    return ids.length ? this.mgr(m).getRepository(CaseEntity).find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /**
   * The supervisors' digest: open cases of `agencyIds` due by `dueBy`, awaiting reply approval, or with an
   * extension requested; the most urgent first, at most 500.
   */
  digestRows(agencyIds: string[], dueBy: string): Promise<{ agencyId: string; trackingNumber: string; due: string | null; state: CaseState; extensionRequested: boolean }[]> {
    return this.ds.query(
      `SELECT c.agency_id AS "agencyId", c.tracking_number AS "trackingNumber", to_char(c.due_date, 'YYYY-MM-DD') AS due, c.state,
              (c.extension->>'status' = 'requested') AS "extensionRequested"
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[])
          AND c.state = ANY($2::text[])
          AND (c.due_date <= $3 OR c.state = 'reply_review' OR c.extension->>'status' = 'requested')
        ORDER BY c.due_date NULLS LAST LIMIT 500`,
      [agencyIds, [...OPEN_STATES], dueBy],
    );
  }

  /** A case and its reviews (复议、诉讼), oldest first, in one statement. */
  async findWithReviews(id: string): Promise<{ c: CaseEntity; reviews: ReviewEntity[] } | null> {
    const m = this.ds.manager;
    const rows = await poolRead(
      this.ds,
      `SELECT ${this.columns(m, 'c')}, (SELECT coalesce(json_agg(r ORDER BY r.created_at), '[]') FROM reviews r WHERE r.case_id = c.id) AS reviews_json
         FROM cases c WHERE c.id = $1`,
      [id],
    );
    if (!rows[0]) return null;
    return { c: hydrate(m, CaseEntity, rows[0]), reviews: (rows[0].reviews_json as Record<string, unknown>[]).map((r) => hydrate(m, ReviewEntity, r)) };
  }

  findByTrackingNumber(trackingNumber: string, m?: EntityManager): Promise<CaseEntity | null> {
    return this.mgr(m).getRepository(CaseEntity).findOne({ where: { trackingNumber } });
  }

  /** A query code's hash made again with the current HASH_KEY (after a rotation, when the applicant gave the code). */
  async replaceQueryCodeHash(id: string, from: string, to: string): Promise<void> {
    await this.ds.query(`UPDATE cases SET query_code_hash = $3 WHERE id = $1 AND query_code_hash = $2`, [id, from, to]);
  }

  /**
   * Compare-and-set: writes the patch and bumps the version only if nobody changed the
   * case since `expectedVersion`. Returns false when the version moved (→ 409).
   */
  async updateIfVersion(m: EntityManager, id: string, expectedVersion: number, patch: Partial<CaseEntity>): Promise<boolean> {
    const res = await m
      .createQueryBuilder()
      .update(CaseEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :v', { id, v: expectedVersion })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  async appendHistory(m: EntityManager, row: HistoryRow): Promise<void> {
    await insertRow(m, CaseHistoryEntity, row as Partial<CaseHistoryEntity>);
  }

  history(caseId: string): Promise<CaseHistoryEntity[]> {
    return this.ds.getRepository(CaseHistoryEntity).find({ where: { caseId }, order: { id: 'ASC' } });
  }

  reviewsOf(caseId: string, m?: EntityManager): Promise<ReviewEntity[]> {
    return this.mgr(m).getRepository(ReviewEntity).find({ where: { caseId }, order: { createdAt: 'ASC' } });
  }

  findReview(id: string, m?: EntityManager): Promise<ReviewEntity | null> {
    return this.mgr(m).getRepository(ReviewEntity).findOne({ where: { id } });
  }

  async insertReview(m: EntityManager, r: Partial<ReviewEntity>): Promise<ReviewEntity> {
    const repo = m.getRepository(ReviewEntity);
    return repo.save(repo.create(r));
  }

  async updateReview(m: EntityManager, id: string, patch: Partial<ReviewEntity>): Promise<void> {
    await m.getRepository(ReviewEntity).update({ id }, patch);
  }

  async reopenedCaseOf(m: EntityManager, caseId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM cases WHERE reopened_from = $1 LIMIT 1`, [caseId]);
    return rows[0]?.id ?? null;
  }

  /** The tracking number of the case that reopened this one (after a corrected review), if any. */
  async reopenedTrackingNumberOf(caseId: string): Promise<string | null> {
    const rows: { n: string }[] = await this.ds.query(`SELECT tracking_number AS n FROM cases WHERE reopened_from = $1 LIMIT 1`, [caseId]);
    return rows[0]?.n ?? null;
  }

  /**
   * Per-item fee basis (办法): the position of this application among the same applicant's applications received at
   * the agency in the calendar month of its receipt date (a Shanghai calendar date), every channel, ordered by
   * receipt date, then by logging time. Unconfirmed submissions (no receipt date) and discarded ones are not counted.
   */
  async monthPosition(m: EntityManager, caseId: string): Promise<number> {
    // compared with the row's own columns (created_at keeps microseconds a JavaScript Date would lose)
    const rows: { n: number }[] = await m.query(
      `WITH me AS (SELECT applicant_id_hash, agency_id, receipt_date, created_at, id FROM cases WHERE id = $1)
       SELECT count(*)::int AS n FROM cases c, me
        WHERE c.applicant_id_hash = me.applicant_id_hash AND c.agency_id = me.agency_id AND c.state <> 'discarded'
          AND c.receipt_date IS NOT NULL AND c.receipt_date >= date_trunc('month', me.receipt_date)::date
          AND (c.receipt_date, c.created_at, c.id) <= (me.receipt_date, me.created_at, me.id)`,
      [caseId],
    );
    return rows[0].n;
  }

  /**
   * Art 35 counts at intake: the applicant's applications received at the agency in the calendar month of
   * `receiptDate`, and within the `windowDays` days ending on it; `extra` adds the one being logged (not yet written).
   */
  async art35Counts(m: EntityManager, agencyId: string, idHash: string, receiptDate: string, windowDays: number, excludeId: string | null, extra: number): Promise<{ month: number; window: number }> {
    const rows: { month: number; win: number }[] = await m.query(ART35_COUNTS_SQL, [idHash, agencyId, receiptDate, windowDays, excludeId]);
    return { month: rows[0].month + extra, window: rows[0].win + extra };
  }

  /** An earlier case for Art 36(六): its agency, applicant and the reply letter issued (number and date), if any. */
  async earlierReplyOf(m: EntityManager, caseId: string): Promise<{ agencyId: string; applicantIdHash: string; trackingNumber: string; number: string | null; date: string | null } | null> {
    const rows: { agency_id: string; applicant_id_hash: string; tracking_number: string; number: string | null; date: string | null }[] = await m.query(
      `SELECT c.agency_id, c.applicant_id_hash, c.tracking_number, l.number, to_char(l.dated_on, 'YYYY-MM-DD') AS date
         FROM cases c
         LEFT JOIN LATERAL (SELECT number, dated_on FROM letters
                             WHERE case_id = c.id AND code = 'reply' AND state IN ('issued', 'delivered') AND number IS NOT NULL
                             ORDER BY dated_on LIMIT 1) l ON true
        WHERE c.id = $1`,
      [caseId],
    );
    const r = rows[0];
    return r ? { agencyId: r.agency_id, applicantIdHash: r.applicant_id_hash, trackingNumber: r.tracking_number, number: r.number, date: r.date } : null;
  }

  /**
   * Duplicate hints in one query: the same applicant's earlier applications to `agencyId` (by identity
   * hash, never by name), most similar description first, and their count in the month.
   */
  async duplicateHints(
    agencyId: string,
    idHash: string,
    excludeId: string,
    description: string,
    month: string,
    limit = 5,
  ): Promise<{ earlier: { id: string; trackingNumber: string; receiptDate: string | null; state: string; description: string; similarity: number; reply: { number: string; date: string } | null }[]; countThisMonth: number }> {
    const rows: { earlier: unknown; n: number }[] = await this.ds.query(
      DUPLICATE_HINTS_SQL,
      [idHash, excludeId, description, month, limit, agencyId],
    );
    return { earlier: rows[0].earlier as never, countThisMonth: rows[0].n };
  }

  /** The cases of `agencyIds` (the caller's scope and filter, resolved by the service), newest first, keyset-paginated. */
  async list(agencyIds: string[], f: CaseListFilter, today: string): Promise<CaseEntity[]> {
    const qb: SelectQueryBuilder<CaseEntity> = this.ds.getRepository(CaseEntity).createQueryBuilder('c');
    qb.andWhere('c.agency_id = ANY(CAST(:agencyIds AS uuid[]))', { agencyIds });
    if (f.state?.length) qb.andWhere('c.state IN (:...states)', { states: f.state });
    // as the answer's `overdue`: open and past due, or concluded after the deadline that applied
    const late = `((c.state IN (:...open) AND c.due_date IS NOT NULL AND c.due_date < :today) OR (c.state = 'concluded' AND c.concluded_late IS TRUE))`;
    if (f.overdue === true) qb.andWhere(late, { open: [...OPEN_STATES], today });
    if (f.overdue === false) qb.andWhere(`NOT ${late}`, { open: [...OPEN_STATES], today });
    if (f.dueBefore) qb.andWhere('c.due_date <= :dueBefore', { dueBefore: f.dueBefore });
    if (f.assigneeId) qb.andWhere('c.assignee_id = :assigneeId', { assigneeId: f.assigneeId });
    if (f.channel) qb.andWhere('c.channel = :channel', { channel: f.channel });
    if (f.applicantType) qb.andWhere('c.applicant_type = :applicantType', { applicantType: f.applicantType });
    if (f.outcome) qb.andWhere('(c.outcome = :outcome OR c.outcome LIKE :outcomePrefix)', { outcome: f.outcome, outcomePrefix: `${f.outcome}.%` });
    if (f.year) qb.andWhere('c.receipt_date >= :y0 AND c.receipt_date < :y1', { y0: `${f.year}-01-01`, y1: `${f.year + 1}-01-01` });
    if (f.q) {
      const grams = queryGrams(f.q);
      if (grams.length) qb.andWhere('c.search_grams @> CAST(:grams AS text[])', { grams });
      qb.andWhere(`(strpos(lower(c.description), lower(:q)) > 0 OR strpos(lower(c.applicant_name), lower(:q)) > 0)`, { q: f.q });
    }
    if (f.cursor) qb.andWhere('c.seq < CAST(:seq AS bigint)', { seq: f.cursor });
    return qb.orderBy('c.seq', 'DESC').limit(f.limit + 1).getMany();
  }

  /** Open cases with a clock, in id order from `afterId`: calendar reloads recompute them in batches. */
  async openWithClock(afterId: string | null, limit: number, m?: EntityManager): Promise<CaseEntity[]> {
    const qb = this.mgr(m)
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.state IN (:...states)', { states: OPEN_STATES.filter((s) => s !== 'submitted') })
      .andWhere('c.receipt_date IS NOT NULL');
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return qb.orderBy('c.id', 'ASC').limit(limit).getMany();
  }

  /** A case's search grams (not selected with the row): a reopened case takes its predecessor's. */
  async searchGramsOf(m: EntityManager, id: string): Promise<string[]> {
    const rows: { g: string[] }[] = await m.query(`SELECT search_grams AS g FROM cases WHERE id = $1`, [id]);
    return rows[0]?.g ?? [];
  }
}
