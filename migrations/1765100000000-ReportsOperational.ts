import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the operational reports: the deadline board reads the cases whose clock runs (due_date set) by agency
 * and deadline, in board order; the reply rate reads cases by agency and the deadline that applies (computed_due).
 */
export class ReportsOperational1765100000000 implements MigrationInterface {
  name = 'ReportsOperational1765100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_cases_board" ON "cases" ("agency_id", "due_date", "seq") WHERE "due_date" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_cases_agency_computed_due" ON "cases" ("agency_id", "computed_due") WHERE "computed_due" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_cases_agency_computed_due"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_cases_board"`);
  }
}
