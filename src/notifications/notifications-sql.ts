/**
 * Statements shared verbatim with the HTTP benchmark's bare server (bench/bare-server.ts), so that
 * both sides of that comparison run the same SQL.
 */

/**
 * A case's planned reminders, one row per array element ($1 keys … $7 data). A key planned before and cancelled
 * since (a pause that left the deadline where it was, a deadline moved away and back) is pending again; a pending
 * one takes the new time and data (a calendar change that keeps the key); a sent or failed one stays as it is.
 */
export const INSERT_PLANNED_ACTIONS_SQL = `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::jsonb[])
       ON CONFLICT (dedupe_key) DO UPDATE
          SET status = 'pending', due_at = EXCLUDED.due_at, data = EXCLUDED.data, audience = EXCLUDED.audience, enqueued_at = NULL, updated_at = now()
        WHERE scheduled_actions.status = 'cancelled'
           OR (scheduled_actions.status = 'pending' AND (scheduled_actions.due_at <> EXCLUDED.due_at OR scheduled_actions.data <> EXCLUDED.data OR scheduled_actions.audience <> EXCLUDED.audience))`;
