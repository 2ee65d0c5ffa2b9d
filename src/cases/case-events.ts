import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LetterOp } from '../statute/letters-for-step';
import type { CaseEntity } from './case.entity';

export interface CaseChange {
  action: string;
  fromState: string | null;
  toState: string | null;
  correlationId?: string;
  /** the day the step happened (`on`) */
  on?: string | null;
  /** the step's history payload */
  payload?: Readonly<Record<string, unknown>>;
  /** who acted; null for the applicant (portal) or the system */
  actorId?: string | null;
  /** the case before the step; null for a new case */
  before?: CaseEntity | null;
  /**
   * a clerk-logged application's new query code, for its receipt letter to print (sealed there until
   * rendered); never stored in clear, never in history or a job
   */
  queryCode?: string;
  /** the letters the step writes, as its decision named them (absent: the letters module works them out from the step) */
  letters?: readonly LetterOp[];
}

/** Runs inside the transaction of the change: write follow-up work (reminders, letters) as rows. */
export interface CaseChangeListener {
  onCaseChanged(m: EntityManager, c: CaseEntity, change: CaseChange): Promise<void>;
  /** after commit: enqueue what was written (failures are recovered by the sweep) */
  afterCommit?(caseId: string, correlationId?: string): Promise<void>;
}

/**
 * The case module's outgoing port: other modules (notifications, letters) register here,
 * so the case module depends on none of them.
 */
@Injectable()
export class CaseEvents {
  private readonly logger = new Logger(CaseEvents.name);
  private readonly listeners: { l: CaseChangeListener; order: number }[] = [];

  /**
   * `order`: listeners run by ascending order, then registration. A listener that takes a lock
   * held to commit (letter numbering) runs last, to hold it briefly.
   */
  register(l: CaseChangeListener, order = 0): void {
    this.listeners.push({ l, order });
    this.listeners.sort((a, b) => a.order - b.order);
  }

  async changed(m: EntityManager, c: CaseEntity, change: CaseChange): Promise<void> {
    for (const { l } of this.listeners) await l.onCaseChanged(m, c, change);
  }

  /** never throws: the database already holds the truth */
  async committed(caseId: string, correlationId?: string): Promise<void> {
    for (const { l } of this.listeners) {
      if (!l.afterCommit) continue;
      try {
        await l.afterCommit(caseId, correlationId);
      } catch (e) {
        this.logger.warn({ caseId, err: (e as Error).message }, 'after-commit work failed; the sweep will retry');
      }
    }
  }
}
