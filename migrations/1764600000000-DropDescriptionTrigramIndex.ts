import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The trigram index on cases.description served no query: search filters by the unigram/bigram array
 * (ix_cases_search_grams) and rechecks with strpos, and the duplicate hints compute similarity() over the
 * applicant's own cases, found by their identity hash. Every intake still paid for it (a GIN entry per
 * trigram of the description). pg_trgm stays: similarity() is its function.
 */
export class DropDescriptionTrigramIndex1764600000000 implements MigrationInterface {
    name = 'DropDescriptionTrigramIndex1764600000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX IF EXISTS "ix_cases_description_trgm"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_cases_description_trgm" ON "cases" USING gin ("description" gin_trgm_ops)`);
    }
}
