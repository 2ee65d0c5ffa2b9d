import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes of the annual report: the receipt and conclusion indexes by agency carry the other columns table 三
 * counts (applicant type, outcome, the other date), so each of the year's three ranges (received in the year; received
 * before and concluded in or after it; received before and still open) is an index-only scan; the last two read the
 * cases carried over a new year (open, or concluded in a later year than received: a few per cent). Fees read the few cases
 * with a fee notice through a partial index that holds the fee (index-only). The deadline board of many agencies reads the cases whose clock runs in
 * board order (deadline, seq) and stops at the page's end. The performance figures read the cases concluded with a
 * pause or a correction (whose working days to reply the clock counts) through a partial index.
 */
export class ReportsCovering1765700000000 implements MigrationInterface {
  name = 'ReportsCovering1765700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_cases_agency_receipt"`);
    await q.query(`CREATE INDEX "ix_cases_agency_receipt" ON "cases" ("agency_id", "receipt_date") INCLUDE ("concluded_on", "applicant_type", "outcome")`);
    await q.query(`DROP INDEX "ix_cases_agency_concluded"`);
    await q.query(`CREATE INDEX "ix_cases_agency_concluded" ON "cases" ("agency_id", "concluded_on") INCLUDE ("receipt_date", "applicant_type", "outcome")`);
    await q.query(
      `CREATE INDEX "ix_cases_agency_carried" ON "cases" ("agency_id", "concluded_on") INCLUDE ("receipt_date", "applicant_type", "outcome") WHERE "concluded_on" IS NULL OR extract(year FROM "concluded_on") > extract(year FROM "receipt_date")`,
    );
    await q.query(`CREATE INDEX "ix_cases_agency_fee" ON "cases" ("agency_id") INCLUDE ("fee") WHERE "fee" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_cases_board_due" ON "cases" ("due_date", "seq") WHERE "due_date" IS NOT NULL`);
    await q.query(
      `CREATE INDEX "ix_cases_agency_concluded_clock" ON "cases" ("agency_id", "concluded_on") WHERE "correction" IS NOT NULL OR "fee" IS NOT NULL OR "consultations" <> '[]'::jsonb`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_cases_agency_carried"`);
    await q.query(`DROP INDEX "ix_cases_agency_concluded_clock"`);
    await q.query(`DROP INDEX "ix_cases_board_due"`);
    await q.query(`DROP INDEX "ix_cases_agency_fee"`);
    await q.query(`DROP INDEX "ix_cases_agency_concluded"`);
    await q.query(`CREATE INDEX "ix_cases_agency_concluded" ON "cases" ("agency_id", "concluded_on")`);
    await q.query(`DROP INDEX "ix_cases_agency_receipt"`);
    await q.query(`CREATE INDEX "ix_cases_agency_receipt" ON "cases" ("agency_id", "receipt_date")`);
  }
}
