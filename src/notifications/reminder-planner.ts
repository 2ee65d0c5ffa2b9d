import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { CaseEvents, type CaseChange, type CaseChangeListener } from '../cases/case-events';
import { subDeadlinesOf } from '../cases/case-clock';
import type { CaseEntity } from '../cases/case.entity';
import { QueueService } from '../infra/queue/queue.service';
import { NotificationsRepository } from './notifications.repository';
import { DEFAULT_RULES, planReminders, type ReminderFacts } from './reminder-rules';

/** Rows due within this horizon are enqueued right after commit; later ones by the sweep. */
export const ENQUEUE_HORIZON_MS = 60_000;

/** The reminder facts of a case (no personal data). */
export function reminderFacts(c: CaseEntity, sub: ReturnType<typeof subDeadlinesOf>, todayOf: (d: Date) => string): ReminderFacts {
  return {
    caseId: c.id,
    state: c.state,
    dueDate: c.state === 'concluded' || c.state === 'discarded' ? null : c.dueDate,
    submittedOn: c.state === 'submitted' && c.submittedAt ? todayOf(c.submittedAt) : null,
    correctionRequestBy: sub.correctionRequestBy,
    correctionPeriodEnds: sub.correctionPeriodEnds,
    feePaymentEnds: sub.feePaymentEnds,
    consultationsRespondBy: sub.consultationsRespondBy,
    extensionRequestedOn: c.extension?.status === 'requested' && c.state !== 'concluded' ? c.extension.requestedOn : null,
    replyDraftedAt: c.replyDraft?.draftedAt ?? null,
    replyApprovals: c.replyDraft?.approvals.length ?? 0,
  };
}

/**
 * Listens to every case change and, in the same transaction, makes the case's scheduled
 * actions match what its facts now call for: moved deadlines cancel obsolete reminders.
 */
@Injectable()
export class ReminderPlanner implements CaseChangeListener, OnModuleInit {
  constructor(
    private readonly events: CaseEvents,
    private readonly repo: NotificationsRepository,
    private readonly agencies: AgenciesRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.events.register(this);
  }

  async plan(m: EntityManager, c: CaseEntity): Promise<void> {
    const cal = this.calendar.current();
    const agency = await this.agencies.findById(c.agencyId, m);
    const rules = agency?.reminderRules ?? DEFAULT_RULES;
    const facts = reminderFacts(c, subDeadlinesOf(c, cal), (d) => this.clock.todayOf(d));
    await this.repo.reconcileCase(m, c.id, c.agencyId, planReminders(facts, rules, cal, this.clock.now()));
  }

  async onCaseChanged(m: EntityManager, c: CaseEntity, _change: CaseChange): Promise<void> {
    await this.plan(m, c);
  }

  /** After commit: enqueue what is due soon; a failure here is caught up by the sweep. */
  async afterCommit(caseId: string, correlationId?: string): Promise<void> {
    const now = this.clock.now();
    const rows = await this.repo.claimForCase(caseId, new Date(now.getTime() + ENQUEUE_HORIZON_MS), now);
    for (const r of rows) {
      await this.queue.add('scheduled-action.run', { actionId: r.id, attempt: r.attempt, ...(correlationId ? { correlationId } : {}) }, { jobId: `${r.id}-${r.attempt}`, delay: Math.max(0, r.due_at.getTime() - now.getTime()) });
    }
  }
}
