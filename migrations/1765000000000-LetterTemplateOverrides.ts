import { MigrationInterface, QueryRunner } from 'typeorm';

/** Agencies' versioned letter template texts (insert-only). */
export class LetterTemplateOverrides1765000000000 implements MigrationInterface {
  name = 'LetterTemplateOverrides1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "letter_template_overrides" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "template_code" character varying(64) NOT NULL, "version" integer NOT NULL, "source" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_letter_template_overrides" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_letter_template_overrides_version" ON "letter_template_overrides" ("agency_id", "template_code", "version")`);
    await q.query(
      `CREATE FUNCTION letter_template_overrides_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'letter_template_overrides is insert-only'; END $$`,
    );
    await q.query(
      `CREATE TRIGGER letter_template_overrides_insert_only BEFORE UPDATE OR DELETE ON "letter_template_overrides" FOR EACH ROW EXECUTE FUNCTION letter_template_overrides_insert_only()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "letter_template_overrides"`);
    await q.query(`DROP FUNCTION letter_template_overrides_insert_only()`);
  }
}
