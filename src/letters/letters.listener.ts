import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock/clock';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { CaseEvents, type CaseChange, type CaseChangeListener } from '../cases/case-events';
import type { CaseEntity } from '../cases/case.entity';
import type { Addressee, LetterCode } from '../statute/letter-catalogue';
import { letterFactsOf } from '../statute/decisions/decision';
import { lettersForStep } from '../statute/letters-for-step';
import type { OutcomeCode } from '../statute/outcomes';
import { providesFiles } from '../statute/release-files';
import { assertLetterComplete, buildLetterFacts, numberParts, withProvidedFiles, type LetterSpec } from './letter-facts.builder';
import { LetterJobs } from './letter-jobs';
import { LetterWorkRepository, type SignOffFacts } from './letter-work.repository';
import { LettersRepository } from './letters.repository';
import { ReleaseFilesRepository, type ReleaseCandidate } from './release-files.repository';
import { LetterTemplatesService } from './templates/letter-templates.service';

/** The reply's sign-off steps, named by the agency's settings, and the approval that confirmed the 保密审查. */
export function signOffOf(c: CaseEntity, agency: AgencyEntity): SignOffFacts | null {
  const approvals = c.replyDraft?.approvals ?? [];
  if (!approvals.length) return null;
  const names = agency.approvalStepNames ?? [];
  const reviewed = approvals.find((a) => a.confidentialityReviewed) ?? null;
  return {
    steps: approvals.map((a) => ({ step: a.step, name: names[a.step - 1] ?? `第${a.step}步签批`, by: a.by, at: a.at })),
    reviewedBy: reviewed?.by ?? null,
    reviewedAt: reviewed?.at ?? null,
  };
}


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
    private readonly work: LetterWorkRepository,
    private readonly release: ReleaseFilesRepository,
    private readonly jobs: LetterJobs,
    private readonly cipher: PersonalDataCipher,
    private readonly templates: LetterTemplatesService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** the agency's version of the letter's template in force at the step (0: the built-in one) */
  private async templateOf(m: EntityManager, agencyId: string, facts: ReturnType<typeof buildLetterFacts>): Promise<{ code: string; version: number }> {
    const t = await this.templates.inForce(agencyId, facts.template, m);
    return { code: t.code, version: t.version };
  }

  /** after commit: the issued letters are rendered by the workers (a failed enqueue is the sweep's) */
  async afterCommit(caseId: string, correlationId?: string): Promise<void> {
    await this.jobs.renderCase(caseId, correlationId);
  }

  /** numbering holds its series row locked until commit: run after the other listeners */
  onModuleInit(): void {
    this.events.register(this, 100);
  }

  async onCaseChanged(m: EntityManager, c: CaseEntity, change: CaseChange): Promise<void> {
    // a case action's decision names its letters; intake and a reopened case's first step leave them to the rule
    const ops = change.letters ?? lettersForStep({
      action: change.action,
      on: change.on ?? null,
      payload: change.payload ?? {},
      actorId: change.actorId ?? null,
      before: change.before ? letterFactsOf(change.before) : null,
      after: letterFactsOf(c),
    });
    if (!ops.length) return;
    const at = this.clock.now();
    let agency: AgencyEntity | null = null;
    const agencyOf = async () => (agency ??= await m.getRepository(AgencyEntity).findOneOrFail({ where: { id: c.agencyId } }));
    const factsFor = async (code: LetterCode, outcome: OutcomeCode | null, addressee: Addressee, consultationId: string | null, datedOn: string, files: readonly ReleaseCandidate[] = []) => {
      const spec: LetterSpec = { code, outcome, addressee, consultationId, datedOn, number: null };
      let facts = withProvidedFiles(buildLetterFacts(spec, c, await agencyOf(), this.calendar.current()), files);
      // a receipt issued again (a new query code) while the clock is paused states the deadline the first one stated
      if (code === 'receipt' && !facts.replyDueDate) facts = { ...facts, replyDueDate: await this.work.statedReplyDue(m, c.id) };
      assertLetterComplete(code, facts);
      return facts;
    };
    // a granted or partial reply lists the case's release files and records them as provided with it
    const provided = async (outcome: OutcomeCode) => (providesFiles(outcome) ? this.release.candidates(c.id, m) : []);
    const releasing: ReleaseCandidate[][] = [];
    // every letter of the step is checked before any is written
    const planned = [];
    for (const [i, op] of ops.entries()) {
      if (op.op === 'issue') planned.push(await factsFor(op.code, null, op.addressee, op.consultationId, op.on));
      else if (op.op === 'issue-reply') planned.push(await factsFor('reply', op.outcome, 'applicant', null, op.on, (releasing[i] = await provided(op.outcome))));
      else if (op.op === 'draft-reply') await factsFor('reply', op.outcome, 'applicant', null, change.on ?? this.clock.today());
      else planned.push(null);
    }
    // the receipt of a clerk-logged application prints the query code: sealed until it is rendered; the receipt of a
    // confirmed portal submission prints the code a reset gave it before (held sealed until then)
    const sealed = async (code: LetterCode) => {
      if (code !== 'receipt') return null;
      if (change.queryCode) return this.cipher.encrypt(change.queryCode);
      return this.repo.takeHeldQueryCode(m, c.id);
    };
    for (const [i, op] of ops.entries()) {
      switch (op.op) {
        case 'issue': {
          const issued = await this.repo.issue(m, { caseId: c.id, agencyId: c.agencyId, code: op.code, outcome: null, addressee: op.addressee, consultationId: op.consultationId, datedOn: op.on, at, approvedBy: op.approvedBy });
          await this.work.setFacts(m, issued.id, { ...planned[i]!, number: numberParts(issued.number) }, await this.templateOf(m, c.agencyId, planned[i]!), await sealed(op.code));
          break;
        }
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
          const issued = await this.repo.issue(m, { caseId: c.id, agencyId: c.agencyId, code: 'reply', outcome: op.outcome, addressee: 'applicant', consultationId: null, datedOn: op.on, at, approvedBy: null }, draft?.id ?? null);
          await this.work.setFacts(m, issued.id, { ...planned[i]!, number: numberParts(issued.number) }, await this.templateOf(m, c.agencyId, planned[i]!), null, signOffOf(c, await agencyOf()));
          await this.release.record(m, issued.id, (releasing[i] ?? []).map((f) => f.id));
          break;
        }
        case 'hold-query-code':
          if (change.queryCode) await this.repo.holdQueryCode(m, c.id, c.agencyId, this.cipher.encrypt(change.queryCode));
          break;
        case 'drop-held-query-code':
          await this.repo.takeHeldQueryCode(m, c.id);
          break;
        case 'deliver':
          await this.repo.deliver(m, c.id, op.code, op.on, op.method, op.letterId, op.waybillNumber);
          break;
      }
    }
  }
}
