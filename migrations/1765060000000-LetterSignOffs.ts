import { MigrationInterface, QueryRunner } from "typeorm";

export class LetterSignOffs1765060000000 implements MigrationInterface {
    name = 'LetterSignOffs1765060000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "agencies" ADD "approval_step_names" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "sign_offs" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "confidentiality_reviewed_by" uuid`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "confidentiality_reviewed_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "confidentiality_reviewed_at"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "confidentiality_reviewed_by"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "sign_offs"`);
        await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "approval_step_names"`);
    }

}
