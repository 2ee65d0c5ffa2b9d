import { MigrationInterface, QueryRunner } from "typeorm";

/** 分办 (a portal submission forwarded once), Art 35 (the reasons request, the intake flag, an agency's thresholds). */
export class Flows1765400000000 implements MigrationInterface {
    name = 'Flows1765400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cases" ADD "forwarded" jsonb`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "reasons_request" jsonb`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "art35_flag" jsonb`);
        await queryRunner.query(`ALTER TABLE "agencies" ADD "art35_thresholds" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "art35_thresholds"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "art35_flag"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "reasons_request"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "forwarded"`);
    }
}
