/**
 * Statements shared verbatim with the HTTP benchmark's bare server (bench/bare-server.ts), so that
 * both sides of that comparison run the same SQL.
 */

/**
 * Duplicate hints (重复申请提示): $1 identity hash, $2 the new case's id, $3 its description, $4 a day of the month
 * counted, $5 limit, $6 the case's agency. Each earlier case
 * carries its issued reply's number and date (`reply`, null when none): what a `rejected.duplicate` reply cites. Only the agency's own cases: a repeated application (Art 36(6)) is one
 * made to the same agency, and a clerk must not learn what a person asked of other agencies.
 */
export const DUPLICATE_HINTS_SQL = `WITH mine AS (SELECT id, tracking_number, receipt_date, state, description, created_at FROM cases
                WHERE applicant_id_hash = $1 AND agency_id = $6 AND state <> 'discarded')
       SELECT (SELECT count(*)::int FROM mine
                WHERE date_trunc('month', coalesce(receipt_date, (created_at AT TIME ZONE 'Asia/Shanghai')::date)) = date_trunc('month', $4::date)) AS n,
              coalesce((SELECT json_agg(e) FROM (
                 SELECT id, tracking_number AS "trackingNumber", to_char(receipt_date, 'YYYY-MM-DD') AS "receiptDate", state,
                        left(description, 120) AS description, round(similarity(description, $3)::numeric, 2)::float AS similarity,
                        (SELECT json_build_object('number', l.number, 'date', to_char(l.dated_on, 'YYYY-MM-DD')) FROM letters l
                          WHERE l.case_id = mine.id AND l.code = 'reply' AND l.state IN ('issued', 'delivered') AND l.number IS NOT NULL
                          ORDER BY l.dated_on LIMIT 1) AS reply
                   FROM mine WHERE id <> $2 ORDER BY similarity(description, $3) DESC, created_at DESC LIMIT $5) e), '[]'::json) AS earlier`;

/**
 * Art 35 counts at intake: $1 identity hash, $2 agency, $3 the receipt date, $4 the agency's window in days, $5 a case
 * left out (null: none). The applicant's received applications at the agency in the calendar month of $3 (`month`)
 * and within the $4 days ending on $3 (`win`); unconfirmed and discarded submissions are not counted.
 */
export const ART35_COUNTS_SQL = `SELECT count(*) FILTER (WHERE date_trunc('month', receipt_date) = date_trunc('month', $3::date))::int AS month,
              count(*) FILTER (WHERE receipt_date > $3::date - $4::int AND receipt_date <= $3::date)::int AS win
         FROM cases
        WHERE applicant_id_hash = $1 AND agency_id = $2 AND state <> 'discarded' AND receipt_date IS NOT NULL
          AND ($5::uuid IS NULL OR id <> $5::uuid)
          AND receipt_date >= least(date_trunc('month', $3::date)::date, $3::date - $4::int)`;
