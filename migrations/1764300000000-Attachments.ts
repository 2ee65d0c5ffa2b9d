/** Case attachments (files in the storage port, metadata here). Written to match the entity; checked with migration:generate --dryrun. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Attachments1764300000000 implements MigrationInterface {
    name = 'Attachments1764300000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "attachments" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "file_name" character varying(200) NOT NULL, "content_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "storage_key" character varying(200) NOT NULL, "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_attachments" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_attachments_storage_key" ON "attachments" ("storage_key") `);
        await queryRunner.query(`CREATE INDEX "ix_attachments_case" ON "attachments" ("case_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_attachments_case"`);
        await queryRunner.query(`DROP INDEX "public"."uq_attachments_storage_key"`);
        await queryRunner.query(`DROP TABLE "attachments"`);
    }
}
