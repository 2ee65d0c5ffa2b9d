import { MigrationInterface, QueryRunner } from "typeorm";

export class LetterFlow1765050000000 implements MigrationInterface {
    name = 'LetterFlow1765050000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "letter_pdfs" ("letter_id" uuid NOT NULL, "bytes" bytea NOT NULL, "sha256" character(64) NOT NULL, "size" integer NOT NULL, "rendered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8ec8e798f561a43ad0900438e98" PRIMARY KEY ("letter_id"))`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "sealed_query_code" text`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "dispatch_way" character varying(16)`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "dispatched_on" date`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "dispatch_reference" character varying(300)`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "mailed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "mail_error" text`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "facts" jsonb`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "template_code" character varying(60)`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "template_version" integer`);
        // the facts an issued letter prints are set once, like its rendering
        await queryRunner.query(`CREATE OR REPLACE FUNCTION letters_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state NOT IN ('issued', 'delivered') THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
              END IF;
              IF TG_OP = 'DELETE'
                 OR NEW.state NOT IN ('issued', 'delivered')
                 OR (OLD.state = 'delivered' AND NEW.state <> 'delivered')
                 OR (NEW.case_id, NEW.agency_id, NEW.code, NEW.outcome, NEW.addressee, NEW.consultation_id, NEW.dated_on,
                     NEW.series, NEW.number_year, NEW.number_seq, NEW.number, NEW.issued_at, NEW.approved_by, NEW.approved_at)
                    IS DISTINCT FROM
                    (OLD.case_id, OLD.agency_id, OLD.code, OLD.outcome, OLD.addressee, OLD.consultation_id, OLD.dated_on,
                     OLD.series, OLD.number_year, OLD.number_seq, OLD.number, OLD.issued_at, OLD.approved_by, OLD.approved_at)
                 OR (OLD.rendered_at IS NOT NULL AND (NEW.rendered_at, NEW.sha256, NEW.storage_key) IS DISTINCT FROM (OLD.rendered_at, OLD.sha256, OLD.storage_key))
                 OR (OLD.facts IS NOT NULL AND (NEW.facts, NEW.template_code, NEW.template_version) IS DISTINCT FROM (OLD.facts, OLD.template_code, OLD.template_version))
              THEN
                RAISE EXCEPTION 'an issued letter is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END $$`);
        // an issued letter's PDF never changes: written once, never updated or deleted
        await queryRunner.query(`CREATE FUNCTION letter_pdfs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'a letter''s PDF is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
        await queryRunner.query(`CREATE TRIGGER letter_pdfs_immutable BEFORE UPDATE OR DELETE ON "letter_pdfs" FOR EACH ROW EXECUTE FUNCTION letter_pdfs_immutable()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE OR REPLACE FUNCTION letters_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state NOT IN ('issued', 'delivered') THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
              END IF;
              IF TG_OP = 'DELETE'
                 OR NEW.state NOT IN ('issued', 'delivered')
                 OR (OLD.state = 'delivered' AND NEW.state <> 'delivered')
                 OR (NEW.case_id, NEW.agency_id, NEW.code, NEW.outcome, NEW.addressee, NEW.consultation_id, NEW.dated_on,
                     NEW.series, NEW.number_year, NEW.number_seq, NEW.number, NEW.issued_at, NEW.approved_by, NEW.approved_at)
                    IS DISTINCT FROM
                    (OLD.case_id, OLD.agency_id, OLD.code, OLD.outcome, OLD.addressee, OLD.consultation_id, OLD.dated_on,
                     OLD.series, OLD.number_year, OLD.number_seq, OLD.number, OLD.issued_at, OLD.approved_by, OLD.approved_at)
                 OR (OLD.rendered_at IS NOT NULL AND (NEW.rendered_at, NEW.sha256, NEW.storage_key) IS DISTINCT FROM (OLD.rendered_at, OLD.sha256, OLD.storage_key))
              THEN
                RAISE EXCEPTION 'an issued letter is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END $$`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "template_version"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "template_code"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "facts"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "mail_error"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "mailed_at"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "dispatch_reference"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "dispatched_on"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "dispatch_way"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "sealed_query_code"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS letter_pdfs_immutable ON "letter_pdfs"`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS letter_pdfs_immutable()`);
        await queryRunner.query(`DROP TABLE "letter_pdfs"`);
    }

}
