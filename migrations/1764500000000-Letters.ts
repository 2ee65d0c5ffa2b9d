import { MigrationInterface, QueryRunner } from "typeorm";

export class Letters1764500000000 implements MigrationInterface {
    name = 'Letters1764500000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "letters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "outcome" character varying(48), "addressee" character varying(16) NOT NULL, "consultation_id" uuid, "state" character varying(16) NOT NULL, "dated_on" date, "series" character varying(40), "number_year" integer, "number_seq" integer, "number" character varying(80), "issued_at" TIMESTAMP WITH TIME ZONE, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "delivered_on" date, "delivery_method" character varying(16), "rendered_at" TIMESTAMP WITH TIME ZONE, "sha256" character(64), "storage_key" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_letters_issued_numbered" CHECK ("state" NOT IN ('issued', 'delivered') OR ("number" IS NOT NULL AND "dated_on" IS NOT NULL AND "issued_at" IS NOT NULL)), CONSTRAINT "ck_letters_state" CHECK ("state" IN ('draft', 'approved', 'issued', 'delivered', 'cancelled')), CONSTRAINT "PK_bf70c41d26aa84cf2651d571889" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_letters_to_render" ON "letters"  ("issued_at") WHERE "state" IN ('issued', 'delivered') AND "rendered_at" IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_letters_number" ON "letters"  ("agency_id", "series", "number_year", "number_seq") `);
        await queryRunner.query(`CREATE INDEX "ix_letters_case" ON "letters"  ("case_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "letter_series" ("agency_id" uuid NOT NULL, "series" character varying(40) NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_2731bbd09123a50b901a7b403e2" PRIMARY KEY ("agency_id", "series", "year"))`);
        // an issued letter never changes: only its delivery, and once its rendering, may be recorded
        await queryRunner.query(`CREATE FUNCTION letters_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
        await queryRunner.query(`CREATE TRIGGER letters_issued_immutable BEFORE UPDATE OR DELETE ON "letters" FOR EACH ROW EXECUTE FUNCTION letters_issued_immutable()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "letter_series"`);
        await queryRunner.query(`DROP TRIGGER IF EXISTS letters_issued_immutable ON "letters"`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS letters_issued_immutable()`);
        await queryRunner.query(`DROP INDEX "public"."ix_letters_case"`);
        await queryRunner.query(`DROP INDEX "public"."uq_letters_number"`);
        await queryRunner.query(`DROP INDEX "public"."ix_letters_to_render"`);
        await queryRunner.query(`DROP TABLE "letters"`);
    }

}
