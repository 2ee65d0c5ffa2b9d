import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { annualGroupCounts, type AnnualGroupRow, type ApplicationCounts, type ReviewCounts } from '../../statute/annual-report';
import { ReportDb } from '../report-db';
import type { AnnualFees } from './annual-report.types';
import { ReportPublicationEntity } from './report-publication.entity';

/** The calendar dates that bound year Y (Asia/Shanghai dates: the columns hold calendar dates already). */
export interface YearBounds {
  start: string;
  end: string;
  /** 31 December of the previous year */
  previousEnd: string;
}

export function yearBounds(year: number): YearBounds {
  return { start: `${year}-01-01`, end: `${year}-12-31`, previousEnd: `${year - 1}-12-31` };
}

/**
 * Open, or concluded in a later calendar year than received: every case carried from one year into the next is one
 * (partial index ix_cases_agency_carried; a few per cent of the cases). Implied by the carried-in ranges' conditions,
 * stated so the planner reads that index.
 */
const CROSSING = `(c.concluded_on IS NULL OR extract(year FROM c.concluded_on) > extract(year FROM c.receipt_date))`;

/**
 * Table 三 of year Y: the cases that matter to Y are received by 31 December and not concluded before 1 January, read
 * as three disjoint ranges, each an index-only scan of a covering index (migration 1765700000000): received in Y;
 * received before Y and concluded on or after 1 January; received before Y and still open. Grouped by applicant type,
 * outcome and what the case counts as (`fresh`: received in Y, else carried in; `inYear`: concluded in Y; `out`: not
 * concluded by 31 December); the service sums the groups into table 三's counts (annualGroupCounts).
 */
const APPLICATIONS_SQL = `
SELECT t.applicant_type AS "applicantType", t.outcome AS "outcome", t.fresh AS "fresh",
       coalesce(t.concluded_on BETWEEN $2::date AND $3::date, false) AS "inYear",
       coalesce(t.concluded_on > $3::date, true) AS "out",
       count(*)::int AS "count"
  FROM (SELECT c.applicant_type, c.outcome, c.concluded_on, true AS fresh
          FROM cases c WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date BETWEEN $2::date AND $3::date
        UNION ALL
        SELECT c.applicant_type, c.outcome, c.concluded_on, false
          FROM cases c WHERE c.agency_id = ANY($1::uuid[]) AND c.concluded_on >= $2::date AND c.receipt_date < $2::date
                         AND ${CROSSING}
        UNION ALL
        SELECT c.applicant_type, c.outcome, c.concluded_on, false
          FROM cases c WHERE c.agency_id = ANY($1::uuid[]) AND c.concluded_on IS NULL AND c.receipt_date < $2::date AND ${CROSSING}) t
 GROUP BY 1, 2, 3, 4, 5`;

/**
 * The year's fees: notices dated in Y (their amounts) and payments dated in Y (the amount paid as recorded; for
 * payments recorded before the amount was kept, the notice's), over the cases with a fee (partial index).
 */
const FEES_SQL = `
SELECT count(*) FILTER (WHERE (c.fee->>'notifiedOn')::date BETWEEN $2::date AND $3::date)::int AS "casesCharged",
       coalesce(sum((c.fee->>'amount')::numeric) FILTER (WHERE (c.fee->>'notifiedOn')::date BETWEEN $2::date AND $3::date), 0)::float8 AS "amountCharged",
       count(*) FILTER (WHERE (c.fee->>'paidOn')::date BETWEEN $2::date AND $3::date)::int AS "casesPaid",
       coalesce(sum(coalesce((c.fee->>'paidAmount')::numeric, (c.fee->>'amount')::numeric)) FILTER (WHERE (c.fee->>'paidOn')::date BETWEEN $2::date AND $3::date), 0)::float8 AS "amountCollected"
  FROM cases c
 WHERE c.agency_id = ANY($1::uuid[]) AND c.fee IS NOT NULL`;

/** Table 四: proceedings filed in Y, by kind and their result as known on 31 December of Y. */
const REVIEWS_SQL = `
SELECT r.kind AS "kind",
       CASE WHEN r.result <> 'pending' AND r.concluded_on <= $3::date THEN r.result ELSE 'pending' END AS "result",
       count(*)::int AS "count"
  FROM reviews r
 WHERE r.agency_id = ANY($1::uuid[]) AND r.filed_on BETWEEN $2::date AND $3::date
 GROUP BY 1, 2`;


/** SQL of the annual report. Aggregates read through ReportDb (the replica when configured); publications on the primary. */
@Injectable()
export class AnnualReportRepository {
  constructor(
    private readonly db: ReportDb,
    private readonly ds: DataSource,
  ) {}

  /** Table 三's groups (one aggregate over the three index ranges) and the year's fees. */
  async applicationCounts(agencyIds: string[], year: number): Promise<{ groups: ApplicationCounts[]; fees: AnnualFees }> {
    const b = yearBounds(year);
    const [rows, [fees]] = await Promise.all([
      this.db.query<AnnualGroupRow & Record<string, unknown>>(APPLICATIONS_SQL, [agencyIds, b.start, b.end]),
      this.db.query<AnnualFees & Record<string, unknown>>(FEES_SQL, [agencyIds, b.start, b.end]),
    ]);
    return { groups: annualGroupCounts(rows), fees };
  }

  reviewCounts(agencyIds: string[], year: number): Promise<ReviewCounts[]> {
    const b = yearBounds(year);
    return this.db.query<ReviewCounts & Record<string, unknown>>(REVIEWS_SQL, [agencyIds, b.start, b.end]);
  }

  findPublication(agencyId: string, year: number, includeSubAgencies: boolean, m?: EntityManager): Promise<ReportPublicationEntity | null> {
    return (m ?? this.ds.manager).getRepository(ReportPublicationEntity).findOne({ where: { agencyId, year, includeSubAgencies } });
  }

  /** Inserts the publication; null when one exists already for that agency, year and scope. */
  async insertPublication(p: Omit<ReportPublicationEntity, 'id'>): Promise<ReportPublicationEntity | null> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO annual_report_publications (agency_id, year, include_sub_agencies, published_on, published_at, published_by, tables, fees)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
       ON CONFLICT (agency_id, year, include_sub_agencies) DO NOTHING
       RETURNING id`,
      [p.agencyId, p.year, p.includeSubAgencies, p.publishedOn, p.publishedAt, p.publishedBy, JSON.stringify(p.tables), JSON.stringify(p.fees)],
    );
    return rows.length ? this.findPublication(p.agencyId, p.year, p.includeSubAgencies) : null;
  }
}
