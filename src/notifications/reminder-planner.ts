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
import type { ReminderRules } from '../agencies/agency.entity';
import { DEFAULT_RULES, planReminders } from '../statute/reminder-rules';
import { reminderFacts } from './reminder-facts';

/** Rows due within this horizon are enqueued right after commit; later ones by the sweep. */
export const ENQUEUE_HORIZON_MS = 60_000;

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

  /** an agency's reminder rules, remembered a few seconds (a change applies to the next plans) */
  private readonly rules = new Map<string, { until: number; rules: Promise<ReminderRules> }>();
  /** cases whose plan has something due within the horizon: the after-commit path enqueues it */
  private readonly dueSoon = new Set<string>();

  private rulesOf(agencyId: string, m: EntityManager): Promise<ReminderRules> {
    const hit = this.rules.get(agencyId);
    if (hit && hit.until > Date.now()) return hit.rules;
    const rules = this.agencies.findById(agencyId, m).then((a) => a?.reminderRules ?? DEFAULT_RULES);
    this.rules.set(agencyId, { until: Date.now() + 5000, rules });
    return rules;
  }

  async plan(m: EntityManager, c: CaseEntity, isNew = false): Promise<void> {
    const cal = this.calendar.current();
    const rules = await this.rulesOf(c.agencyId, m);
    const facts = reminderFacts(c, subDeadlinesOf(c, cal), (d) => this.clock.todayOf(d));
    const now = this.clock.now();
    const plan = planReminders(facts, rules, cal, now);
    await this.repo.reconcileCase(m, c.id, c.agencyId, plan, isNew);
    if (plan.some((p) => p.dueAt.getTime() <= now.getTime() + ENQUEUE_HORIZON_MS)) {
      if (this.dueSoon.size > 10_000) this.dueSoon.clear(); // ids of rolled-back transactions
      this.dueSoon.add(c.id);
    }
  }

  async onCaseChanged(m: EntityManager, c: CaseEntity, change: CaseChange): Promise<void> {
    await this.plan(m, c, change.fromState === null);
  }

  /** After commit: enqueue what is due soon; a failure here is caught up by the sweep. */
  async afterCommit(caseId: string, correlationId?: string): Promise<void> {
    if (!this.dueSoon.delete(caseId)) return; // nothing due within the horizon: the sweep's business
    const now = this.clock.now();
    const rows = await this.repo.claimForCase(caseId, new Date(now.getTime() + ENQUEUE_HORIZON_MS), now);
    for (const r of rows) {
      await this.queue.add('scheduled-action.run', { actionId: r.id, attempt: r.attempt, ...(correlationId ? { correlationId } : {}) }, { jobId: `${r.id}-${r.attempt}`, delay: Math.max(0, r.due_at.getTime() - now.getTime()) });
    }
  }
}
