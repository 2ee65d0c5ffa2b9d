import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { CalendarService } from '../calendar/calendar.service';
import { APP_CONFIG, staffLink, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { maskName } from '../statute/id-number';
import { subDeadlinesOf } from '../cases/case-clock';
import type { CaseEntity } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { CASE_STATE_LABELS, OPEN_STATES } from '../statute/case-states';
import { JobRegistry } from '../infra/queue/job-registry';
import { WorkerHost } from '../infra/queue/worker-host';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { MailPort } from './mail/mail.port';
import { renderDigest, renderReminder, type DigestLine } from './mail/mail-templates';
import { NotificationsRepository } from './notifications.repository';
import { DEFAULT_RULES, planReminders, type ReminderRules } from '../statute/reminder-rules';
import { reminderFacts } from './reminder-facts';
import type { LockedAction } from './notifications.repository';

/** the row is locked by another sender at this moment */
export class ActionBusyError extends Error {
  constructor(id: string) {
    super(`scheduled action ${id} is being sent by another worker`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SendOutcome = 'sent' | 'skipped' | 'cancelled' | 'early';

/** a sender waits this long for more jobs to share one transaction with */
const BATCH_WAIT_MS = 3;
/** and takes at most this many actions in one transaction */
export const SEND_BATCH_MAX = 50;

interface Waiting {
  id: string;
  resolve(outcome: SendOutcome): void;
  reject(err: Error): void;
}

/**
 * Delivers scheduled actions. Idempotent: each row is locked (a concurrent duplicate skips
 * it), re-checked against the case as it is now, sent, and marked sent with the SMTP
 * message id in the same transaction once the server accepted the mail.
 *
 * The jobs a worker runs at the same moment share that transaction: `send(id)` joins a batch
 * of up to {@link SEND_BATCH_MAX} actions collected for a few milliseconds, locked with one
 * statement, sent in parallel and marked with one statement before the commit. A burst of
 * 100,000 reminders thus costs PostgreSQL a few thousand transactions, not 100,000, and a
 * worker holds one connection per batch rather than one per message in flight. Each job
 * still gets its own outcome: a refused mail fails its job only (BullMQ retries it), the
 * others of the batch are marked sent.
 */
@Injectable()
export class ReminderSender implements OnModuleInit {
  private readonly logger = new Logger(ReminderSender.name);
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: NotificationsRepository,
    private readonly users: UsersRepository,
    private readonly cases: CasesRepository,
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

  /** Sends one action (joining the current batch); rejects when it must be retried. */
  send(actionId: string): Promise<SendOutcome> {
    if (!UUID.test(actionId)) {
      this.logger.warn({ actionId }, 'scheduled-action job without a valid action id: dropped');
      return Promise.resolve('skipped');
    }
    return new Promise<SendOutcome>((resolve, reject) => {
      this.waiting.push({ id: actionId.toLowerCase(), resolve, reject });
      if (this.waiting.length >= SEND_BATCH_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    // sendBatch settles every waiting job itself; should it still throw, the batch's jobs fail and BullMQ retries them
    if (batch.length) this.sendBatch(batch).catch((e: Error) => batch.forEach((w) => w.reject(e)));
  }

  private async sendBatch(batch: Waiting[]): Promise<void> {
    const outcomes = new Map<string, SendOutcome | Error>();
    // the same action twice in one batch: the first one handles it
    const ids = [...new Set(batch.map((w) => w.id))];
    try {
      await this.ds.transaction(async (m) => {
        const locked = await this.repo.lockForSend(m, ids);
        const caseIds = [...new Set([...locked.values()].map((a) => a.caseId).filter((id): id is string => !!id))];
        const cases = new Map((await this.cases.findManyByIds(caseIds, m)).map((c) => [c.id, c]));
        // the batch's 承办人, read once (the agencies' clerks and supervisors come from a short cache)
        const assigneeIds = [...new Set([...cases.values()].map((c) => c.assigneeId).filter((id): id is string => !!id))];
        const assignees = new Map((await this.users.activeByIds(assigneeIds, m)).map((u) => [u.id, u]));
        // the rules of the cases' agencies as they are now: a reminder the agency has since turned off is cancelled
        const rules = new Map<string, ReminderRules>();
        for (const agencyId of new Set([...cases.values()].map((c) => c.agencyId))) rules.set(agencyId, (await this.agencies.findById(agencyId, m))?.reminderRules ?? DEFAULT_RULES);
        const now = this.clock.now();
        const sent: { id: string; recipients: string[]; messageId: string; at: Date }[] = [];
        const cancelled: { id: string; reason: string }[] = [];
        await Promise.all(
          [...locked.values()].map(async (a) => {
            try {
              if (a.status !== 'pending') return void outcomes.set(a.id, 'skipped');
              if (a.dueAt.getTime() > now.getTime() + 1000) return void outcomes.set(a.id, 'early'); // the sweep enqueues it again when due
              const c = a.caseId ? (cases.get(a.caseId) ?? null) : null;
              if (a.caseId) {
                const reason = c ? this.stillWanted(a, c, rules.get(c.agencyId) ?? DEFAULT_RULES) : 'case gone';
                if (reason !== true) {
                  cancelled.push({ id: a.id, reason });
                  return void outcomes.set(a.id, 'cancelled');
                }
              }
              const recipients = await this.recipients(a, c, assignees);
              if (!recipients.length) {
                cancelled.push({ id: a.id, reason: 'no recipient with an e-mail address' });
                return void outcomes.set(a.id, 'cancelled');
              }
              const msg = await this.compose(a, c);
              const info = await this.mail.send({ to: recipients.map((u) => u.email!), ...msg, messageId: `<${a.kind}.${a.id}@${this.mailDomain}>` });
              sent.push({ id: a.id, recipients: recipients.map((u) => u.id), messageId: info.messageId, at: this.clock.now() });
              outcomes.set(a.id, 'sent');
            } catch (e) {
              outcomes.set(a.id, e as Error);
            }
          }),
        );
        await this.repo.markDone(m, sent, cancelled);
      });
      // not locked by us: another sender holds it (BullMQ retries; it will find it sent, or send it), or it is gone
      const unlocked = ids.filter((id) => !outcomes.has(id));
      const pending = unlocked.length ? await this.repo.pendingAmong(unlocked) : new Set<string>();
      for (const id of unlocked) outcomes.set(id, pending.has(id) ? new ActionBusyError(id) : 'skipped');
    } catch (e) {
      // the transaction failed as a whole: nothing of it is marked; every job is retried
      for (const id of ids) outcomes.set(id, e as Error);
    }
    const first = new Set<string>();
    for (const w of batch) {
      const o = first.has(w.id) ? 'skipped' : outcomes.get(w.id);
      first.add(w.id);
      if (o instanceof Error) {
        // the error note is best effort: the job's own failure is what BullMQ acts on
        if (!(o instanceof ActionBusyError)) this.repo.recordError(w.id, o.message).catch(() => undefined);
        w.reject(o); // BullMQ retries with backoff
      } else w.resolve(o ?? 'skipped');
    }
  }

  private domain: string | null = null;
  private get mailDomain(): string {
    return (this.domain ??= new URL(this.config.publicUrl).hostname || 'localhost');
  }

  /** Re-checks against the case and its agency's rules now: the plan for it must still contain this key. */
  private stillWanted(a: LockedAction, c: CaseEntity, rules: ReminderRules): true | string {
    if (!OPEN_STATES.includes(c.state as never)) return `case ${c.state}`;
    const cal = this.calendar.current();
    const facts = reminderFacts(c, subDeadlinesOf(c, cal), (d) => this.clock.todayOf(d));
    // plan "as of" the action's due time, so a reminder that became due is still part of it
    const plan = planReminders(facts, rules, cal, a.dueAt);
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

  private async recipients(a: LockedAction, c: CaseEntity | null, assignees: Map<string, UserEntity>): Promise<UserEntity[]> {
    const agencyId = c?.agencyId ?? a.agencyId;
    const byRole = (role: 'clerk' | 'supervisor') => this.cached(`${agencyId}:${role}`, () => this.users.activeByAgencyAndRoles(agencyId, [role]));
    let people: UserEntity[];
    if (a.audience === 'supervisors') people = await byRole('supervisor');
    else if (c?.assigneeId) {
      // the 承办人 while still an active clerk of the case's agency with an address; else the agency's clerks
      const u = assignees.get(c.assigneeId);
      people = u && u.agencyId === c.agencyId && u.role === 'clerk' && u.email ? [u] : await byRole('clerk');
    } else people = await byRole('clerk');
    if (a.audience === 'handlers' && !people.length) people = await byRole('clerk');
    return people.filter((u) => !!u.email);
  }

  private async compose(a: LockedAction, c: CaseEntity | null): Promise<{ subject: string; text: string; html: string }> {
    const agencyId = c?.agencyId ?? a.agencyId;
    const agency = await this.cached(`agency:${agencyId}`, () => this.agencies.findById(agencyId));
    const agencyName = agency?.name ?? '';
    if (a.kind === 'daily_digest') return this.digest(a.agencyId, agencyName, typeof a.data.date === 'string' ? a.data.date : this.clock.today());
    // a reminder planned after its day goes out at once: it tells the working days left now, not those it was planned for
    const dueDate = c?.dueDate ?? (a.data.dueDate as string | undefined) ?? null;
    const today = this.clock.today();
    const data =
      a.kind === 'deadline_reminder' && dueDate && today <= dueDate
        ? { ...a.data, daysLeft: this.calendar.current().countWorkingDays(today, dueDate).workingDays }
        : a.data;
    return renderReminder({
      kind: a.kind,
      trackingNumber: c?.trackingNumber,
      applicantMasked: c ? maskName(c.applicantName, c.applicantType) : undefined,
      agencyName,
      dueDate,
      link: staffLink(this.config, c?.id),
      data,
    });
  }

  /** Supervisors' daily digest: due within 5 working days, overdue, waiting for approval — across sub-agencies. */
  private async digest(agencyId: string, agencyName: string, date: string) {
    const cal = this.calendar.current();
    const soon = cal.addWorkingDays(date, 5).date;
    const names = new Map((await this.agencies.findSubtree(agencyId)).map((a) => [a.id, a.name]));
    const rows = await this.cases.digestRows([...names.keys()], soon);
    const line = (r: (typeof rows)[number]): DigestLine => ({ trackingNumber: r.trackingNumber, agencyName: names.get(r.agencyId) ?? '', dueDate: r.due, stateLabel: CASE_STATE_LABELS[r.state] });
    return renderDigest({
      agencyName,
      date,
      link: staffLink(this.config),
      overdue: rows.filter((r) => r.due && r.due < date).map(line),
      dueSoon: rows.filter((r) => r.due && r.due >= date && r.due <= soon).map(line),
      awaitingApproval: rows.filter((r) => r.state === 'reply_review' || r.extensionRequested).map(line),
    });
  }
}
