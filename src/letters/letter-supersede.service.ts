import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import type { AuthUser } from '../auth/auth-user';
import { CalendarService } from '../calendar/calendar.service';
import { CaseAccess } from '../cases/case-access';
import { CaseEvents } from '../cases/case-events';
import { CasesRepository } from '../cases/cases.repository';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { decideSupersede, noticeReplaced } from '../statute/supersede';
import { mapLetter } from './dto/letter.dto';
import type { SupersedeLetterDto, SupersedeResultDto } from './dto/supersede-letter.dto';
import { NOT_RENDERED_RETRY_AFTER_S } from './letter-documents.service';
import { assertLetterComplete, buildLetterFacts, numberParts } from './letter-facts.builder';
import { LetterWorkRepository } from './letter-work.repository';
import { LettersRepository } from './letters.repository';
import { ReleaseFilesRepository } from './release-files.repository';
import { LetterTemplatesService } from './templates/letter-templates.service';

/** The case history's action for a superseded letter. */
export const SUPERSEDE_ACTION = 'supersede-letter';

/**
 * Corrections never edit (letters.md, Lifecycle): a supervisor of the case's agency replaces a mistaken issued
 * letter by a new one, in one transaction: the new letter is numbered in its series as any letter, made from the case
 * as it now stands (a reply from its corrected text), checked for blanks, and signed by the supervisor (a reply with
 * the 保密审查 confirmed); the old one becomes `superseded`, its PDF unchanged; the case's history records it. The
 * decision stays: the case's outcome, conclusion date and report row do not move (a changed decision goes through
 * review and `reopen`). The case's listeners hear the change (a notice's period moves its reminders); the workers
 * render the new letter (and mail it to an applicant who chose e-mail).
 */
@Injectable()
export class LetterSupersede {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly letters: LettersRepository,
    private readonly work: LetterWorkRepository,
    private readonly release: ReleaseFilesRepository,
    private readonly events: CaseEvents,
    private readonly templates: LetterTemplatesService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async supersede(id: string, user: AuthUser, dto: SupersedeLetterDto, correlationId?: string): Promise<SupersedeResultDto> {
    if (user.role === 'admin') throw new DomainError('FORBIDDEN', '系统管理员不办理案件');
    const { caseId, replacementId } = await this.ds.transaction(async (m) => {
      const old = await this.letters.lockById(m, id);
      if (!old) throw DomainError.notFound('文书');
      const c = await this.cases.findById(old.caseId, m);
      if (!c) throw DomainError.notFound('文书');
      const access = await this.access.of(c.agencyId, user, m);
      if (access === 'none') throw DomainError.notFound('文书');
      if (access !== 'act') throw new DomainError('FORBIDDEN', '只能更正本机关的文书（下级机关的文书仅可查看）');
      const decision = decideSupersede({
        role: user.role,
        letter: { code: old.code, state: old.state, rendered: old.renderedAt !== null, outcome: old.outcome },
        details: old.code === 'reply' ? (c.outcomeDetails ?? c.replyDraft?.details ?? {}) : null,
        reply: dto.reply,
        confidentialityReviewed: dto.confidentialityReviewed === true,
      });
      if (!decision.ok) {
        const p = decision.problem;
        if (p.code === 'VALIDATION_FAILED') throw DomainError.validation(p.problems, p.message);
        if (p.code === 'LETTER_NOT_RENDERED') throw new DomainError(p.code, p.message, { retryAfterSeconds: NOT_RENDERED_RETRY_AFTER_S });
        throw new DomainError(p.code, p.message, { state: old.state });
      }
      if (dto.expectedVersion !== c.version) throw new DomainError('CASE_VERSION_CONFLICT', undefined, { currentVersion: c.version });

      const today = this.clock.today();
      const at = this.clock.now();
      const agency = await m.getRepository(AgencyEntity).findOneOrFail({ where: { id: old.agencyId } });
      // a notice's period runs from the receipt of the one in force: its record dates the notice anew (our reading)
      const notice = noticeReplaced(c, old, today);
      // the corrected letter is made from the case as it now stands; a reply from its corrected text
      const patch = { ...(decision.details ? { outcomeDetails: decision.details } : {}), ...notice };
      const source = { ...c, ...patch };
      let facts = buildLetterFacts({ code: old.code, outcome: old.outcome, addressee: old.addressee, consultationId: old.consultationId, datedOn: today, number: null }, source, agency, this.calendar.current());
      // a receipt states the deadline the first one stated when the clock is paused now
      if (old.code === 'receipt' && !facts.replyDueDate) facts = { ...facts, replyDueDate: (old.facts?.replyDueDate as string | undefined) ?? null };
      // a corrected reply provides the files the mistaken one provided, and lists them alike
      if (old.code === 'reply' && old.facts?.providedFiles) facts = { ...facts, providedFiles: old.facts.providedFiles as string[] };
      assertLetterComplete(old.code, facts);

      const issued = await this.letters.issue(m, { caseId: c.id, agencyId: old.agencyId, code: old.code, outcome: old.outcome, addressee: old.addressee, consultationId: old.consultationId, datedOn: today, at, approvedBy: user.id });
      const template = await this.templates.inForce(old.agencyId, facts.template, m);
      const signOff = old.code === 'reply' ? { steps: [{ step: 1, name: '更正签发', by: user.id, at: at.toISOString() }], reviewedBy: user.id, reviewedAt: at.toISOString() } : null;
      await this.work.setFacts(m, issued.id, { ...facts, number: numberParts(issued.number) }, { code: template.code, version: template.version }, null, signOff);
      if (!(await this.letters.supersede(m, old.id, issued.id, dto.reason))) throw new DomainError('LETTER_ALREADY_SUPERSEDED', '该文书已被更正，请更正其替代文书');
      if (old.code === 'reply') await this.release.copy(m, old.id, issued.id);

      // the case keeps its decision; a reply's corrected text becomes the case's details of it
      if (!(await this.cases.updateIfVersion(m, c.id, c.version, patch))) {
        throw new DomainError('CASE_VERSION_CONFLICT', undefined, { currentVersion: null });
      }
      const payload = {
        letterId: old.id,
        code: old.code,
        number: old.number,
        replacementId: issued.id,
        replacementNumber: issued.number,
        reason: dto.reason,
        ...(dto.reply ? { corrected: dto.reply } : {}),
        ...(old.code === 'reply' ? { confidentialityReviewed: true } : {}),
        ...(notice ? { periodFrom: today } : {}),
      };
      await this.cases.appendHistory(m, {
        caseId: c.id,
        at,
        on: today,
        actorId: user.id,
        actorRole: user.role,
        action: SUPERSEDE_ACTION,
        fromState: c.state,
        toState: c.state,
        payload,
        recordedLate: false,
        versionAfter: c.version + 1,
      });
      // heard like any change of the case: the reminders follow a period that now runs from the new notice; the
      // letters listener writes none (the replacement is written here)
      const updated = (await this.cases.findById(c.id, m))!;
      await this.events.changed(m, updated, { action: SUPERSEDE_ACTION, fromState: c.state, toState: c.state, correlationId, on: today, payload, actorId: user.id, before: c, letters: [] });
      return { caseId: c.id, replacementId: issued.id };
    });
    // the workers render the new letter (the letters listener's after-commit work), the reminders are enqueued
    await this.events.committed(caseId, correlationId);
    const [superseded, replacement] = await Promise.all([this.work.findById(id), this.work.findById(replacementId)]);
    return { superseded: mapLetter(superseded!), replacement: mapLetter(replacement!) };
  }
}
