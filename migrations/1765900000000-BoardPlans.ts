import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans of the deadline board that hold whatever the planner expects. The board's indexes over the cases whose clock
 * runs carry the case id, so a page's keys (deadline, seq, id) come from the index alone, walked in order or sorted,
 * and only the page's own rows are read. The consulting cases without a running deadline are indexed by the calendar
 * days from receipt to their earliest open consultation (case_days_before_pause; the most of the period a paused case
 * can have used), those with an Art 35 date apart, so the board reads only those that can be due by its horizon. The
 * expression index has statistics only after an ANALYZE, hence the one here.
 */
export class BoardPlans1765900000000 implements MigrationInterface {
  name = 'BoardPlans1765900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_cases_board"`);
    await q.query(`CREATE INDEX "ix_cases_board" ON "cases" ("agency_id", "due_date", "seq") INCLUDE ("id") WHERE "due_date" IS NOT NULL`);
    await q.query(`DROP INDEX "ix_cases_board_due"`);
    await q.query(`CREATE INDEX "ix_cases_board_due" ON "cases" ("due_date", "seq") INCLUDE ("agency_id", "id") WHERE "due_date" IS NOT NULL`);
    // ISO dates (YYYY-MM-DD) read the same under any DateStyle, so the function is immutable; with no consultation
    // open there is no bound (the largest integer)
    await q.query(
      `CREATE FUNCTION case_days_before_pause(receipt date, consultations jsonb) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(min((k->>'openedOn')::date) - receipt, 2147483647) FROM jsonb_array_elements(consultations) k WHERE k->>'closedOn' IS NULL $$`,
    );
    await q.query(
      `CREATE INDEX "ix_cases_board_paused" ON "cases" (case_days_before_pause("receipt_date", "consultations")) INCLUDE ("agency_id") WHERE "state" = 'consulting' AND "due_date" IS NULL AND "delayed_until" IS NULL`,
    );
    await q.query(`CREATE INDEX "ix_cases_board_art35" ON "cases" ("agency_id") WHERE "state" = 'consulting' AND "due_date" IS NULL AND "delayed_until" IS NOT NULL`);
    await q.query(`ANALYZE "cases"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_cases_board_art35"`);
    await q.query(`DROP INDEX "ix_cases_board_paused"`);
    await q.query(`DROP FUNCTION case_days_before_pause(date, jsonb)`);
    await q.query(`DROP INDEX "ix_cases_board_due"`);
    await q.query(`CREATE INDEX "ix_cases_board_due" ON "cases" ("due_date", "seq") WHERE "due_date" IS NOT NULL`);
    await q.query(`DROP INDEX "ix_cases_board"`);
    await q.query(`CREATE INDEX "ix_cases_board" ON "cases" ("agency_id", "due_date", "seq") WHERE "due_date" IS NOT NULL`);
  }
}
