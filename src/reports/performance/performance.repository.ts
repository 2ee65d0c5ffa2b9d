import { Injectable } from '@nestjs/common';
import type { CaseEntity } from '../../cases/case.entity';
import type { ApplicantType, Channel } from '../../statute/intake';
import type { ReviewFact } from '../../statute/performance';
import { ReportDb } from '../report-db';

/** A case the figures of a period may count, with what the clock needs when it concluded in the period. */
export interface PerformanceCaseRow {
  id: string;
  tracking_number: string;
  agency_id: string;
  applicant_type: ApplicantType;
  channel: Channel;
  state: CaseEntity['state'];
  receipt_date: string;
  computed_due: string | null;
  concluded_on: string | null;
  /** the clock's inputs, only for cases concluded in the period */
  correction: CaseEntity['correction'];
  consultations: CaseEntity['consultations'] | null;
  fee: CaseEntity['fee'];
  extension: CaseEntity['extension'];
  delayed_until: string | null;
}

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

/** The reads behind the performance figures: three statements over the agencies' cases, reviews and fees. */
@Injectable()
export class PerformanceRepository {
  constructor(private readonly db: ReportDb) {}

  /**
   * Cases of the agencies whose deadline or conclusion falls in [from, to], or that are open and past their deadline at
   * `asOf`. Unconfirmed submissions (no receipt date) and discarded ones are never counted.
   */
  cases(agencyIds: string[], from: string, to: string, asOf: string): Promise<PerformanceCaseRow[]> {
    return this.db.query<PerformanceCaseRow>(
      `WITH p AS (SELECT $2::date AS f, $3::date AS t, $4::date AS a)
       SELECT c.id, c.tracking_number, c.agency_id, c.applicant_type, c.channel, c.state, c.receipt_date, c.computed_due, c.concluded_on,
              CASE WHEN c.concluded_on BETWEEN p.f AND p.t THEN c.correction END AS correction,
              CASE WHEN c.concluded_on BETWEEN p.f AND p.t AND c.consultations <> '[]'::jsonb THEN c.consultations END AS consultations,
              CASE WHEN c.concluded_on BETWEEN p.f AND p.t THEN c.fee END AS fee,
              CASE WHEN c.concluded_on BETWEEN p.f AND p.t THEN c.extension END AS extension,
              c.delayed_until
         FROM cases c, p
        WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date IS NOT NULL AND c.state <> 'discarded'
          AND (c.computed_due BETWEEN p.f AND p.t
               OR c.concluded_on BETWEEN p.f AND p.t
               OR (c.computed_due < p.a AND c.receipt_date <= p.a AND (c.concluded_on IS NULL OR c.concluded_on > p.a)))`,
      [agencyIds, from, to, asOf],
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
