import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PlannedAction } from '../statute/reminder-rules';
import { ScheduledActionEntity } from './scheduled-action.entity';
import { hydrate, returnedRows } from '../infra/database/raw-rows';
import { INSERT_PLANNED_ACTIONS_SQL, REVIVE_PLANNED_ACTIONS_SQL } from './notifications-sql';

/** What the sender needs of a scheduled action it holds locked. */
export type LockedAction = Pick<ScheduledActionEntity, 'id' | 'dedupeKey' | 'kind' | 'caseId' | 'agencyId' | 'audience' | 'dueAt' | 'status' | 'attempt' | 'data'>;


@Injectable()
export class NotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Makes the case's pending actions equal the plan: new ones inserted, cancelled ones planned
   * again revived, pending ones moved to their planned time (a key sent or failed stays as it is),
   * pending ones no longer planned cancelled.
   */
  async reconcileCase(m: EntityManager, caseId: string, agencyId: string, plan: PlannedAction[], isNew = false): Promise<void> {
    const keys = plan.map((p) => p.key);
    // a new case has nothing planned yet
    // rows a sender holds (its mail going out now, wanted as the case stood) are skipped, not waited for: the
    // case's step must not wait for a mail server; if that send rolls back, it re-checks against the case then
    if (!isNew) await m.query(
      `UPDATE scheduled_actions SET status = 'cancelled', updated_at = now()
        WHERE id IN (SELECT id FROM scheduled_actions
                      WHERE case_id = $1 AND status = 'pending' AND NOT (dedupe_key = ANY($2::text[]))
                      FOR UPDATE SKIP LOCKED)`,
      [caseId, keys],
    );
    if (!plan.length) return;
    if (!isNew) {
      await m.query(REVIVE_PLANNED_ACTIONS_SQL, [
        keys,
        plan.map((p) => p.audience),
        plan.map((p) => p.dueAt.toISOString()),
        plan.map((p) => JSON.stringify(p.data)),
      ]);
    }
    await m.query(
      INSERT_PLANNED_ACTIONS_SQL,
      [
        keys,
        plan.map((p) => p.kind),
        plan.map(() => caseId),
        plan.map(() => agencyId),
        plan.map((p) => p.audience),
        plan.map((p) => p.dueAt.toISOString()),
        plan.map((p) => JSON.stringify(p.data)),
      ],
    );
  }

  /** One digest per agency with an active supervisor (unless its rules turn digests off), once per day. */
  async insertDigests(date: string, dueAt: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO scheduled_actions (dedupe_key, kind, case_id, agency_id, audience, due_at, data)
       SELECT 'digest:' || a.id || ':' || $1, 'daily_digest', NULL, a.id, 'supervisors', $2, jsonb_build_object('date', $1::text)
         FROM agencies a
        WHERE coalesce((a.reminder_rules->>'dailyDigest')::boolean, true)
          AND EXISTS (SELECT 1 FROM users u WHERE u.agency_id = a.id AND u.role = 'supervisor' AND u.active)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [date, dueAt],
    );
  }

  /**
   * Claims due actions for the sweep in one short statement (two sweeps never take the same
   * row): pending, due within the horizon, never enqueued or enqueued long enough ago that
   * the job should have run. The attempt is bumped and the enqueue time set; the caller then
   * enqueues outside any transaction (a failed enqueue is retried once the row is stale again).
   * A failed action (its job's retries ran out: the mail server was down longer than they last) is
   * not done either: it is taken again, pending, once `failedBefore` is past its last enqueue, until
   * it has been tried `maxAttempts` times; the sender still checks that it is wanted.
   */
  async claimForSweep(
    horizon: Date,
    staleBefore: Date,
    now: Date,
    limit: number,
    failedBefore: Date = staleBefore,
    maxAttempts = 0,
  ): Promise<{ id: string; attempt: number; due_at: Date; was_enqueued: boolean }[]> {
    return returnedRows(await this.ds.query(
      `WITH due AS (
         SELECT id, enqueued_at IS NOT NULL AS was_enqueued FROM scheduled_actions
          WHERE due_at <= $1
            AND ((status = 'pending' AND (enqueued_at IS NULL OR enqueued_at <= $2))
              OR (status = 'failed' AND enqueued_at <= $5 AND attempt < $6))
          ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE scheduled_actions s SET status = 'pending', attempt = s.attempt + 1, enqueued_at = $3, updated_at = now()
         FROM due WHERE s.id = due.id
       RETURNING s.id, s.attempt, s.due_at, due.was_enqueued`,
      [horizon, staleBefore, now, limit, failedBefore, maxAttempts],
    ));
  }

  /** The after-commit path claims a case's actions due soon that nobody enqueued yet. */
  async claimForCase(caseId: string, horizon: Date, now: Date): Promise<{ id: string; attempt: number; due_at: Date }[]> {
    return returnedRows(await this.ds.query(
      `UPDATE scheduled_actions SET attempt = attempt + 1, enqueued_at = $3, updated_at = now()
        WHERE id IN (SELECT id FROM scheduled_actions WHERE case_id = $1 AND status = 'pending' AND enqueued_at IS NULL AND due_at <= $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, attempt, due_at`,
      [caseId, horizon, now],
    ));
  }

  /**
   * The actions of a send batch, locked until the transaction ends; a row another sender
   * holds is skipped (SKIP LOCKED) and missing from the answer.
   */
  async lockForSend(m: EntityManager, ids: string[]): Promise<Map<string, LockedAction>> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, dedupe_key, kind, case_id, agency_id, audience, due_at, status, attempt, data
         FROM scheduled_actions WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id as string, hydrate(m, ScheduledActionEntity, r) as LockedAction]));
  }

  /** Marks a send batch's outcomes in one statement: the sent ones with their message ids, the cancelled with the reason. */
  async markDone(m: EntityManager, sent: { id: string; recipients: string[]; messageId: string; at: Date }[], cancelled: { id: string; reason: string }[]): Promise<void> {
    if (!sent.length && !cancelled.length) return;
    await m.query(
      `UPDATE scheduled_actions s
          SET status = v.status, recipients = coalesce(v.recipients::uuid[], s.recipients), message_id = coalesce(v.message_id, s.message_id),
              sent_at = coalesce(v.sent_at, s.sent_at), last_error = v.last_error, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS v(id, status, recipients, message_id, sent_at, last_error)
        WHERE s.id = v.id`,
      [
        [...sent.map((x) => x.id), ...cancelled.map((x) => x.id)],
        [...sent.map(() => 'sent'), ...cancelled.map(() => 'cancelled')],
        [...sent.map((x) => `{${x.recipients.join(',')}}`), ...cancelled.map(() => null)],
        [...sent.map((x) => x.messageId), ...cancelled.map(() => null)],
        [...sent.map((x) => x.at.toISOString()), ...cancelled.map(() => null)],
        [...sent.map(() => null), ...cancelled.map((x) => x.reason)],
      ],
    );
  }

  /** Which of these actions still wait to be sent (for a sender that found them locked). */
  async pendingAmong(ids: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM scheduled_actions WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids]);
    return new Set(rows.map((r) => r.id));
  }


  /** BullMQ gave up on the job of this attempt; a later attempt (re-enqueued by the sweep) keeps the row alive. */
  async markFailed(id: string, attempt: number, error: string): Promise<void> {
    await this.ds.query(`UPDATE scheduled_actions SET status = 'failed', last_error = $3, updated_at = now() WHERE id = $1 AND status = 'pending' AND attempt = $2`, [
      id,
      attempt,
      error.slice(0, 2000),
    ]);
  }

  async recordError(id: string, error: string): Promise<void> {
    await this.ds.query(`UPDATE scheduled_actions SET last_error = $2, updated_at = now() WHERE id = $1`, [id, error.slice(0, 2000)]);
  }

  /** Scheduled actions counted by kind and status (the `/metrics` gauge). */
  countByKindAndStatus(): Promise<{ kind: string; status: string; n: number }[]> {
    return this.ds.query(`SELECT kind, status, count(*)::int AS n FROM scheduled_actions GROUP BY kind, status`);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows: { status: string; n: number }[] = await this.ds.query(`SELECT status, count(*)::int AS n FROM scheduled_actions GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
