/**
 * Statements shared verbatim with the HTTP benchmark's bare server (bench/bare-server.ts), so that
 * both sides of that comparison run the same SQL.
 */

/**
 * A case's planned reminders, one row per array element ($1 keys … $7 data); a key planned before stays as it is
 * here (no row lock taken on a conflict: a row a sender holds while its mail goes out does not block the case).
 */
export const INSERT_PLANNED_ACTIONS_SQL = `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::jsonb[])
       ON CONFLICT (dedupe_key) DO NOTHING`;

/**
 * Planned keys that exist already ($1 keys, $2 audience, $3 due_at, $4 data): one cancelled since (a pause that
 * left the deadline where it was, a deadline moved away and back) is pending again; a pending one takes its new
 * time and data (a calendar change that keeps the key). Sent and failed ones, and pending ones unchanged (which
 * a sender may hold), are not touched.
 */
export const REVIVE_PLANNED_ACTIONS_SQL = `UPDATE scheduled_actions s
          SET status = 'pending', due_at = p.due_at, data = p.data, audience = p.audience, enqueued_at = NULL, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[]) AS p(key, audience, due_at, data)
        WHERE s.dedupe_key = p.key
          AND (s.status = 'cancelled' OR (s.status = 'pending' AND (s.due_at <> p.due_at OR s.data <> p.data OR s.audience <> p.audience)))`;
