import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { AuthUser } from '../auth/auth-user';
import type { Role } from '../statute/roles';
import { CALENDAR_COMMAND_MAX_AGE_MS, CalendarService } from '../calendar/calendar.service';
import type { WorkingCalendar } from '../statute/working-calendar';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_ART35_THRESHOLDS } from '../statute/art35';
import * as Decide from '../statute/decisions';
import type { Decision, DecisionInput, Problem, Step } from '../statute/decisions';
import { UsersRepository } from '../users/users.repository';
import { CaseEvents } from './case-events';
import { derivedColumns } from './case-clock';
import type { CaseEntity } from './case.entity';
import { CaseAccess } from './case-access';
import { CasesRepository } from './cases.repository';
import { CasesService, QUERY_CODE_HASH } from './cases.service';
import { LetterDispatch } from './letter-dispatch';
import { newQueryCode, PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { mapCase, type CaseDto } from './dto/case-response.dto';
import type * as D from './dto/action.dto';
import { decide, type CaseAction } from '../statute/transition-table';

/** Who acts: a signed-in user, or the applicant through the portal. */
export type Actor = AuthUser | { portal: true };
const isPortal = (a: Actor): a is { portal: true } => 'portal' in a;

/** What the runner is given by each action: the pure decision, and the writes that go with its step. */
interface Prepared<S extends Step> {
  decision: Decision<S>;
  /** more writes in the same transaction (a review, a new case) */
  also?: (m: EntityManager, step: S) => Promise<{ newCaseId?: string } | void>;
  /** a new query code for the receipt letter to print (never stored in clear, never in history) */
  queryCode?: string;
}

interface Ctx {
  c: CaseEntity;
  m: EntityManager;
  /** the decision's common input, without the body */
  base: Omit<DecisionInput<never>, 'body'>;
}

/** A decision's refusal as the service's error. */
function problemError(p: Problem): DomainError {
  if (p.fields) return DomainError.validation([...p.fields], p.message);
  return new DomainError(p.code, p.message, p.details ?? {});
}

/**
 * The action runner: the I/O around each action's pure decision (`src/statute/decisions`). Each action looks up
 * what its decision needs, the decision returns the step or a problem, the runner writes the step.
 */
@Injectable()
export class CaseActionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly casesService: CasesService,
    private readonly agencies: AgenciesService,
    private readonly users: UsersRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: CaseEvents,
    private readonly cipher: PersonalDataCipher,
    private readonly letters: LetterDispatch,
  ) {}

  // ------------------------------------------------------------------ the runner

  /**
   * One action, one transaction: scope and role, the version, the decision, a compare-and-set write, the history
   * row, follow-up work.
   */
  async run<S extends Step>(caseId: string, action: CaseAction, actor: Actor, expectedVersion: number | undefined, prepare: (ctx: Ctx) => Promise<Prepared<S>> | Prepared<S>, correlationId?: string): Promise<CaseDto> {
    const role: Role | 'applicant' = isPortal(actor) ? 'applicant' : actor.role;
    const id = await this.ds.transaction(async (m) => {
      const c = await this.cases.findById(caseId, m);
      if (!c) throw DomainError.notFound('案件');
      if (!isPortal(actor)) {
        const access = await this.access.of(c.agencyId, actor, m);
        if (access === 'none' && actor.role !== 'admin') throw DomainError.notFound('案件');
        if (access !== 'act') throw new DomainError('FORBIDDEN', actor.role === 'supervisor' ? '只能对本机关的案件办理此操作（下级机关的案件仅可查看）' : '无权办理案件');
        const roleCheck = decide(action, c.state, actor.role);
        if (!roleCheck.ok && roleCheck.code === 'FORBIDDEN') throw new DomainError('FORBIDDEN', '当前角色不能执行此操作');
      }
      const expected = expectedVersion ?? c.version;
      if (expectedVersion === undefined && !isPortal(actor)) {
        throw DomainError.field('expectedVersion', '请提供 expectedVersion（或 If-Match 头）');
      }
      if (expected !== c.version) throw new DomainError('CASE_VERSION_CONFLICT', undefined, { currentVersion: c.version });
      const today = this.clock.today();
      // the calendar checked against the database within the last second (a load in another process reaches
      // commands at once, not within the background refresh; the recompute takes a case changed meanwhile again)
      const cal: WorkingCalendar = await this.calendar.fresh(CALENDAR_COMMAND_MAX_AGE_MS);
      const base = { c, today, now: this.clock.now().toISOString(), cal, role: isPortal(actor) ? 'clerk' : actor.role, actorId: isPortal(actor) ? null : actor.id } as const;
      const prepared = await prepare({ c, m, base });
      if (!prepared.decision.ok) throw problemError(prepared.decision.problem);
      const step = prepared.decision.step;
      const next = { ...c, ...step.patch, state: step.to };
      const patch = { ...step.patch, state: step.to, ...derivedColumns(next, cal, today) };
      if (!(await this.cases.updateIfVersion(m, c.id, expected, patch))) {
        throw new DomainError('CASE_VERSION_CONFLICT', undefined, { currentVersion: null });
      }
      const updated = (await this.cases.findById(c.id, m))!;
      await this.cases.appendHistory(m, {
        caseId: c.id,
        at: this.clock.now(),
        on: step.on,
        actorId: base.actorId,
        actorRole: role,
        action,
        fromState: c.state,
        toState: step.to,
        payload: step.payload,
        recordedLate: step.on ? Decide.recordedLate(step.on, today, cal) : false,
        versionAfter: updated.version,
      });
      const extra = prepared.also ? await prepared.also(m, step) : undefined;
      await this.events.changed(m, updated, { action, fromState: c.state, toState: step.to, correlationId, on: step.on, payload: step.payload, actorId: base.actorId, before: c, queryCode: prepared.queryCode, letters: step.letters });
      return extra?.newCaseId ?? c.id;
    });
    await this.events.committed(caseId, correlationId);
    if (id !== caseId) await this.events.committed(id, correlationId);
    const c = (await this.cases.findById(id))!;
    // after a forward the case is another agency's: its former holder may no longer act on it
    return mapCase(c, this.calendar.current(), this.clock.today(), isPortal(actor) ? 'clerk' : actor.role, await this.cases.reviewsOf(id), action !== 'forward');
  }

  /** The day a portal submission came in (Asia/Shanghai), if it did. */
  private submittedOn(c: CaseEntity): string | null {
    return c.submittedAt ? this.clock.todayOf(c.submittedAt) : null;
  }

  // ------------------------------------------------------------------ the actions

  confirmReceipt(id: string, user: AuthUser, dto: D.ConfirmReceiptDto, v?: number, cid?: string) {
    return this.run(id, 'confirm-receipt', user, v, async ({ c, m, base }) => {
      // Art 35 counts for the receipt date asked for (the decision refuses a date it does not accept)
      const agency = await this.agencies.findById(c.agencyId, m);
      const t = agency?.art35Thresholds ?? DEFAULT_ART35_THRESHOLDS;
      const art35Counts = await this.cases.art35Counts(m, c.agencyId, c.applicantIdHash, dto.on ?? base.today, t.windowDays, c.id, 1);
      return { decision: Decide.decideConfirmReceipt({ ...base, body: dto, submittedOn: this.submittedOn(c), art35Counts, art35Thresholds: t }) };
    }, cid);
  }

  discard(id: string, user: AuthUser, dto: D.DiscardDto, v?: number, cid?: string) {
    return this.run(id, 'discard', user, v, ({ base }) => ({ decision: Decide.decideDiscard({ ...base, body: dto }) }), cid);
  }

  /** 分办: to another agency of the platform, once, before receipt is confirmed. */
  forward(id: string, user: AuthUser, dto: D.ForwardDto, v?: number, cid?: string) {
    return this.run(id, 'forward', user, v, async ({ c, m, base }) => {
      const target = await this.agencies.findById(dto.agencyId.toLowerCase(), m);
      const from = await this.agencies.findById(c.agencyId, m);
      return { decision: Decide.decideForwardCase({ ...base, body: dto, target, fromName: from?.name ?? null }) };
    }, cid);
  }

  /** Art 35: the applicant is asked to explain (the `reasons_request` letter); the reply clock keeps running. */
  requestReasons(id: string, user: AuthUser, dto: D.RequestReasonsDto, v?: number, cid?: string) {
    return this.run(id, 'request-reasons', user, v, ({ base }) => ({ decision: Decide.decideRequestReasons({ ...base, body: dto }) }), cid);
  }

  /** Art 35: the applicant's explanation (or its absence noted by the clerk) and the agency's finding. */
  recordReasons(id: string, user: AuthUser, dto: D.RecordReasonsDto, v?: number, cid?: string) {
    return this.run(id, 'record-reasons', user, v, ({ base }) => ({ decision: Decide.decideRecordReasons({ ...base, body: dto }) }), cid);
  }

  assign(id: string, user: AuthUser, dto: D.AssignDto, v?: number, cid?: string) {
    return this.run(id, 'assign', user, v, async ({ m, base }) => {
      const assignee = await this.users.findById(dto.assigneeId.toLowerCase(), m);
      return { decision: Decide.decideAssign({ ...base, body: dto, assignee }) };
    }, cid);
  }

  /** Art 30: once, within 7 working days of receipt; the clock stops until the correction arrives. */
  requestCorrection(id: string, user: AuthUser, dto: D.RequestCorrectionDto, v?: number, cid?: string) {
    return this.run(id, 'request-correction', user, v, async ({ c, m, base }) => {
      const agency = await this.agencies.findById(c.agencyId, m);
      return { decision: Decide.decideRequestCorrection({ ...base, body: dto, agencyPeriodDays: agency?.correctionPeriodDays ?? null }) };
    }, cid);
  }

  /** Art 30: the corrected application arrived (from a clerk, or the applicant through the portal). */
  recordCorrection(id: string, actor: Actor, dto: D.RecordCorrectionDto, v?: number, cid?: string) {
    return this.run(id, 'record-correction', actor, v, ({ base }) => ({ decision: Decide.decideRecordCorrection({ ...base, body: dto }) }), cid);
  }

  /** Arts 32, 33 ¶3, 34: a consultation pauses the clock. */
  consult(id: string, user: AuthUser, dto: D.ConsultDto, v?: number, cid?: string) {
    return this.run(id, 'consult', user, v, ({ base }) => ({ decision: Decide.decideConsult({ ...base, body: dto, consultationId: randomUUID() }) }), cid);
  }

  endConsultation(id: string, user: AuthUser, dto: D.EndConsultationDto, v?: number, cid?: string) {
    return this.run(id, 'end-consultation', user, v, ({ base }) => ({ decision: Decide.decideEndConsultation({ ...base, body: dto }) }), cid);
  }

  /** Art 33 ¶2: one extension, requested before the deadline. */
  requestExtension(id: string, user: AuthUser, dto: D.RequestExtensionDto, v?: number, cid?: string) {
    return this.run(id, 'request-extension', user, v, ({ base }) => ({ decision: Decide.decideRequestExtension({ ...base, body: dto }) }), cid);
  }

  /** Approved by the head of the office (a supervisor of the case's agency), on or before the deadline. */
  approveExtension(id: string, user: AuthUser, dto: D.ApproveExtensionDto, v?: number, cid?: string) {
    return this.run(id, 'approve-extension', user, v, ({ base }) => ({ decision: Decide.decideApproveExtension({ ...base, body: dto }) }), cid);
  }

  /** Art 35: a reasonable later date becomes the deadline. */
  setDelayedReply(id: string, user: AuthUser, dto: D.SetDelayedReplyDto, v?: number, cid?: string) {
    return this.run(id, 'set-delayed-reply', user, v, ({ base }) => ({ decision: Decide.decideSetDelayedReply({ ...base, body: dto }) }), cid);
  }

  /** 办法: the fee notice pauses the clock until payment. */
  notifyFee(id: string, user: AuthUser, dto: D.NotifyFeeDto, v?: number, cid?: string) {
    return this.run(id, 'notify-fee', user, v, async ({ c, m, base }) => {
      const monthPosition = await this.cases.monthPosition(m, c.id);
      return { decision: Decide.decideNotifyFee({ ...base, body: dto, monthPosition }) };
    }, cid);
  }

  recordPayment(id: string, user: AuthUser, dto: D.RecordPaymentDto, v?: number, cid?: string) {
    return this.run(id, 'record-payment', user, v, ({ base }) => ({ decision: Decide.decideRecordPayment({ ...base, body: dto }) }), cid);
  }

  /** The reply is drafted with one outcome of the catalogue (Arts 36–39); a duplicate names the earlier reply. */
  draftReply(id: string, user: AuthUser, dto: D.DraftReplyDto, v?: number, cid?: string) {
    return this.run(id, 'draft-reply', user, v, async ({ m, base }) => {
      const earlierId = dto.earlierReply?.caseId?.toLowerCase();
      const found = earlierId ? await this.cases.earlierReplyOf(m, earlierId) : null;
      const earlierCase = found && earlierId ? { id: earlierId, agencyId: found.agencyId, applicantIdHash: found.applicantIdHash, number: found.number, date: found.date } : null;
      return { decision: Decide.decideDraftReply({ ...base, body: dto, earlierCase }) };
    }, cid);
  }

  /** Sign-off by the agency's supervisors, step by step, with the confidentiality review (保密审查) recorded. */
  approveReply(id: string, user: AuthUser, dto: D.ApproveReplyDto, v?: number, cid?: string) {
    return this.run(id, 'approve-reply', user, v, async ({ c, m, base }) => {
      const agency = await this.agencies.findById(c.agencyId, m);
      return { decision: Decide.decideApproveReply({ ...base, body: dto, approvalSteps: agency?.approvalSteps ?? 1 }) };
    }, cid);
  }

  returnReply(id: string, user: AuthUser, dto: D.ReturnReplyDto, v?: number, cid?: string) {
    return this.run(id, 'return-reply', user, v, ({ base }) => ({ decision: Decide.decideReturnReply({ ...base, body: dto }) }), cid);
  }

  /** The reply is issued: the date on the letter is the conclusion date (statute §3). */
  issueReply(id: string, user: AuthUser, dto: D.IssueReplyDto, v?: number, cid?: string) {
    return this.run(id, 'issue-reply', user, v, ({ base }) => ({ decision: Decide.decideIssueReply({ ...base, body: dto }) }), cid);
  }

  /** The addressee's receipt of a letter; the day the letter went out comes through the letters module's port. */
  recordDelivery(id: string, user: Actor, dto: D.RecordDeliveryDto, v?: number, cid?: string) {
    return this.run(id, 'record-delivery', user, v, async ({ c, m, base }) => {
      const letter = dto.letterId ? await this.letters.issuedLetter(m, c.id, dto.letterId) : null;
      const firstSentOn = !dto.letterId && dto.of ? await this.letters.firstSentOn(m, c.id, dto.of) : null;
      return { decision: Decide.decideRecordDelivery({ ...base, body: dto, letter, firstSentOn }) };
    }, cid);
  }

  /**
   * The applicant lost the query code: a new one replaces the old one's hash (the old code stops working) and
   * is printed on a new receipt, sealed there until rendered.
   */
  resetQueryCode(id: string, user: AuthUser, v?: number, cid?: string) {
    const queryCode = newQueryCode();
    return this.run(id, 'reset-query-code', user, v, ({ base }) => ({
      decision: Decide.decideResetQueryCode({ ...base, body: {}, queryCodeHash: this.cipher.hash(QUERY_CODE_HASH, queryCode) }),
      queryCode,
    }), cid);
  }

  /** Art 30 / 办法: deemed abandoned (视为放弃申请) once the applicant's period has ended. */
  concludeLapsed(id: string, user: AuthUser, dto: D.ConcludeLapsedDto, v?: number, cid?: string) {
    return this.run(id, 'conclude-lapsed', user, v, ({ base }) => ({ decision: Decide.decideConcludeLapsed({ ...base, body: dto }) }), cid);
  }

  withdraw(id: string, user: AuthUser, dto: D.WithdrawDto, v?: number, cid?: string) {
    return this.run(id, 'withdraw', user, v, ({ base }) => ({ decision: Decide.decideWithdraw({ ...base, body: dto }) }), cid);
  }

  /** 行政复议 / 行政诉讼 recorded against the case (statute §7). */
  recordReview(id: string, user: AuthUser, dto: D.RecordReviewDto, v?: number, cid?: string) {
    return this.run<Decide.ReviewStep>(id, 'record-review', user, v, ({ c, base }) => ({
      decision: Decide.decideRecordReview({ ...base, body: dto, reviewId: randomUUID(), submittedOn: this.submittedOn(c) }),
      also: async (m, step) => {
        await this.cases.insertReview(m, { ...step.review, caseId: c.id, agencyId: c.agencyId });
      },
    }), cid);
  }

  /** PATCH /reviews/{id}: the result arrives later; recorded in the case's history. */
  async updateReview(reviewId: string, user: AuthUser, dto: D.UpdateReviewDto): Promise<CaseDto> {
    const review = await this.cases.findReview(reviewId);
    if (!review) throw DomainError.notFound('复议或诉讼记录');
    const c = await this.cases.findById(review.caseId);
    if (!c) throw DomainError.notFound('复议或诉讼记录');
    if (user.role === 'admin' || user.role === 'auditor') {
      const access = await this.access.of(c.agencyId, user);
      if (access === 'none' && user.role !== 'admin') throw DomainError.notFound('复议或诉讼记录');
      throw new DomainError('FORBIDDEN');
    }
    return this.run<Decide.ReviewUpdateStep>(c.id, 'record-review', user, c.version, async ({ m, base }) => {
      // read again inside the command: a review updated meanwhile moved the case's version, so this either sees
      // that update or loses the compare-and-set (409), never writes back fields from a stale copy
      const fresh = (await this.cases.findReview(reviewId, m))!;
      return {
        decision: Decide.decideUpdateReview({ ...base, body: dto, review: fresh }),
        also: async (mm, step) => {
          await this.cases.updateReview(mm, reviewId, step.reviewUpdate);
        },
      };
    });
  }

  /** After a `corrected` review: a new case linked to this one, received the day the decision reached the agency. */
  reopen(id: string, user: AuthUser, dto: D.ReopenDto, v?: number, cid?: string) {
    return this.run<Decide.ReopenStep>(id, 'reopen', user, v, async ({ c: old, m, base }) => {
      const reviews = await this.cases.reviewsOf(old.id, m);
      const reopenedAlready = (await this.cases.reopenedCaseOf(m, old.id)) !== null;
      return {
        decision: Decide.decideReopen({ ...base, body: dto, reviews, reopenedAlready }),
        also: async (mm, step) => {
          const on = step.reopen.receiptDate;
          const fresh = await this.casesService.create(
            mm,
            {
              agencyId: old.agencyId,
              channel: old.channel,
              state: 'in_progress',
              receiptDate: on,
              lastStepOn: on,
              applicantType: old.applicantType,
              applicantName: old.applicantName,
              applicantIdType: old.applicantIdType,
              applicantIdEnc: old.applicantIdEnc,
              applicantIdHash: old.applicantIdHash,
              applicantIdMasked: old.applicantIdMasked,
              applicantPhoneEnc: old.applicantPhoneEnc,
              applicantPhoneMasked: old.applicantPhoneMasked,
              applicantEmail: old.applicantEmail,
              applicantAddress: old.applicantAddress,
              description: old.description,
              documentNumber: old.documentNumber,
              form: old.form,
              delivery: old.delivery,
              searchGrams: await this.cases.searchGramsOf(mm, old.id),
              queryCodeHash: old.queryCodeHash,
              assigneeId: old.assigneeId,
              reopenedFrom: old.id,
              createdBy: user.id,
            },
            user,
            { action: 'reopened', on, payload: { reopenedFrom: old.id, trackingNumber: old.trackingNumber, reviewId: step.reopen.reviewId } },
          );
          return { newCaseId: fresh.id };
        },
      };
    }, cid);
  }
}
