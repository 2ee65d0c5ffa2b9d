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
 * agency; ix_cases_board_due by deadline and seq for many; both carry the id. Migration 1765900000000).
 */
@Injectable()
export class DeadlinesRepository {
  constructor(private readonly db: ReportDb) {}

  /**
   * Cases whose clock runs and whose deadline is on or before `horizon`, after the cursor (due, seq), in that order. The
   * page's keys come first from the board's covering indexes alone (index-only, whether walked in order or sorted),
   * then only the page's rows are read: no heap block per case due by the horizon, whatever the planner expects. No
   * `due_date IS NOT NULL` (the range implies it): the planner multiplied the two, expecting 1 % of the rows due.
   */
  running(agencyIds: string[], horizon: string, after: { due: string; seq: string } | null, limit: number): Promise<BoardRow[]> {
    return this.db.query<BoardRow>(
      `WITH page AS MATERIALIZED (
         SELECT b.id, b.due_date, b.seq FROM cases b
          WHERE b.agency_id = ANY($1::uuid[]) AND b.due_date <= $2::date
            AND ($3::date IS NULL OR (b.due_date, b.seq) > ($3::date, $4::bigint))
          ORDER BY b.due_date, b.seq
          LIMIT $5)
       SELECT ${BOARD_COLUMNS}
         FROM page p JOIN cases c ON c.id = p.id LEFT JOIN users u ON u.id = c.assignee_id
        ORDER BY p.due_date, p.seq`,
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
    // three disjoint parts; the paused ones bounded through ix_cases_board_paused, those with an Art 35 date through ix_cases_board_art35
    const select = `SELECT ${BOARD_COLUMNS}, c.correction, c.consultations, c.fee, c.extension, c.delayed_until, c.deliveries
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.agency_id = ANY($1::uuid[])`;
    return this.db.query<ClockRow>(
      `${select} AND c.state IN ('awaiting_fee', 'awaiting_correction')
       UNION ALL
       ${select} AND c.state = 'consulting' AND c.due_date IS NULL AND c.delayed_until IS NOT NULL
       UNION ALL
       ${select} AND c.state = 'consulting' AND c.due_date IS NULL AND c.delayed_until IS NULL
          AND ($2::date IS NULL OR c.receipt_date <= $2::date)
          AND ($3::int IS NULL OR case_days_before_pause(c.receipt_date, c.consultations) >= $3::int)
       ORDER BY seq`,
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
