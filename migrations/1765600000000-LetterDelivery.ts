import { MigrationInterface, QueryRunner } from "typeorm";

/** Delivery the way the applicant asked: the postal batch's queue and the mailed letters whose receipt is still to record. */
export class LetterDelivery1765600000000 implements MigrationInterface {
    name = 'LetterDelivery1765600000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_letters_to_post" ON "letters" ("agency_id", "dated_on") WHERE "state" = 'issued' AND "dispatch_way" IS NULL`);
        await queryRunner.query(`CREATE INDEX "ix_letters_mailed_unreceived" ON "letters" ("mailed_at") WHERE "state" = 'issued' AND "mailed_at" IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_letters_mailed_unreceived"`);
        await queryRunner.query(`DROP INDEX "public"."ix_letters_to_post"`);
    }
}
