import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes of the annual report's aggregate queries, and the insert-only table of published reports. */
export class AnnualReport1764900000000 implements MigrationInterface {
  name = 'AnnualReport1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_cases_agency_receipt" ON "cases" ("agency_id", "receipt_date")`);
    await q.query(`CREATE INDEX "ix_cases_agency_concluded" ON "cases" ("agency_id", "concluded_on")`);
    await q.query(`CREATE INDEX "ix_reviews_agency_filed" ON "reviews" ("agency_id", "filed_on")`);
    await q.query(
      `CREATE TABLE "annual_report_publications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "year" integer NOT NULL, "include_sub_agencies" boolean NOT NULL, "published_on" date NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_by" uuid NOT NULL, "tables" jsonb NOT NULL, "fees" jsonb NOT NULL, CONSTRAINT "PK_annual_report_publications" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_annual_report_publications_scope" ON "annual_report_publications" ("agency_id", "year", "include_sub_agencies")`);
    await q.query(
      `CREATE FUNCTION annual_report_publications_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'annual_report_publications is insert-only'; END $$`,
    );
    await q.query(
      `CREATE TRIGGER annual_report_publications_insert_only BEFORE UPDATE OR DELETE ON "annual_report_publications" FOR EACH ROW EXECUTE FUNCTION annual_report_publications_insert_only()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "annual_report_publications"`);
    await q.query(`DROP FUNCTION annual_report_publications_insert_only()`);
    await q.query(`DROP INDEX "ix_reviews_agency_filed"`);
    await q.query(`DROP INDEX "ix_cases_agency_concluded"`);
    await q.query(`DROP INDEX "ix_cases_agency_receipt"`);
  }
}
