import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditTrail1765200000000 implements MigrationInterface {
    name = 'AuditTrail1765200000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" character varying(32) NOT NULL, "user_id" uuid, "client_address" character varying(64), "correlation_id" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_audit_events_occurred_at" ON "audit_events" ("occurred_at") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_events_user" ON "audit_events" ("user_id", "occurred_at") `);
        // append-only: no UPDATE, no TRUNCATE, no DELETE of a row younger than the legal six months (184 days)
        await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '184 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$`);
        await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
        await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER IF EXISTS audit_events_no_truncate ON "audit_events"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS audit_events_append_only ON "audit_events"`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS audit_events_append_only()`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_events_user"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_events_occurred_at"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
    }

}
