import { Injectable } from '@nestjs/common';
import type { CaseEntity } from '../../cases/case.entity';
import { ReportDb } from '../report-db';

export interface BoardRow {
  id: string;
  seq: string;
  tracking_number: string;
  agency_id: string;
  state: CaseEntity['state'];
  receipt_date: string;
  due_date: string | null;
  deadline_provisional: boolean;
  assignee_id: string | null;
  assignee_name: string | null;
}

/** A case whose clock stands still, or one waiting on the applicant: what the clock and the periods need. */
export interface ClockRow extends BoardRow {
  correction: CaseEntity['correction'];
  consultations: CaseEntity['consultations'];
  fee: CaseEntity['fee'];
  extension: CaseEntity['extension'];
  delayed_until: string | null;
  deliveries: CaseEntity['deliveries'];
}

export interface SubmissionRow {
  id: string;
  tracking_number: string;
  agency_id: string;
  channel: string;
  submitted_at: Date;
}

const BOARD_COLUMNS = `c.id, c.seq, c.tracking_number, c.agency_id, c.state, c.receipt_date, c.due_date, c.deadline_provisional, c.assignee_id, u.display_name AS assignee_name`;

/**
 * The board's reads (indexes over the cases whose clock runs: ix_cases_board by agency, running deadline and seq for one
 * agency; ix_cases_board_due by deadline and seq for many).
 */
@Injectable()
export class DeadlinesRepository {
  constructor(private readonly db: ReportDb) {}

  /** Cases whose clock runs and whose deadline is on or before `horizon`, after the cursor (due, seq), in that order. */
  running(agencyIds: string[], horizon: string, after: { due: string; seq: string } | null, limit: number): Promise<BoardRow[]> {
    return this.db.query<BoardRow>(
      `SELECT ${BOARD_COLUMNS}
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.agency_id = ANY($1::uuid[]) AND c.due_date IS NOT NULL AND c.due_date <= $2::date
          AND ($3::date IS NULL OR (c.due_date, c.seq) > ($3::date, $4::bigint))
        ORDER BY c.due_date, c.seq
        LIMIT $5`,
      [agencyIds, horizon, after?.due ?? null, after?.seq ?? null, limit],
    );
  }

  /**
   * Open cases whose clock stands still or waits on the applicant: awaiting_fee and awaiting_correction (the lapse
   * list), and consulting ones without a running deadline that may be due by the horizon: those with an Art 35 date,
   * and those received on or before `pausedCutoff` (null: any) whose earliest open consultation began at least
   * `minDaysBeforePause` calendar days after receipt (null: any; see pausedReceiptCutoff, pausedMinDaysBeforePause).
   */
  waiting(agencyIds: string[], pausedCutoff: string | null, minDaysBeforePause: number | null): Promise<ClockRow[]> {
    return this.db.query<ClockRow>(
      `SELECT ${BOARD_COLUMNS}, c.correction, c.consultations, c.fee, c.extension, c.delayed_until, c.deliveries
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.agency_id = ANY($1::uuid[])
          AND (c.state IN ('awaiting_fee', 'awaiting_correction')
               OR (c.state = 'consulting' AND c.due_date IS NULL
                   AND (c.delayed_until IS NOT NULL
                        OR (($2::date IS NULL OR c.receipt_date <= $2::date)
                            AND ($3::int IS NULL
                                 OR coalesce((SELECT min((k->>'openedOn')::date) FROM jsonb_array_elements(c.consultations) k WHERE k->>'closedOn' IS NULL)
                                             - c.receipt_date >= $3::int, true))))))
        ORDER BY c.seq`,
      [agencyIds, pausedCutoff, minDaysBeforePause],
    );
  }

  /** The agencies' names, by id. */
  async names(agencyIds: string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; name: string }>(`SELECT a.id, a.name FROM agencies a WHERE a.id = ANY($1::uuid[])`, [agencyIds]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Portal submissions not yet confirmed, the oldest first. */
  submissions(agencyIds: string[], limit: number): Promise<SubmissionRow[]> {
    return this.db.query<SubmissionRow>(
      `SELECT c.id, c.tracking_number, c.agency_id, c.channel, c.submitted_at
         FROM cases c
        WHERE c.agency_id = ANY($1::uuid[]) AND c.state = 'submitted'
        ORDER BY c.submitted_at, c.seq
        LIMIT $2`,
      [agencyIds, limit],
    );
  }
}
