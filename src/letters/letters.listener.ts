import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { CaseEvents, type CaseChange, type CaseChangeListener } from '../cases/case-events';
import type { CaseEntity } from '../cases/case.entity';
import { lettersForStep, type LetterFacts } from '../statute/letters-for-step';
import { LettersRepository } from './letters.repository';

const factsOf = (c: CaseEntity): LetterFacts => ({
  state: c.state,
  receiptDate: c.receiptDate,
  outcome: c.outcome,
  consultations: c.consultations,
  grounds: c.replyDraft?.details.grounds ?? [],
});

/**
 * Writes the letters a step implies, in the step's own transaction (architecture §2): process
 * notices issued and numbered at once, the reply following its sign-off. Issued letters not
 * yet rendered are the letter worker's queue.
 */
@Injectable()
export class LettersListener implements CaseChangeListener, OnModuleInit {
  constructor(
    private readonly events: CaseEvents,
    private readonly repo: LettersRepository,
    private readonly clock: Clock,
  ) {}

  /** numbering holds its series row locked until commit: run after the other listeners */
  onModuleInit(): void {
    this.events.register(this, 100);
  }

  async onCaseChanged(m: EntityManager, c: CaseEntity, change: CaseChange): Promise<void> {
    const ops = lettersForStep({
      action: change.action,
      on: change.on ?? null,
      payload: change.payload ?? {},
      actorId: change.actorId ?? null,
      before: change.before ? factsOf(change.before) : null,
      after: factsOf(c),
    });
    if (!ops.length) return;
    const at = this.clock.now();
    for (const op of ops) {
      switch (op.op) {
        case 'issue':
          await this.repo.issue(m, { caseId: c.id, agencyId: c.agencyId, code: op.code, outcome: null, addressee: op.addressee, consultationId: op.consultationId, datedOn: op.on, at, approvedBy: op.approvedBy });
          break;
        case 'draft-reply':
          await this.repo.draftReply(m, c.id, c.agencyId, op.outcome);
          break;
        case 'approve-reply':
          await this.repo.approveReply(m, c.id, op.by, at);
          break;
        case 'return-reply':
          await this.repo.returnReply(m, c.id);
          break;
        case 'cancel-reply':
          await this.repo.cancelReply(m, c.id);
          break;
        case 'issue-reply': {
          const draft = await this.repo.openReply(m, c.id);
          await this.repo.issue(m, { caseId: c.id, agencyId: c.agencyId, code: 'reply', outcome: op.outcome, addressee: 'applicant', consultationId: null, datedOn: op.on, at, approvedBy: null }, draft?.id ?? null);
          break;
        }
        case 'deliver':
          await this.repo.deliver(m, c.id, op.code, op.on, op.method);
          break;
      }
    }
  }
}
