/** Cases, their append-only history and reviews. Generated from the entities, reviewed; hand-written part marked. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Cases1764200000000 implements MigrationInterface {
    name = 'Cases1764200000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "case_history" ("id" BIGSERIAL NOT NULL, "case_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "on" date, "actor_id" uuid, "actor_role" character varying(16) NOT NULL, "action" character varying(40) NOT NULL, "from_state" character varying(24), "to_state" character varying(24), "payload" jsonb NOT NULL DEFAULT '{}'::jsonb, "recorded_late" boolean NOT NULL DEFAULT false, "version_after" integer, CONSTRAINT "PK_c3afb6b822ee2a4b1602b33d595" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_case_history_case" ON "case_history"  ("case_id", "id") `);
        await queryRunner.query(`CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "tracking_number" character varying(20) NOT NULL, "query_code_hash" character(64) NOT NULL, "agency_id" uuid NOT NULL, "state" character varying(24) NOT NULL, "version" integer NOT NULL DEFAULT '1', "channel" character varying(20) NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE, "receipt_date" date, "applicant_type" character varying(20) NOT NULL, "applicant_name" character varying(100) NOT NULL, "applicant_id_type" character varying(20) NOT NULL, "applicant_id_enc" text NOT NULL, "applicant_id_hash" character(64) NOT NULL, "applicant_id_masked" character varying(40) NOT NULL, "applicant_phone_enc" text, "applicant_phone_masked" character varying(40), "applicant_email" character varying(200), "applicant_address" character varying(200), "description" text NOT NULL, "document_number" character varying(100), "form" character varying(16) NOT NULL, "delivery" character varying(16) NOT NULL, "search_grams" text array NOT NULL, "assignee_id" uuid, "correction" jsonb, "consultations" jsonb NOT NULL DEFAULT '[]'::jsonb, "extension" jsonb, "delayed_until" date, "delayed_reason" text, "fee" jsonb, "reply_draft" jsonb, "deliveries" jsonb NOT NULL DEFAULT '[]'::jsonb, "last_step_on" date, "outcome" character varying(40), "outcome_details" jsonb, "concluded_on" date, "discard_reason" text, "due_date" date, "computed_due" date, "deadline_provisional" boolean NOT NULL DEFAULT false, "concluded_late" boolean, "reopened_from" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_cases_seq" ON "cases"  ("seq") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_cases_tracking_number" ON "cases"  ("tracking_number") `);
        await queryRunner.query(`CREATE INDEX "ix_cases_outcome" ON "cases"  ("outcome") `);
        await queryRunner.query(`CREATE INDEX "ix_cases_state" ON "cases"  ("state") `);
        await queryRunner.query(`CREATE INDEX "ix_cases_due" ON "cases"  ("due_date") `);
        await queryRunner.query(`CREATE INDEX "ix_cases_id_hash" ON "cases"  ("applicant_id_hash") `);
        await queryRunner.query(`CREATE INDEX "ix_cases_agency_created" ON "cases"  ("agency_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "filed_on" date NOT NULL, "result" character varying(16) NOT NULL DEFAULT 'pending', "concluded_on" date, "decision_received_on" date, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_reviews_case" ON "reviews"  ("case_id") `);
        await queryRunner.query(`ALTER TABLE "agencies" ALTER COLUMN "letter_prefixes" SET DEFAULT '{}'::jsonb`);
        await queryRunner.query(`ALTER TABLE "calendar_years" ALTER COLUMN "notices" SET DEFAULT '{}'::text[]`);

        // ---- hand-written ----
        // tracking numbers: Y{year}{sequence}
        await queryRunner.query(`CREATE SEQUENCE IF NOT EXISTS "case_tracking_seq" START 1`);
        // Chinese search: our own unigram/bigram array (short terms) and trigrams (similarity for duplicate hints)
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await queryRunner.query(`CREATE INDEX "ix_cases_search_grams" ON "cases" USING gin ("search_grams")`);
        await queryRunner.query(`CREATE INDEX "ix_cases_description_trgm" ON "cases" USING gin ("description" gin_trgm_ops)`);
        // the history is append-only: the database refuses UPDATE and DELETE
        await queryRunner.query(`CREATE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'case_history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
        await queryRunner.query(`CREATE TRIGGER case_history_no_update BEFORE UPDATE OR DELETE ON "case_history" FOR EACH ROW EXECUTE FUNCTION case_history_append_only()`);
        await queryRunner.query(`CREATE TRIGGER case_history_no_truncate BEFORE TRUNCATE ON "case_history" FOR EACH STATEMENT EXECUTE FUNCTION case_history_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER IF EXISTS case_history_no_truncate ON "case_history"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS case_history_no_update ON "case_history"`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS case_history_append_only()`);
        await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_cases_description_trgm"`);
        await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_cases_search_grams"`);
        await queryRunner.query(`DROP SEQUENCE IF EXISTS "case_tracking_seq"`);
        await queryRunner.query(`ALTER TABLE "calendar_years" ALTER COLUMN "notices" SET DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "agencies" ALTER COLUMN "letter_prefixes" SET DEFAULT '{}'`);
        await queryRunner.query(`DROP INDEX "public"."ix_reviews_case"`);
        await queryRunner.query(`DROP TABLE "reviews"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_agency_created"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_id_hash"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_due"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_state"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_outcome"`);
        await queryRunner.query(`DROP INDEX "public"."uq_cases_tracking_number"`);
        await queryRunner.query(`DROP INDEX "public"."uq_cases_seq"`);
        await queryRunner.query(`DROP TABLE "cases"`);
        await queryRunner.query(`DROP INDEX "public"."ix_case_history_case"`);
        await queryRunner.query(`DROP TABLE "case_history"`);
    }

}
