import { Injectable } from '@nestjs/common';
import { ReportDb } from '../report-db';

export interface ChartCountRow {
  kind: 'received' | 'concluded';
  month: number;
  outcome: string | null;
  n: number;
}

/** The chart's counts: one aggregate over the agencies' cases (receipt and conclusion dates are Asia/Shanghai dates). */
@Injectable()
export class ChartRepository {
  constructor(private readonly db: ReportDb) {}

  /** Cases received in the year by month; cases concluded in the year by month and outcome. */
  counts(agencyIds: string[], year: number): Promise<ChartCountRow[]> {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    return this.db.query<ChartCountRow>(
      `SELECT 'received' AS kind, extract(month FROM c.receipt_date)::int AS month, NULL AS outcome, count(*)::int AS n
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date BETWEEN $2::date AND $3::date AND c.state <> 'discarded'
        GROUP BY 2
       UNION ALL
       SELECT 'concluded', extract(month FROM c.concluded_on)::int, c.outcome, count(*)::int
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[]) AND c.concluded_on BETWEEN $2::date AND $3::date
        GROUP BY 2, 3`,
      [agencyIds, from, to],
    );
  }
}
