/**
 * Statements shared verbatim with the HTTP benchmark's bare server (bench/bare-server.ts), so that
 * both sides of that comparison run the same SQL.
 */

/** A case's planned reminders, one row per array element ($1 keys … $7 data); a key planned before stays as it is. */
export const INSERT_PLANNED_ACTIONS_SQL = `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::jsonb[])
       ON CONFLICT (dedupe_key) DO NOTHING`;
