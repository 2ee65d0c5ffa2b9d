import { Injectable } from '@nestjs/common';
import type { CaseEntity } from '../../cases/case.entity';
import type { ApplicantType, Channel } from '../../statute/intake';
import type { Period, ReviewFact } from '../../statute/performance';
import type { WorkingDayOrdinals } from '../../statute/working-day-ordinals';
import { workingDaysSql } from '../working-days-sql';
import { ReportDb } from '../report-db';

/** How the case figures are grouped: by nothing, agency, applicant type, channel, or month. */
export type TallyKey = 'none' | 'agency' | 'applicantType' | 'channel' | 'month';

/**
 * One group of the case figures: the cases with the same keys and working days to reply. `dueKey` is the group of
 * the figures dated by the deadline (reply rate, overdue), `concludedKey` of those dated by the conclusion (on-time
 * rate, time to reply): the month of each date by month, otherwise both the agency, type or channel ('' by none).
 */
export interface CaseTallyRow {
  dueKey: string | null;
  concludedKey: string | null;
  /** working days to reply, counted in SQL: only for cases concluded in the period with no pause or correction */
  workingDays: number | null;
  cases: number;
  dueIn: number;
  replied: number;
  concludedWithDue: number;
  onTime: number;
  overdue: number;
  /** overdue with the deadline in the period */
  overdueDueIn: number;
}

/** A case concluded in the period whose working days to reply the clock counts (a pause, a correction, an old receipt). */
export interface ClockCaseRow {
  concluded_key: string;
  receipt_date: string;
  concluded_on: string;
  correction: CaseEntity['correction'];
  consultations: CaseEntity['consultations'];
  fee: CaseEntity['fee'];
  extension: CaseEntity['extension'];
  delayed_until: string | null;
}

/** An open case past its deadline at the as-of date. */
export interface OverdueCaseRow {
  id: string;
  tracking_number: string;
  agency_id: string;
  state: CaseEntity['state'];
  computed_due: string;
}

const KEYS: Record<TallyKey, { due: string; concluded: string }> = {
  none: { due: `''`, concluded: `''` },
  agency: { due: 'c.agency_id::text', concluded: 'c.agency_id::text' },
  applicantType: { due: 'c.applicant_type', concluded: 'c.applicant_type' },
  channel: { due: 'c.channel', concluded: 'c.channel' },
  month: { due: `to_char(c.computed_due, 'YYYY-MM')`, concluded: `to_char(c.concluded_on, 'YYYY-MM')` },
};

/**
 * The cases the figures of [from, to] count ($2, $3) as of $4: deadline or conclusion in the period, or open and past
 * the deadline at $4. Unconfirmed submissions (no receipt date) and discarded ones are never counted.
 */
const COUNTED = `c.agency_id = ANY($1::uuid[]) AND c.receipt_date IS NOT NULL AND c.state <> 'discarded'
   AND (c.computed_due BETWEEN $2::date AND $3::date
        OR c.concluded_on BETWEEN $2::date AND $3::date
        OR (c.computed_due < $4::date AND c.receipt_date <= $4::date AND (c.concluded_on IS NULL OR c.concluded_on > $4::date)))`;
/** A pause or a correction: the clock counts the working days to reply (partial index ix_cases_agency_concluded_clock). */
const PAUSED = `(c.correction IS NOT NULL OR c.fee IS NOT NULL OR c.consultations <> '[]'::jsonb)`;
/** No pause and no correction, received and concluded inside the ordinals' window ($5 … $6): SQL counts the working days to reply. */
const PLAIN = `c.correction IS NULL AND c.fee IS NULL AND c.consultations = '[]'::jsonb AND c.receipt_date >= $5::date AND c.concluded_on <= $6::date`;
const OVERDUE = `c.receipt_date <= $4::date AND (c.concluded_on IS NULL OR c.concluded_on > $4::date) AND c.computed_due < $4::date`;

export interface PerformanceReviewRow {
  agency_id: string;
  applicant_type: ApplicantType;
  channel: Channel;
  kind: ReviewFact['kind'];
  filed_on: string;
  result: ReviewFact['result'];
  concluded_on: string | null;
}

export interface PerformanceFeeRow {
  agency_id: string;
  applicant_type: ApplicantType;
  channel: Channel;
  paid_on: string;
  amount: string;
}

/** The reads behind the performance figures: the cases' tallies and the few cases the clock counts, reviews, fees, the overdue list. */
@Injectable()
export class PerformanceRepository {
  constructor(private readonly db: ReportDb) {}

  /**
   * The case figures of the agencies for the period, counted per group (see CaseTallyRow): one aggregate over the
   * counted cases, working days to reply by a subtraction over the working-day ordinals of [window.from, to].
   */
  caseTallies(agencyIds: string[], period: Period, key: TallyKey, window: WorkingDayOrdinals): Promise<CaseTallyRow[]> {
    const k = KEYS[key];
    return this.db.aggregate<CaseTallyRow & Record<string, unknown>>(
      `SELECT t.due_key AS "dueKey", t.concluded_key AS "concludedKey", t.working_days AS "workingDays",
              count(*)::int AS "cases",
              count(*) FILTER (WHERE t.due_in)::int AS "dueIn",
              count(*) FILTER (WHERE t.due_in AND t.replied)::int AS "replied",
              count(*) FILTER (WHERE t.concluded_in AND t.has_due)::int AS "concludedWithDue",
              count(*) FILTER (WHERE t.concluded_in AND t.on_time)::int AS "onTime",
              count(*) FILTER (WHERE t.overdue)::int AS "overdue",
              count(*) FILTER (WHERE t.overdue AND t.due_in)::int AS "overdueDueIn"
         FROM (SELECT ${k.due} AS due_key, ${k.concluded} AS concluded_key,
                      CASE WHEN c.concluded_on BETWEEN $2::date AND $3::date AND ${PLAIN}
                           THEN greatest(0, ${workingDaysSql('c.receipt_date', 'c.concluded_on', '$5', '$7')}) END AS working_days,
                      coalesce(c.computed_due BETWEEN $2::date AND $3::date, false) AS due_in,
                      coalesce(c.concluded_on <= $4::date, false) AS replied,
                      coalesce(c.concluded_on BETWEEN $2::date AND $3::date, false) AS concluded_in,
                      c.computed_due IS NOT NULL AS has_due,
                      coalesce(c.concluded_on <= c.computed_due, false) AS on_time,
                      coalesce(${OVERDUE}, false) AS overdue
                 FROM cases c
                WHERE ${COUNTED}) t
        GROUP BY 1, 2, 3`,
      [agencyIds, period.from, period.to, period.asOf, window.from, window.to, window.ordinals],
    );
  }

  /**
   * The counted cases concluded in the period whose working days to reply SQL does not count (not PLAIN), for the
   * clock: those with a pause or a correction, and those received or concluded outside the ordinals' window (the
   * window ends with the period unless the calendar's range ends first).
   */
  clockCases(agencyIds: string[], period: Period, key: TallyKey, window: Pick<WorkingDayOrdinals, 'from' | 'to'>): Promise<ClockCaseRow[]> {
    const columns = `${KEYS[key].concluded} AS concluded_key, c.receipt_date, c.concluded_on, c.correction, c.consultations, c.fee, c.extension, c.delayed_until`;
    const concluded = `${COUNTED} AND c.concluded_on BETWEEN $2::date AND $3::date`;
    return this.db.query<ClockCaseRow>(
      `SELECT ${columns} FROM cases c WHERE ${concluded} AND ${PAUSED}
       UNION ALL
       SELECT ${columns} FROM cases c WHERE ${concluded} AND NOT ${PAUSED} AND c.receipt_date < $5::date
       UNION ALL
       SELECT ${columns} FROM cases c WHERE ${concluded} AND NOT ${PAUSED} AND c.receipt_date >= $5::date AND c.concluded_on > $6::date`,
      [agencyIds, period.from, period.to, period.asOf, window.from, window.to],
    );
  }

  /** The first `limit` open cases past their deadline at `asOf`, the longest overdue first. */
  overdueCases(agencyIds: string[], asOf: string, limit: number): Promise<OverdueCaseRow[]> {
    return this.db.query<OverdueCaseRow>(
      `SELECT c.id, c.tracking_number, c.agency_id, c.state, c.computed_due
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date IS NOT NULL AND c.state <> 'discarded'
          AND c.receipt_date <= $2::date AND (c.concluded_on IS NULL OR c.concluded_on > $2::date) AND c.computed_due < $2::date
        ORDER BY c.computed_due, c.tracking_number COLLATE "C"
        LIMIT $3`,
      [agencyIds, asOf, limit],
    );
  }

  /** Reconsiderations filed in [from, to] against the agencies' cases (the figures count only these). */
  reviews(agencyIds: string[], from: string, to: string): Promise<PerformanceReviewRow[]> {
    return this.db.query<PerformanceReviewRow>(
      `SELECT r.agency_id, c.applicant_type, c.channel, r.kind, r.filed_on, r.result, r.concluded_on
         FROM reviews r JOIN cases c ON c.id = r.case_id
        WHERE r.agency_id = ANY($1::uuid[]) AND r.kind = 'reconsideration' AND r.filed_on BETWEEN $2::date AND $3::date`,
      [agencyIds, from, to],
    );
  }

  /** Fees paid in [from, to] (the day recorded by record-payment). */
  fees(agencyIds: string[], from: string, to: string): Promise<PerformanceFeeRow[]> {
    return this.db.query<PerformanceFeeRow>(
      `SELECT c.agency_id, c.applicant_type, c.channel, c.fee->>'paidOn' AS paid_on, coalesce(c.fee->>'paidAmount', c.fee->>'amount') AS amount
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[]) AND c.fee IS NOT NULL AND c.fee->>'paidOn' BETWEEN $2 AND $3`,
      [agencyIds, from, to],
    );
  }
}
