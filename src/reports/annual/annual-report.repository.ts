import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApplicationCounts, ReviewCounts } from '../../statute/annual-report';
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
 * Table 三 and the fees of the year: one pass over the cases that matter to year Y (received by 31 December and
 * not concluded before 1 January), grouped by applicant type and, for those concluded in Y, outcome. The OR of three
 * index ranges (received in Y; concluded on or after 1 January; never concluded) lets PostgreSQL skip older years.
 * A fee notice or payment dated in Y belongs to a case open in Y, so it is among these rows: notices dated in Y
 * (their amounts) and payments dated in Y (the amount paid as recorded; for payments recorded before the amount was
 * kept, the notice's) are counted in the same pass and summed over the groups.
 */
const APPLICATIONS_SQL = `
SELECT c.applicant_type AS "applicantType",
       CASE WHEN c.concluded_on BETWEEN $2::date AND $3::date THEN c.outcome END AS "outcome",
       count(*) FILTER (WHERE c.receipt_date >= $2::date)::int AS "new",
       count(*) FILTER (WHERE c.receipt_date < $2::date AND (c.concluded_on IS NULL OR c.concluded_on >= $2::date))::int AS "carriedIn",
       count(*) FILTER (WHERE c.concluded_on BETWEEN $2::date AND $3::date)::int AS "concluded",
       count(*) FILTER (WHERE c.concluded_on IS NULL OR c.concluded_on > $3::date)::int AS "carriedOut",
       count(*) FILTER (WHERE c.receipt_date <= $4::date AND (c.concluded_on IS NULL OR c.concluded_on > $4::date))::int AS "carriedOutPrevious",
       count(*) FILTER (WHERE (c.fee->>'notifiedOn')::date BETWEEN $2::date AND $3::date)::int AS "casesCharged",
       coalesce(sum((c.fee->>'amount')::numeric) FILTER (WHERE (c.fee->>'notifiedOn')::date BETWEEN $2::date AND $3::date), 0)::float8 AS "amountCharged",
       count(*) FILTER (WHERE (c.fee->>'paidOn')::date BETWEEN $2::date AND $3::date)::int AS "casesPaid",
       coalesce(sum(coalesce((c.fee->>'paidAmount')::numeric, (c.fee->>'amount')::numeric)) FILTER (WHERE (c.fee->>'paidOn')::date BETWEEN $2::date AND $3::date), 0)::float8 AS "amountCollected"
  FROM cases c
 WHERE c.agency_id = ANY($1::uuid[])
   AND c.receipt_date <= $3::date
   AND (c.receipt_date >= $2::date OR c.concluded_on >= $2::date OR c.concluded_on IS NULL)
 GROUP BY 1, 2`;

/** Table 四: proceedings filed in Y, by kind and their result as known on 31 December of Y. */
const REVIEWS_SQL = `
SELECT r.kind AS "kind",
       CASE WHEN r.result <> 'pending' AND r.concluded_on <= $3::date THEN r.result ELSE 'pending' END AS "result",
       count(*)::int AS "count"
  FROM reviews r
 WHERE r.agency_id = ANY($1::uuid[]) AND r.filed_on BETWEEN $2::date AND $3::date
 GROUP BY 1, 2`;

type ApplicationRow = ApplicationCounts & AnnualFees & Record<string, unknown>;

/** SQL of the annual report. Aggregates read through ReportDb (the replica when configured); publications on the primary. */
@Injectable()
export class AnnualReportRepository {
  constructor(
    private readonly db: ReportDb,
    private readonly ds: DataSource,
  ) {}

  /** Table 三's groups and the year's fees, from one pass. */
  async applicationCounts(agencyIds: string[], year: number): Promise<{ groups: ApplicationCounts[]; fees: AnnualFees }> {
    const b = yearBounds(year);
    const rows = await this.db.query<ApplicationRow>(APPLICATIONS_SQL, [agencyIds, b.start, b.end, b.previousEnd]);
    const fees: AnnualFees = { casesCharged: 0, amountCharged: 0, casesPaid: 0, amountCollected: 0 };
    const groups = rows.map(({ casesCharged, amountCharged, casesPaid, amountCollected, ...g }) => {
      fees.casesCharged += casesCharged;
      fees.amountCharged += amountCharged;
      fees.casesPaid += casesPaid;
      fees.amountCollected += amountCollected;
      return g;
    });
    return { groups, fees };
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
