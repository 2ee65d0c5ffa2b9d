import { Injectable } from '@nestjs/common';
import { ReportDb } from '../report-db';

export interface DisclosedRow {
  id: string;
  trackingNumber: string;
  agencyId: string;
  description: string;
  documentNumber: string | null;
  outcome: string;
  concludedOn: string;
  applicant: string;
}

/** Disclosed (granted or partial) replies concluded in the period, newest first. */
const DISCLOSED_SQL = `
SELECT c.id, c.tracking_number AS "trackingNumber", c.agency_id AS "agencyId", c.description, c.document_number AS "documentNumber",
       c.outcome, c.concluded_on::text AS "concludedOn", c.applicant_id_hash AS "applicant"
  FROM cases c
 WHERE c.agency_id = ANY($1::uuid[]) AND c.outcome IN ('granted', 'partial') AND c.concluded_on BETWEEN $2::date AND $3::date
 ORDER BY c.concluded_on DESC, c.seq DESC
 LIMIT $4`;

@Injectable()
export class ProactiveCandidatesRepository {
  constructor(private readonly db: ReportDb) {}

  disclosed(agencyIds: string[], from: string, to: string, limit: number): Promise<DisclosedRow[]> {
    return this.db.query<DisclosedRow & Record<string, unknown>>(DISCLOSED_SQL, [agencyIds, from, to, limit]);
  }
}
