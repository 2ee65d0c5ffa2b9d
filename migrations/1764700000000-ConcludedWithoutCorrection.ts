import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Cases concluded while a correction (补正) was awaited (a lapse, or a withdrawal) were given the deadline
 * counted from receipt, as if no correction had been asked for, and marked late when it had passed. No deadline
 * runs while a correction is awaited (Art 30), so they have none and were never late: their derived columns
 * are set as the clock now derives them. The history is not touched.
 */
export class ConcludedWithoutCorrection1764700000000 implements MigrationInterface {
    name = 'ConcludedWithoutCorrection1764700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "cases" SET "due_date" = NULL, "computed_due" = NULL, "deadline_provisional" = false, "concluded_late" = false
                                  WHERE "state" = 'concluded' AND "correction" IS NOT NULL AND "correction"->>'receivedOn' IS NULL`);
    }

    public async down(): Promise<void> {
        // the earlier values were wrong; nothing to restore
    }
}
