import { MigrationInterface, QueryRunner } from "typeorm";

/** The files provided with a reply (attachments of kind `release`), recorded once with the reply that lists them. */
export class ReleaseFiles1765800000000 implements MigrationInterface {
    name = 'ReleaseFiles1765800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "letter_release_files" ("letter_id" uuid NOT NULL, "attachment_id" uuid NOT NULL, "position" integer NOT NULL, CONSTRAINT "pk_letter_release_files" PRIMARY KEY ("letter_id", "attachment_id"))`);
        await queryRunner.query(`CREATE INDEX "ix_letter_release_files_attachment" ON "letter_release_files" ("attachment_id") `);
        // what a reply provided never changes: rows are written with the reply, never updated or deleted
        await queryRunner.query(`CREATE FUNCTION letter_release_files_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'the files provided with a reply never change (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
        await queryRunner.query(`CREATE TRIGGER letter_release_files_immutable BEFORE UPDATE OR DELETE ON "letter_release_files" FOR EACH ROW EXECUTE FUNCTION letter_release_files_immutable()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER IF EXISTS letter_release_files_immutable ON "letter_release_files"`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS letter_release_files_immutable()`);
        await queryRunner.query(`DROP INDEX "public"."ix_letter_release_files_attachment"`);
        await queryRunner.query(`DROP TABLE "letter_release_files"`);
    }
}
