import { MigrationInterface, QueryRunner } from "typeorm";

export class DeadlineRecomputes1764800000000 implements MigrationInterface {
    name = 'DeadlineRecomputes1764800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "deadline_recomputes" ("year" integer NOT NULL, "run_id" uuid NOT NULL, "after_id" uuid, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "progressed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_421a881509ba9feeeb7860cf44c" PRIMARY KEY ("year"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "deadline_recomputes"`);
    }

}
