import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { CalendarService } from '../calendar/calendar.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { maskName } from '../common/identity/id-number';
import { subDeadlinesOf } from '../cases/case-clock';
import { CaseEntity } from '../cases/case.entity';
import { CASE_STATE_LABELS, OPEN_STATES } from '../cases/domain/case-states';
import { JobRegistry } from '../infra/queue/job-registry';
import { WorkerHost } from '../infra/queue/worker-host';
import { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { MailPort } from './mail/mail.port';
import { renderDigest, renderReminder, type DigestLine } from './mail/mail-templates';
import { NotificationsRepository } from './notifications.repository';
import { reminderFacts } from './reminder-planner';
import { DEFAULT_RULES, planReminders } from './reminder-rules';
import type { ScheduledActionEntity } from './scheduled-action.entity';

/** the row is locked by another sender at this moment */
export class ActionBusyError extends Error {
  constructor(id: string) {
    super(`scheduled action ${id} is being sent by another worker`);
  }
}

export type SendOutcome = 'sent' | 'skipped' | 'cancelled' | 'early';

/**
 * Delivers one scheduled action. Idempotent: the row is locked (a concurrent duplicate
 * skips it), re-checked against the case as it is now, sent, and marked sent with the
 * SMTP message id in the same transaction once the server accepted the mail.
 */
@Injectable()
export class ReminderSender implements OnModuleInit {
  private readonly logger = new Logger(ReminderSender.name);

  constructor(
    private readonly ds: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly users: UsersRepository,
    private readonly agencies: AgenciesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly mail: MailPort,
    private readonly registry: JobRegistry,
    private readonly workers: WorkerHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register('scheduled-action.run', async (data) => {
      const outcome = await this.send(data.actionId);
      this.logger.debug({ actionId: data.actionId, attempt: data.attempt, outcome, correlationId: data.correlationId }, 'scheduled action handled');
      return outcome;
    });
    this.workers.addHooks({
      onExhausted: async (job: Job) => {
        if (job.name !== 'scheduled-action.run') return;
        const data = job.data as { actionId: string; attempt: number };
        await this.repo.markFailed(data.actionId, data.attempt, job.failedReason ?? 'failed');
      },
    });
  }

  async send(actionId: string): Promise<SendOutcome> {
    try {
      return await this.ds.transaction(async (m) => {
        const a = await this.repo.lockForSend(m, actionId);
        if (!a) {
          // another sender holds it: let BullMQ retry; it will find it sent, or send it
          if (await this.repo.isPending(actionId)) throw new ActionBusyError(actionId);
          return 'skipped';
        }
        if (a.status !== 'pending') return 'skipped';
        const now = this.clock.now();
        if (a.dueAt.getTime() > now.getTime() + 1000) return 'early'; // the sweep enqueues it again when due
        const c = a.caseId ? await m.getRepository(CaseEntity).findOne({ where: { id: a.caseId } }) : null;
        if (a.caseId) {
          const reason = c ? this.stillWanted(a, c) : 'case gone';
          if (reason !== true) {
            await this.repo.markCancelled(m, a.id, reason);
            return 'cancelled';
          }
        }
        const recipients = await this.recipients(a, c);
        if (!recipients.length) {
          await this.repo.markCancelled(m, a.id, 'no recipient with an e-mail address');
          return 'cancelled';
        }
        const msg = await this.compose(a, c);
        const messageId = `<${a.kind}.${a.id}@${new URL(this.config.publicUrl).hostname || 'localhost'}>`;
        const info = await this.mail.send({ to: recipients.map((u) => u.email!), ...msg, messageId });
        await this.repo.markSent(m, a.id, recipients.map((u) => u.id), info.messageId, this.clock.now());
        return 'sent';
      });
    } catch (e) {
      if (!(e instanceof ActionBusyError)) await this.repo.recordError(actionId, (e as Error).message).catch(() => undefined);
      throw e; // BullMQ retries with backoff
    }
  }

  /** Re-checks against the case now: the plan for it must still contain this key. */
  private stillWanted(a: ScheduledActionEntity, c: CaseEntity): true | string {
    if (!OPEN_STATES.includes(c.state as never)) return `case ${c.state}`;
    const cal = this.calendar.current();
    const facts = reminderFacts(c, subDeadlinesOf(c, cal), (d) => this.clock.todayOf(d));
    // plan "as of" the action's due time, so a reminder that became due is still part of it
    const plan = planReminders(facts, DEFAULT_RULES_FOR(a), cal, a.dueAt);
    return plan.some((p) => p.key === a.dedupeKey) ? true : 'no longer due';
  }

  /** A few seconds of memory for the people and names of an agency: a burst of reminders reads them once. */
  private readonly cache = new Map<string, { until: number; value: Promise<unknown> }>();
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { until: now + 5000, value });
    if (this.cache.size > 5000) this.cache.clear();
    return value;
  }

  private async recipients(a: ScheduledActionEntity, c: CaseEntity | null): Promise<UserEntity[]> {
    const agencyId = c?.agencyId ?? a.agencyId;
    const byRole = (role: 'clerk' | 'supervisor') => this.cached(`${agencyId}:${role}`, () => this.users.activeByAgencyAndRoles(agencyId, [role]));
    let people: UserEntity[];
    if (a.audience === 'supervisors') people = await byRole('supervisor');
    else if (c?.assigneeId) people = await this.ds.getRepository(UserEntity).find({ where: { id: In([c.assigneeId]), active: true } });
    else people = await byRole('clerk');
    if (a.audience === 'handlers' && !people.length) people = await byRole('clerk');
    return people.filter((u) => !!u.email);
  }

  private async compose(a: ScheduledActionEntity, c: CaseEntity | null): Promise<{ subject: string; text: string; html: string }> {
    const agencyId = c?.agencyId ?? a.agencyId;
    const agency = await this.cached(`agency:${agencyId}`, () => this.agencies.findById(agencyId));
    const agencyName = agency?.name ?? '';
    if (a.kind === 'daily_digest') return this.digest(a.agencyId, agencyName, String(a.data.date ?? this.clock.today()));
    return renderReminder({
      kind: a.kind,
      trackingNumber: c?.trackingNumber,
      applicantMasked: c ? maskName(c.applicantName, c.applicantType) : undefined,
      agencyName,
      dueDate: c?.dueDate ?? (a.data.dueDate as string | undefined) ?? null,
      link: c ? `${this.config.publicUrl}/cases/${c.id}` : `${this.config.publicUrl}/deadlines`,
      data: a.data,
    });
  }

  /** Supervisors' daily digest: due within 5 working days, overdue, waiting for approval — across sub-agencies. */
  private async digest(agencyId: string, agencyName: string, date: string) {
    const cal = this.calendar.current();
    const soon = cal.addWorkingDays(date, 5).date;
    const rows: { tracking_number: string; agency_name: string; due: string | null; state: string; ext: boolean }[] = await this.ds.query(
      `SELECT c.tracking_number, a.name AS agency_name, to_char(c.due_date, 'YYYY-MM-DD') AS due, c.state,
              (c.extension->>'status' = 'requested') AS ext
         FROM cases c JOIN agencies a ON a.id = c.agency_id
        WHERE a.path LIKE (SELECT path FROM agencies WHERE id = $1) || '%'
          AND c.state = ANY($2::text[])
          AND (c.due_date <= $3 OR c.state = 'reply_review' OR c.extension->>'status' = 'requested')
        ORDER BY c.due_date NULLS LAST LIMIT 500`,
      [agencyId, [...OPEN_STATES], soon],
    );
    const line = (r: (typeof rows)[number]): DigestLine => ({ trackingNumber: r.tracking_number, agencyName: r.agency_name, dueDate: r.due, stateLabel: CASE_STATE_LABELS[r.state as keyof typeof CASE_STATE_LABELS] });
    return renderDigest({
      agencyName,
      date,
      link: `${this.config.publicUrl}/deadlines`,
      overdue: rows.filter((r) => r.due && r.due < date).map(line),
      dueSoon: rows.filter((r) => r.due && r.due >= date && r.due <= soon).map(line),
      awaitingApproval: rows.filter((r) => r.state === 'reply_review' || r.ext).map(line),
    });
  }
}

/** The agency's rules are re-read when planning; for the re-check the key alone matters (dates are in it). */
function DEFAULT_RULES_FOR(a: ScheduledActionEntity) {
  if (a.kind !== 'deadline_reminder') return DEFAULT_RULES;
  const n = Number(a.data.daysBefore ?? 0);
  return { ...DEFAULT_RULES, beforeDue: n > 0 ? [n] : [], onDueDay: n === 0 };
}
