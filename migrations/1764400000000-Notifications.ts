import { MigrationInterface, QueryRunner } from "typeorm";

export class Notifications1764400000000 implements MigrationInterface {
    name = 'Notifications1764400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "scheduled_actions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dedupe_key" character varying(200) NOT NULL, "kind" character varying(32) NOT NULL, "case_id" uuid, "agency_id" uuid NOT NULL, "audience" character varying(16) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempt" integer NOT NULL DEFAULT '0', "enqueued_at" TIMESTAMP WITH TIME ZONE, "data" jsonb NOT NULL DEFAULT '{}', "recipients" uuid array, "sent_at" TIMESTAMP WITH TIME ZONE, "message_id" character varying(200), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d0b3ee369a10cd20677346d0b65" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_scheduled_actions_key" ON "scheduled_actions"  ("dedupe_key") `);
        await queryRunner.query(`CREATE INDEX "ix_scheduled_actions_case" ON "scheduled_actions"  ("case_id", "status") `);
        await queryRunner.query(`CREATE INDEX "ix_scheduled_actions_due" ON "scheduled_actions"  ("status", "due_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_scheduled_actions_due"`);
        await queryRunner.query(`DROP INDEX "public"."ix_scheduled_actions_case"`);
        await queryRunner.query(`DROP INDEX "public"."uq_scheduled_actions_key"`);
        await queryRunner.query(`DROP TABLE "scheduled_actions"`);
    }

}
