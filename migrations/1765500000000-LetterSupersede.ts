import { MigrationInterface, QueryRunner } from "typeorm";

/** The trigger's guard of an issued letter, with or without the superseded state (up and down). */
const immutableFunction = (withSupersede: boolean) => `CREATE OR REPLACE FUNCTION letters_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state NOT IN (${withSupersede ? `'issued', 'delivered', 'superseded'` : `'issued', 'delivered'`}) THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
              END IF;
              IF TG_OP = 'DELETE'
                 OR NEW.state NOT IN (${withSupersede ? `'issued', 'delivered', 'superseded'` : `'issued', 'delivered'`})
                 OR (OLD.state = 'delivered' AND NEW.state ${withSupersede ? `NOT IN ('delivered', 'superseded')` : `<> 'delivered'`})
                 ${withSupersede ? `OR (OLD.state = 'superseded' AND NEW.state <> 'superseded')
                 OR (OLD.superseded_by IS NOT NULL AND NEW.superseded_by IS DISTINCT FROM OLD.superseded_by)
                 OR (OLD.supersedes IS NOT NULL AND (NEW.supersedes, NEW.supersede_reason) IS DISTINCT FROM (OLD.supersedes, OLD.supersede_reason))` : ''}
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
            END $$`;

/**
 * Corrections never edit: a mistaken issued letter is superseded by a new one. The old letter's state becomes
 * `superseded` with a link to its replacement (set once); the new one links back with the reason; everything else of
 * an issued letter stays as the trigger already keeps it.
 */
export class LetterSupersede1765500000000 implements MigrationInterface {
    name = 'LetterSupersede1765500000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "letters" ADD "supersedes" uuid`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "superseded_by" uuid`);
        await queryRunner.query(`ALTER TABLE "letters" ADD "supersede_reason" character varying(500)`);
        await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "ck_letters_state"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "ck_letters_issued_numbered"`);
        await queryRunner.query(`ALTER TABLE "letters" ADD CONSTRAINT "ck_letters_state" CHECK ("state" IN ('draft', 'approved', 'issued', 'delivered', 'cancelled', 'superseded'))`);
        await queryRunner.query(`ALTER TABLE "letters" ADD CONSTRAINT "ck_letters_issued_numbered" CHECK ("state" NOT IN ('issued', 'delivered', 'superseded') OR ("number" IS NOT NULL AND "dated_on" IS NOT NULL AND "issued_at" IS NOT NULL))`);
        await queryRunner.query(`ALTER TABLE "letters" ADD CONSTRAINT "ck_letters_superseded_linked" CHECK ("state" <> 'superseded' OR "superseded_by" IS NOT NULL)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_letters_supersedes" ON "letters" ("supersedes") WHERE "supersedes" IS NOT NULL`);
        await queryRunner.query(immutableFunction(true));
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(immutableFunction(false));
        await queryRunner.query(`DROP INDEX "public"."uq_letters_supersedes"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "ck_letters_superseded_linked"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "ck_letters_issued_numbered"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP CONSTRAINT "ck_letters_state"`);
        await queryRunner.query(`ALTER TABLE "letters" ADD CONSTRAINT "ck_letters_issued_numbered" CHECK ("state" NOT IN ('issued', 'delivered') OR ("number" IS NOT NULL AND "dated_on" IS NOT NULL AND "issued_at" IS NOT NULL))`);
        await queryRunner.query(`ALTER TABLE "letters" ADD CONSTRAINT "ck_letters_state" CHECK ("state" IN ('draft', 'approved', 'issued', 'delivered', 'cancelled'))`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "supersede_reason"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "superseded_by"`);
        await queryRunner.query(`ALTER TABLE "letters" DROP COLUMN "supersedes"`);
    }

}
