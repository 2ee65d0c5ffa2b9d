import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from '../infra/database/raw-rows';

export interface RecomputeRun {
  year: number;
  runId: string;
}

/** The `deadline_recomputes` table (one run per calendar year and its progress), in plain SQL. */
@Injectable()
export class DeadlineRecomputesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Whether `runId` is the year's run and not done. */
  async isCurrent(year: number, runId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM deadline_recomputes WHERE year = $1 AND run_id = $2 AND done_at IS NULL`, [year, runId]);
    return rows.length > 0;
  }

  /** After a batch: the last case done (null: the run is done, at `at`). */
  async progress(year: number, runId: string, lastId: string | null, at: Date): Promise<void> {
    await this.ds.query(
      `UPDATE deadline_recomputes SET after_id = coalesce($3::uuid, after_id), progressed_at = $4::timestamptz,
              done_at = CASE WHEN $3::uuid IS NULL THEN $4::timestamptz ELSE NULL END
        WHERE year = $1 AND run_id = $2`,
      [year, runId, lastId, at],
    );
  }

  /**
   * A new run for each calendar load not asked for yet (`requested_at` is the load's own time): a year with no
   * run, or whose load is later than its run's request. A load another process already asked for (or a later one)
   * is not asked again. The runs to start.
   */
  async request(loads: { year: number; loadedAt: string }[], now: Date): Promise<RecomputeRun[]> {
    if (!loads.length) return [];
    const res = await this.ds.query<unknown>(
      `INSERT INTO deadline_recomputes (year, run_id, after_id, requested_at, progressed_at, done_at)
       SELECT cy.year, gen_random_uuid(), NULL, cy.loaded_at, $3::timestamptz, NULL
         FROM unnest($1::int[], $2::timestamptz[]) AS cy(year, loaded_at) LEFT JOIN deadline_recomputes dr ON dr.year = cy.year
        WHERE dr.year IS NULL OR cy.loaded_at > dr.requested_at
       ON CONFLICT (year) DO UPDATE SET run_id = EXCLUDED.run_id, after_id = NULL, requested_at = EXCLUDED.requested_at,
              progressed_at = EXCLUDED.progressed_at, done_at = NULL
        WHERE deadline_recomputes.requested_at < EXCLUDED.requested_at
       RETURNING year, run_id AS "runId"`,
      [loads.map((l) => l.year), loads.map((l) => l.loadedAt), now],
    );
    return returnedRows<RecomputeRun>(res);
  }

  /** Runs not done whose last batch ended at or before `before`, with the last case they did. */
  stalled(before: Date): Promise<(RecomputeRun & { afterId: string | null })[]> {
    return this.ds.query(`SELECT year, run_id AS "runId", after_id AS "afterId" FROM deadline_recomputes WHERE done_at IS NULL AND progressed_at <= $1`, [before]);
  }

  /** Takes over a stalled run under a new id (compare-and-set on the old one): false when another worker did. */
  async takeOver(run: RecomputeRun, newRunId: string, at: Date): Promise<boolean> {
    const taken = await this.ds.query<unknown>(`UPDATE deadline_recomputes SET run_id = $3, progressed_at = $4 WHERE year = $1 AND run_id = $2 AND done_at IS NULL RETURNING year`, [
      run.year,
      run.runId,
      newRunId,
      at,
    ]);
    return returnedRows(taken).length > 0;
  }
}
