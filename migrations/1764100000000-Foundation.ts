/** Foundation: agencies, users, refresh tokens, rate limits, calendar years, idempotency keys. Generated from the entities, reviewed. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1764100000000 implements MigrationInterface {
    name = 'Foundation1764100000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "code" character varying(40) NOT NULL, "parent_id" uuid, "path" text NOT NULL, "reconsideration_body" character varying(100), "court" character varying(100), "letter_prefixes" jsonb NOT NULL DEFAULT '{}'::jsonb, "correction_period_days" integer NOT NULL DEFAULT '15', "approval_steps" integer NOT NULL DEFAULT '1', "reminder_rules" jsonb, "address" character varying(200), "phone" character varying(40), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_agencies_code" ON "agencies"  ("code") `);
        await queryRunner.query(`CREATE INDEX "ix_agencies_path" ON "agencies"  ("path") `);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "family_id" uuid NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") `);
        await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens"  ("family_id") `);
        await queryRunner.query(`CREATE TABLE "calendar_years" ("year" integer NOT NULL, "off" date array NOT NULL, "work" date array NOT NULL, "notices" text array NOT NULL DEFAULT '{}'::text[], "loaded_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1fed249d26e56ff06bb6dffd8d6" PRIMARY KEY ("year"))`);
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("key" character varying(300) NOT NULL, "request_hash" character(64) NOT NULL, "status_code" integer NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE TABLE "rate_limits" ("key" character varying(200) NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_3213d6711ea80b8df2343869b0e" PRIMARY KEY ("key", "window_start"))`);
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "password_hash" text NOT NULL, "display_name" character varying(100) NOT NULL, "email" character varying(200), "role" character varying(16) NOT NULL, "agency_id" uuid, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users"  ("username") `);
        await queryRunner.query(`CREATE INDEX "ix_users_agency" ON "users"  ("agency_id") `);
        // hand-written: user names unique regardless of case; agency paths searched by prefix
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username_lower" ON "users" (lower("username"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_users_username_lower"`);
        await queryRunner.query(`DROP INDEX "public"."ix_users_agency"`);
        await queryRunner.query(`DROP INDEX "public"."uq_users_username"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP TABLE "rate_limits"`);
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
        await queryRunner.query(`DROP TABLE "calendar_years"`);
        await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_family"`);
        await queryRunner.query(`DROP INDEX "public"."uq_refresh_tokens_hash"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."ix_agencies_path"`);
        await queryRunner.query(`DROP INDEX "public"."uq_agencies_code"`);
        await queryRunner.query(`DROP TABLE "agencies"`);
    }

}
