import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import type { AuthUser } from '../auth/auth-user';
import type { Role } from '../statute/roles';
import { CALENDAR_COMMAND_MAX_AGE_MS, CalendarService } from '../calendar/calendar.service';
import { applicantPeriodEnd, computeReplyClock, correctionRequestDeadline, FEE_PAYMENT_DAYS, type ClockState } from '../statute/reply-clock';
import { CALENDAR_RANGE, type WorkingCalendar } from '../statute/working-calendar';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { feeFor, paymentMatchesNotice } from '../statute/fee-tariff';
import { art35Flag, DEFAULT_ART35_THRESHOLDS, delayedReplyAllowed, REASONS_PERIOD_DAYS, reasonsPeriodEnd, reasonsRequestAllowed, recordReasonsAllowed, vexatiousAllowed, type Art35Flag } from '../statute/art35';
import { decideForward } from '../statute/forwarding';
import { earlierCaseProblems, earlierReplyShapeProblems } from '../statute/repeated-application';
import { UsersRepository } from '../users/users.repository';
import { CaseEvents } from './case-events';
import { clockFactsOf, derivedColumns, receivedOn } from './case-clock';
import type { CaseEntity, Consultation } from './case.entity';
import { CasesRepository } from './cases.repository';
import { CasesService, QUERY_CODE_HASH } from './cases.service';
import { LetterDispatch } from './letter-dispatch';
import { newQueryCode, PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { mapCase, type CaseDto } from './dto/case-response.dto';
import type * as D from './dto/action.dto';
import type { CaseState } from '../statute/case-states';
import { DRAFTABLE_OUTCOMES, isOutcomeCode, validateOutcomeDetails, type OutcomeCode, type OutcomeDetails } from '../statute/outcomes';
import { decide, type CaseAction } from '../statute/transition-table';

/** Who acts: a signed-in user, or the applicant through the portal. */
export type Actor = AuthUser | { portal: true };
const isPortal = (a: Actor): a is { portal: true } => 'portal' in a;

/** What an action handler decides; the runner writes it. */
interface Step {
  patch: Partial<CaseEntity>;
  /** the state after; defaults to the table's target */
  to?: CaseState;
  /** the day the thing happened, for the history */
  on: string | null;
  payload: Record<string, unknown>;
  /** more writes in the same transaction (reviews, a new case) */
  also?: (m: EntityManager, updated: CaseEntity) => Promise<unknown>;
  /** a new query code for the receipt letter to print (never stored in clear, never in history) */
  queryCode?: string;
}

interface Ctx {
  c: CaseEntity;
  today: string;
  cal: WorkingCalendar;
  actor: Actor;
  m: EntityManager;
}

@Injectable()
export class CaseActionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly casesService: CasesService,
    private readonly agencies: AgenciesRepository,
    private readonly users: UsersRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    private readonly events: CaseEvents,
    private readonly cipher: PersonalDataCipher,
    private readonly letters: LetterDispatch,
  ) {}

  // ------------------------------------------------------------------ the runner

  /**
   * One action, one transaction: scope and role, the transition table, the version, the
   * statutory guards, a compare-and-set write, the history row, follow-up work.
   */
  async run(caseId: string, action: CaseAction, actor: Actor, expectedVersion: number | undefined, handler: (ctx: Ctx) => Promise<Step> | Step, correlationId?: string): Promise<CaseDto> {
    const role: Role | 'applicant' = isPortal(actor) ? 'applicant' : actor.role;
    const { id, extra } = await this.ds.transaction(async (m) => {
      const c = await this.cases.findById(caseId, m);
      if (!c) throw DomainError.notFound('案件');
      if (!isPortal(actor)) {
        const access = await this.cases.accessTo(c.agencyId, actor, m);
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
      const decision = decide(action, c.state, isPortal(actor) ? 'clerk' : actor.role);
      if (!decision.ok) throw new DomainError('TRANSITION_NOT_ALLOWED', `案件处于“${c.state}”状态，不能执行 ${action}`, { state: c.state, action });
      const today = this.clock.today();
      // the calendar checked against the database within the last second (a load in another process reaches
      // commands at once, not within the background refresh; the recompute takes a case changed meanwhile again)
      const cal = await this.calendar.fresh(CALENDAR_COMMAND_MAX_AGE_MS);
      const step = await handler({ c, today, cal, actor, m });
      const to = step.to ?? decision.to;
      const next = { ...c, ...step.patch, state: to };
      const patch = { ...step.patch, state: to, ...derivedColumns(next, cal, today) };
      if (!(await this.cases.updateIfVersion(m, c.id, expected, patch))) {
        throw new DomainError('CASE_VERSION_CONFLICT', undefined, { currentVersion: null });
      }
      const updated = (await this.cases.findById(c.id, m))!;
      await this.cases.appendHistory(m, {
        caseId: c.id,
        at: this.clock.now(),
        on: step.on,
        actorId: isPortal(actor) ? null : actor.id,
        actorRole: role,
        action,
        fromState: c.state,
        toState: to,
        payload: step.payload,
        recordedLate: step.on ? cal.countWorkingDays(step.on, today).workingDays > 1 : false,
        versionAfter: updated.version,
      });
      const extra = step.also ? await step.also(m, updated) : undefined;
      await this.events.changed(m, updated, { action, fromState: c.state, toState: to, correlationId, on: step.on, payload: step.payload, actorId: isPortal(actor) ? null : actor.id, before: c, queryCode: step.queryCode });
      return { id: (extra as { newCaseId?: string } | undefined)?.newCaseId ?? c.id, extra };
    });
    await this.events.committed(caseId, correlationId);
    if (id !== caseId) await this.events.committed(id, correlationId);
    void extra;
    const c = (await this.cases.findById(id))!;
    // after a forward the case is another agency's: its former holder may no longer act on it
    return mapCase(c, this.calendar.current(), this.clock.today(), isPortal(actor) ? 'clerk' : actor.role, await this.cases.reviewsOf(id), action !== 'forward');
  }

  // ------------------------------------------------------------------ date rules

  /**
   * `on`: not in the future, not before the receipt date (or the submission), not before the
   * previous step of the clock; non-working days allowed.
   */
  private day(ctx: Ctx, on: string | undefined, opts: { field?: string; notBefore?: { date: string | null; what: string }[] } = {}): string {
    const field = opts.field ?? 'on';
    const d = on ?? ctx.today;
    if (d > ctx.today) throw DomainError.field(field, '日期不能晚于今天');
    const bounds = opts.notBefore ?? [
      { date: ctx.c.receiptDate, what: '收到申请之日' },
      { date: ctx.c.lastStepOn, what: '上一办理步骤的日期' },
    ];
    for (const b of bounds) {
      if (b.date && d < b.date) throw DomainError.field(field, `日期不能早于${b.what}（${b.date}）`);
    }
    return d;
  }

  private clockOn(c: CaseEntity, cal: WorkingCalendar, on: string): ClockState {
    return computeReplyClock(clockFactsOf(c), cal, on);
  }

  private who(actor: Actor): string {
    return isPortal(actor) ? 'applicant' : actor.id;
  }

  // ------------------------------------------------------------------ the actions

  confirmReceipt(id: string, user: AuthUser, dto: D.ConfirmReceiptDto, v?: number, cid?: string) {
    return this.run(id, 'confirm-receipt', user, v, async (ctx) => {
      const submitted = ctx.c.submittedAt ? this.clock.todayOf(ctx.c.submittedAt) : null;
      const on = this.day(ctx, dto.on, { notBefore: [{ date: submitted, what: '提交申请之日' }] });
      const flag = await this.art35FlagOf(ctx.m, ctx.c.agencyId, ctx.c.applicantIdHash, on, ctx.c.id);
      return { patch: { receiptDate: on, lastStepOn: on, art35Flag: flag }, on, payload: { receiptDate: on, ...(flag ? { art35Flag: flag.reasons } : {}) } };
    }, cid);
  }

  discard(id: string, user: AuthUser, dto: D.DiscardDto, v?: number, cid?: string) {
    return this.run(id, 'discard', user, v, () => ({ patch: { discardReason: dto.reason }, on: this.clock.today(), payload: { reason: dto.reason } }), cid);
  }

  /**
   * Art 35 at intake: the applicant's applications at the agency in the month of `receiptDate`, and within the
   * agency's window, counted with this one; the flag when a threshold is exceeded (null otherwise).
   */
  async art35FlagOf(m: EntityManager, agencyId: string, idHash: string, receiptDate: string, caseId: string | null): Promise<Art35Flag | null> {
    const agency = await this.agencies.findById(agencyId, m);
    const t = agency?.art35Thresholds ?? DEFAULT_ART35_THRESHOLDS;
    const counts = await this.cases.art35Counts(m, agencyId, idHash, receiptDate, t.windowDays, caseId, 1);
    return art35Flag(counts, t);
  }

  /**
   * 分办: a portal submission not yet confirmed moves to another agency of the platform, once. The case keeps its
   * submission time and stays unconfirmed; its 承办人 (of the old agency) is cleared; the history names both agencies.
   */
  forward(id: string, user: AuthUser, dto: D.ForwardDto, v?: number, cid?: string) {
    return this.run(id, 'forward', user, v, async (ctx) => {
      const to = dto.agencyId.toLowerCase();
      const target = await this.agencies.findById(to, ctx.m);
      const d = decideForward({ fromAgencyId: ctx.c.agencyId, toAgencyId: to, targetExists: target !== null, forwardedBefore: ctx.c.forwarded !== null });
      if (!d.ok) throw d.code === 'FORWARD_ALREADY_USED' ? new DomainError('FORWARD_ALREADY_USED', undefined, { forwardedOn: ctx.c.forwarded?.on ?? null }) : DomainError.field(d.field, d.message);
      const from = await this.agencies.findById(ctx.c.agencyId, ctx.m);
      const forwarded = { fromAgencyId: ctx.c.agencyId, toAgencyId: to, on: ctx.today, reason: dto.reason, by: user.id };
      return {
        patch: { agencyId: to, forwarded, assigneeId: null },
        on: ctx.today,
        payload: { fromAgencyId: ctx.c.agencyId, fromAgencyName: from?.name ?? null, toAgencyId: to, toAgencyName: target!.name, reason: dto.reason },
      };
    }, cid);
  }

  /**
   * Art 35: the applicant is asked to explain the number or frequency of applications (the `reasons_request`
   * letter). The reply clock keeps running: the Regulation does not stop it.
   */
  requestReasons(id: string, user: AuthUser, dto: D.RequestReasonsDto, v?: number, cid?: string) {
    return this.run(id, 'request-reasons', user, v, (ctx) => {
      const allowed = reasonsRequestAllowed(ctx.c.reasonsRequest);
      if (!allowed.ok) throw new DomainError('TRANSITION_NOT_ALLOWED', allowed.message);
      const on = this.day(ctx, dto.on);
      const items = Array.isArray(dto.items) ? dto.items : [dto.items];
      const periodDays = dto.periodDays ?? REASONS_PERIOD_DAYS;
      return {
        patch: { reasonsRequest: { requestedOn: on, items, periodDays, answeredOn: null, content: null, reasonable: null }, lastStepOn: on },
        on,
        payload: { items, periodDays, ...(ctx.c.art35Flag ? { art35Flag: ctx.c.art35Flag.reasons } : {}) },
      };
    }, cid);
  }

  /** Art 35: the applicant's explanation (or its absence noted by the clerk) and the agency's finding. */
  recordReasons(id: string, user: AuthUser, dto: D.RecordReasonsDto, v?: number, cid?: string) {
    return this.run(id, 'record-reasons', user, v, (ctx) => {
      const r = ctx.c.reasonsRequest;
      const allowed = recordReasonsAllowed(r);
      if (!allowed.ok) throw new DomainError('REASONS_NOT_ESTABLISHED', allowed.message);
      const on = this.day(ctx, dto.on, { notBefore: [{ date: r!.requestedOn, what: '要求说明理由之日' }] });
      return {
        patch: { reasonsRequest: { ...r!, answeredOn: on, content: dto.content, reasonable: dto.reasonable } },
        on,
        payload: { content: dto.content, reasonable: dto.reasonable },
      };
    }, cid);
  }

  /** The end of the applicant's period to explain (from the recorded delivery of the request, else its day). */
  private reasonsEnd(c: CaseEntity, cal: WorkingCalendar): string | null {
    const r = c.reasonsRequest;
    if (!r) return null;
    return reasonsPeriodEnd(r, receivedOn(c.deliveries, 'reasons_request', r.requestedOn), cal);
  }

  assign(id: string, user: AuthUser, dto: D.AssignDto, v?: number, cid?: string) {
    return this.run(id, 'assign', user, v, async (ctx) => {
      const assignee = await this.users.findById(dto.assigneeId.toLowerCase(), ctx.m);
      if (!assignee || !assignee.active || assignee.agencyId !== ctx.c.agencyId || assignee.role !== 'clerk') {
        throw DomainError.field('assigneeId', '承办人须为本机关的在职经办人');
      }
      return { patch: { assigneeId: assignee.id }, on: ctx.today, payload: { assigneeId: assignee.id, previous: ctx.c.assigneeId } };
    }, cid);
  }

  /** Art 30: once, within 7 working days of receipt; the clock stops until the correction arrives. */
  requestCorrection(id: string, user: AuthUser, dto: D.RequestCorrectionDto, v?: number, cid?: string) {
    return this.run(id, 'request-correction', user, v, async (ctx) => {
      if (ctx.c.correction) throw new DomainError('CORRECTION_ALREADY_REQUESTED');
      const on = this.day(ctx, dto.on);
      const limit = correctionRequestDeadline(ctx.c.receiptDate!, ctx.cal).date;
      if (on > limit) throw new DomainError('CORRECTION_WINDOW_CLOSED', `要求补正应在收到申请之日起7个工作日内（${limit}前）提出`, { limit });
      const agency = await this.agencies.findById(ctx.c.agencyId, ctx.m);
      const items = Array.isArray(dto.items) ? dto.items : [dto.items];
      const periodDays = dto.periodDays ?? agency?.correctionPeriodDays ?? 15;
      return {
        patch: { correction: { requestedOn: on, items, periodDays, receivedOn: null, content: null }, lastStepOn: on },
        on,
        payload: { items, periodDays },
      };
    }, cid);
  }

  /**
   * Art 30: the corrected application arrived; the clock restarts from that day. An Art 35 date set for the
   * application as first made no longer applies (it would precede the restarted clock's own deadline); the
   * supervisor may set one again.
   */
  recordCorrection(id: string, actor: Actor, dto: D.RecordCorrectionDto, v?: number, cid?: string) {
    return this.run(id, 'record-correction', actor, v, (ctx) => {
      const on = this.day(ctx, dto.on);
      const dropped = ctx.c.delayedUntil;
      return {
        patch: { correction: { ...ctx.c.correction!, receivedOn: on, content: dto.content }, lastStepOn: on, ...(dropped ? { delayedUntil: null, delayedReason: null } : {}) },
        on,
        payload: { content: dto.content, via: isPortal(actor) ? 'portal' : 'clerk', ...(dropped ? { delayedUntilDropped: dropped } : {}) },
      };
    }, cid);
  }

  /** Arts 32, 33 ¶3, 34: a consultation pauses the clock; never after the deadline. */
  consult(id: string, user: AuthUser, dto: D.ConsultDto, v?: number, cid?: string) {
    return this.run(id, 'consult', user, v, (ctx) => {
      const on = this.day(ctx, dto.on);
      if (ctx.c.state === 'in_progress') {
        const due = this.clockOn(ctx.c, ctx.cal, on).computedDue;
        if (due && on > due) throw new DomainError('DEADLINE_PASSED', `答复期限（${due}）已过，不能再征求意见暂停计算期限`, { due });
      }
      const k: Consultation = {
        id: randomUUID(),
        party: dto.party,
        name: dto.name,
        jointMaker: dto.jointMaker ?? false,
        openedOn: on,
        closedOn: null,
        opinion: null,
        note: null,
        // where the consultation letter goes (the party's postal address and e-mail; never in the history)
        ...(dto.address ? { address: dto.address } : {}),
        ...(dto.email ? { email: dto.email } : {}),
      };
      return { patch: { consultations: [...ctx.c.consultations, k], lastStepOn: on }, on, payload: { consultationId: k.id, party: k.party, name: k.name, jointMaker: k.jointMaker } };
    }, cid);
  }

  endConsultation(id: string, user: AuthUser, dto: D.EndConsultationDto, v?: number, cid?: string) {
    return this.run(id, 'end-consultation', user, v, (ctx) => {
      const open = ctx.c.consultations.filter((k) => !k.closedOn);
      let target: Consultation | undefined;
      if (dto.consultationId) {
        target = open.find((k) => k.id === dto.consultationId!.toLowerCase());
        if (!target) throw new DomainError('CONSULTATION_NOT_OPEN', undefined, { consultationId: dto.consultationId });
      } else if (open.length === 1) {
        target = open[0];
      } else if (open.length === 0) {
        throw new DomainError('CONSULTATION_NOT_OPEN');
      } else {
        throw DomainError.field('consultationId', '有多项征求意见进行中，请指明结束哪一项');
      }
      const on = this.day(ctx, dto.on, { notBefore: [{ date: target.openedOn, what: '征求意见之日' }] });
      const consultations = ctx.c.consultations.map((k) => (k.id === target.id ? { ...k, closedOn: on, opinion: dto.opinion, note: dto.note ?? null } : k));
      this.noConsultationAfterDeadline(ctx, consultations);
      const stillOpen = consultations.some((k) => !k.closedOn);
      return {
        patch: { consultations, lastStepOn: ctx.c.lastStepOn && ctx.c.lastStepOn > on ? ctx.c.lastStepOn : on },
        to: stillOpen ? 'consulting' : 'in_progress',
        on,
        payload: { consultationId: target.id, opinion: dto.opinion, note: dto.note ?? null },
      };
    }, cid);
  }

  /**
   * An end recorded late may predate a consultation opened meanwhile, which the clock then sees begun while it
   * ran. If the deadline had passed by that opening, the consultation would have been refused (DEADLINE_PASSED)
   * had the end been known: this end date is refused the same way, rather than the case turning overdue unseen.
   */
  private noConsultationAfterDeadline(ctx: Ctx, consultations: Consultation[]): void {
    for (const k of consultations) {
      const before = consultations
        .filter((x) => x.id !== k.id && x.openedOn < k.openedOn)
        .map((x) => (x.closedOn && x.closedOn <= k.openedOn ? x : { ...x, closedOn: null }));
      const due = this.clockOn({ ...ctx.c, state: 'in_progress', consultations: before }, ctx.cal, k.openedOn).computedDue;
      if (due && k.openedOn > due) {
        throw new DomainError('DEADLINE_PASSED', `按此结束日期，${k.name}的征求意见（${k.openedOn}）已在答复期限（${due}）届满之后开始，不能暂停计算期限`, {
          due,
          consultationId: k.id,
        });
      }
    }
  }

  /** Art 33 ¶2: one extension of at most 20 working days, requested before the deadline. */
  requestExtension(id: string, user: AuthUser, dto: D.RequestExtensionDto, v?: number, cid?: string) {
    return this.run(id, 'request-extension', user, v, (ctx) => {
      if (ctx.c.extension) throw new DomainError('EXTENSION_ALREADY_USED');
      this.noExtensionUnderArt35(ctx.c);
      const on = this.day(ctx, dto.on);
      const due = this.clockOn(ctx.c, ctx.cal, on).computedDue;
      if (due && on > due) throw new DomainError('EXTENSION_TOO_LATE', `答复期限（${due}）已过，不能再申请延期`, { due });
      return {
        patch: { extension: { days: dto.days, status: 'requested', requestedOn: on, approvedOn: null, reason: dto.reason, requestedBy: user.id, approvedBy: null }, lastStepOn: on },
        on,
        payload: { days: dto.days, reason: dto.reason },
      };
    }, cid);
  }

  /** Approved by the head of the office (a supervisor of the case's agency), on or before the deadline. */
  approveExtension(id: string, user: AuthUser, dto: D.ApproveExtensionDto, v?: number, cid?: string) {
    return this.run(id, 'approve-extension', user, v, (ctx) => {
      const ext = ctx.c.extension;
      if (!ext || ext.status !== 'requested') throw new DomainError('EXTENSION_NOT_REQUESTED');
      this.noExtensionUnderArt35(ctx.c);
      const on = this.day(ctx, dto.on, {
        notBefore: [
          { date: ext.requestedOn, what: '申请延期之日' },
          { date: ctx.c.lastStepOn, what: '上一办理步骤的日期' },
        ],
      });
      const due = this.clockOn(ctx.c, ctx.cal, on).computedDue;
      if (due && on > due) throw new DomainError('EXTENSION_TOO_LATE', `答复期限（${due}）已过，不能再批准延期`, { due });
      return {
        patch: { extension: { ...ext, status: 'approved', approvedOn: on, approvedBy: user.id }, lastStepOn: on },
        on,
        payload: { days: ext.days, previousDue: due },
      };
    }, cid);
  }

  /** Under an Art 35 date the deadline is that date: an extension (Art 33 ¶2) of the statutory period has nothing to extend. */
  private noExtensionUnderArt35(c: CaseEntity): void {
    if (c.delayedUntil) {
      throw new DomainError('TRANSITION_NOT_ALLOWED', `已依条例第三十五条延迟答复至${c.delayedUntil}，不再延长答复期限`, { delayedUntil: c.delayedUntil });
    }
  }

  /** Art 35: a reasonable later date becomes the deadline. */
  setDelayedReply(id: string, user: AuthUser, dto: D.SetDelayedReplyDto, v?: number, cid?: string) {
    return this.run(id, 'set-delayed-reply', user, v, (ctx) => {
      const allowed = delayedReplyAllowed(ctx.c.reasonsRequest);
      if (!allowed.ok) throw new DomainError('REASONS_NOT_ESTABLISHED', allowed.message);
      const on = this.day(ctx, dto.on);
      if (dto.until > CALENDAR_RANGE.to) throw DomainError.field('until', `延迟答复日期不能晚于${CALENDAR_RANGE.to}`);
      const due = this.clockOn(ctx.c, ctx.cal, on).computedDue;
      if (dto.until <= on || (due && dto.until <= due)) throw DomainError.field('until', `延迟答复日期应晚于当前答复期限（${due ?? on}）`);
      return { patch: { delayedUntil: dto.until, delayedReason: dto.reason, lastStepOn: on }, on, payload: { until: dto.until, reason: dto.reason, previousDue: due } };
    }, cid);
  }

  /** 办法: the fee notice pauses the clock until payment; inside the reply period only. */
  notifyFee(id: string, user: AuthUser, dto: D.NotifyFeeDto, v?: number, cid?: string) {
    return this.run(id, 'notify-fee', user, v, async (ctx) => {
      if (ctx.c.fee) throw new DomainError('TRANSITION_NOT_ALLOWED', '本案已发出过收费通知');
      const on = this.day(ctx, dto.on);
      const due = this.clockOn(ctx.c, ctx.cal, on).computedDue;
      if (due && on > due) throw new DomainError('DEADLINE_PASSED', `答复期限（${due}）已过，不能再发出收费通知`, { due });
      let nth: number | null = null;
      let amount: number;
      if (dto.tariff === 'per_page') {
        if (dto.pages === undefined) throw DomainError.field('pages', '按量计收须填写页数');
        amount = dto.amount ?? feeFor({ tariff: 'per_page', pages: dto.pages });
      } else {
        nth = await this.cases.monthPosition(ctx.m, ctx.c.id);
        amount = dto.amount ?? feeFor({ tariff: 'per_item', nth });
      }
      const basis = dto.basis ?? null;
      return {
        patch: { fee: { tariff: dto.tariff, pages: dto.pages ?? null, nth, amount, notifiedOn: on, paidOn: null, receiptNumber: null, basis, paidAmount: null }, lastStepOn: on },
        on,
        payload: { tariff: dto.tariff, pages: dto.pages ?? null, nth, amount, basis },
      };
    }, cid);
  }

  recordPayment(id: string, user: AuthUser, dto: D.RecordPaymentDto, v?: number, cid?: string) {
    return this.run(id, 'record-payment', user, v, (ctx) => {
      const fee = ctx.c.fee!;
      if (!paymentMatchesNotice(dto.amount, fee.amount)) throw DomainError.field('amount', `缴纳的金额应与收费通知的金额（${fee.amount}元）一致`);
      const on = this.day(ctx, dto.on, { notBefore: [{ date: fee.notifiedOn, what: '发出收费通知之日' }, { date: ctx.c.lastStepOn, what: '上一办理步骤的日期' }] });
      return { patch: { fee: { ...fee, paidOn: on, receiptNumber: dto.receiptNumber, paidAmount: dto.amount }, lastStepOn: on }, on, payload: { receiptNumber: dto.receiptNumber, amount: dto.amount } };
    }, cid);
  }

  /** The reply is drafted with one outcome of the catalogue (Arts 36–39) and its details. */
  draftReply(id: string, user: AuthUser, dto: D.DraftReplyDto, v?: number, cid?: string) {
    return this.run(id, 'draft-reply', user, v, async (ctx) => {
      if (!isOutcomeCode(dto.outcome) || !DRAFTABLE_OUTCOMES.includes(dto.outcome)) {
        throw DomainError.field('outcome', `答复类型“${dto.outcome}”不在目录中（逾期未补正、逾期未缴费由“视为放弃”办结）`);
      }
      const earlierReply = dto.earlierReply !== undefined && dto.outcome === 'rejected.duplicate' ? await this.earlierReply(ctx, dto.earlierReply) : dto.earlierReply;
      const details: OutcomeDetails = {
        ...(dto.reasons !== undefined ? { reasons: dto.reasons } : {}),
        ...(dto.withheldParts !== undefined ? { withheldParts: dto.withheldParts } : {}),
        ...(dto.grounds !== undefined ? { grounds: dto.grounds } : {}),
        ...(dto.competentAgency !== undefined ? { competentAgency: { ...dto.competentAgency } } : {}),
        ...(earlierReply !== undefined ? { earlierReply: { ...earlierReply } as NonNullable<OutcomeDetails['earlierReply']> } : {}),
      };
      if (dto.outcome === 'rejected.vexatious') {
        const allowed = vexatiousAllowed(ctx.c.reasonsRequest, this.reasonsEnd(ctx.c, ctx.cal), ctx.today);
        if (!allowed.ok) throw new DomainError('REASONS_NOT_ESTABLISHED', allowed.message, allowed.periodEnds ? { periodEnds: allowed.periodEnds } : {});
      }
      const problems = validateOutcomeDetails(dto.outcome, details);
      if (problems.length) throw DomainError.validation(problems, problems[0].message);
      return {
        patch: { replyDraft: { outcome: dto.outcome, details, draftedBy: user.id, draftedAt: this.clock.now().toISOString(), approvals: [] } },
        on: ctx.today,
        payload: { outcome: dto.outcome, details },
      };
    }, cid);
  }

  /**
   * Art 36(六): the earlier reply a `rejected.duplicate` refers to. A case of the system (same applicant, same
   * agency, reply issued) gives the reply's number and date; by hand only for a reply before the system.
   */
  private async earlierReply(ctx: Ctx, e: D.EarlierReplyDto): Promise<{ caseId?: string; beforeSystem: boolean; documentNumber?: string; date?: string }> {
    const shape = earlierReplyShapeProblems(e);
    if (shape.length) throw DomainError.validation(shape, shape[0].message);
    if (e.beforeSystem === true) {
      if (e.date! > ctx.today) throw DomainError.field('earlierReply.date', '此前答复的日期不能晚于今天');
      return { beforeSystem: true, documentNumber: e.documentNumber, date: e.date };
    }
    const caseId = e.caseId!.toLowerCase();
    const found = await this.cases.earlierReplyOf(ctx.m, caseId);
    const problems = earlierCaseProblems(
      found && {
        sameApplicant: found.applicantIdHash === ctx.c.applicantIdHash,
        sameAgency: found.agencyId === ctx.c.agencyId,
        reply: found.number && found.date ? { number: found.number, date: found.date } : null,
        isThisCase: caseId === ctx.c.id,
      },
    );
    if (problems.length) throw DomainError.validation(problems, problems[0].message);
    return { caseId, beforeSystem: false, documentNumber: found!.number!, date: found!.date! };
  }

  /** Sign-off by the agency's supervisors, step by step, with the confidentiality review (保密审查) recorded. */
  approveReply(id: string, user: AuthUser, dto: D.ApproveReplyDto, v?: number, cid?: string) {
    return this.run(id, 'approve-reply', user, v, async (ctx) => {
      const draft = ctx.c.replyDraft!;
      const agency = await this.agencies.findById(ctx.c.agencyId, ctx.m);
      const steps = agency?.approvalSteps ?? 1;
      const step = dto.step ?? draft.approvals.length + 1;
      if (step !== draft.approvals.length + 1) throw DomainError.field('step', `应签批第${draft.approvals.length + 1}步`);
      const reviewed = dto.confidentialityReviewed === true || draft.approvals.some((a) => a.confidentialityReviewed);
      const last = step >= steps;
      if (last && !reviewed) throw DomainError.field('confidentialityReviewed', '答复签发前须完成保密审查');
      const approvals = [...draft.approvals, { step, by: user.id, at: this.clock.now().toISOString(), confidentialityReviewed: dto.confidentialityReviewed === true }];
      return {
        patch: { replyDraft: { ...draft, approvals } },
        to: last ? 'reply_approved' : 'reply_review',
        on: ctx.today,
        payload: { step, of: steps, confidentialityReviewed: dto.confidentialityReviewed === true },
      };
    }, cid);
  }

  returnReply(id: string, user: AuthUser, dto: D.ReturnReplyDto, v?: number, cid?: string) {
    return this.run(id, 'return-reply', user, v, (ctx) => ({
      patch: { replyDraft: ctx.c.replyDraft ? { ...ctx.c.replyDraft, approvals: [] } : null },
      on: ctx.today,
      payload: { reason: dto.reason },
    }), cid);
  }

  /** The reply is issued: the date on the letter is the conclusion date (statute §3). */
  issueReply(id: string, user: AuthUser, dto: D.IssueReplyDto, v?: number, cid?: string) {
    return this.run(id, 'issue-reply', user, v, (ctx) => {
      const on = this.day(ctx, dto.on);
      const draft = ctx.c.replyDraft!;
      return {
        patch: { outcome: draft.outcome, outcomeDetails: draft.details, concludedOn: on, lastStepOn: on },
        on,
        payload: { outcome: draft.outcome },
      };
    }, cid);
  }

  /** The addressee's receipt of a letter: periods that run from it start here. */
  recordDelivery(id: string, user: Actor, dto: D.RecordDeliveryDto, v?: number, cid?: string) {
    return this.run(id, 'record-delivery', user, v, async (ctx) => {
      // `letterId` names the letter exactly (a superseded letter, one of several consultations); else the code
      const letter = dto.letterId ? await this.letters.issuedLetter(ctx.m, ctx.c.id, dto.letterId) : null;
      if (dto.letterId && !letter) throw DomainError.field('letterId', '本案没有发出过该文书');
      if (letter && dto.of && dto.of !== letter.code) throw DomainError.field('of', '文书种类与 letterId 所指文书不符');
      const of = letter?.code ?? dto.of!;
      const sent = letter ? letter.datedOn : await this.letters.firstSentOn(ctx.m, ctx.c.id, of);
      if (!sent) throw DomainError.field('of', '本案没有发出过该文书');
      const on = this.day(ctx, dto.on, { notBefore: [{ date: sent, what: '文书发出之日' }] });
      const d = { of, on, method: dto.method, waybillNumber: dto.waybillNumber ?? null, recordedAt: this.clock.now().toISOString(), ...(letter ? { letterId: letter.id } : {}) };
      return { patch: { deliveries: [...ctx.c.deliveries, d] }, on, payload: { of, method: dto.method, waybillNumber: d.waybillNumber, ...(letter ? { letterId: letter.id } : {}) } };
    }, cid);
  }

  /**
   * The applicant lost the query code: a new one replaces the old one's hash (the old code stops working) and
   * is printed on a new receipt, sealed there until rendered.
   */
  resetQueryCode(id: string, user: AuthUser, v?: number, cid?: string) {
    const queryCode = newQueryCode();
    return this.run(id, 'reset-query-code', user, v, (ctx) => ({
      patch: { queryCodeHash: this.cipher.hash(QUERY_CODE_HASH, queryCode) },
      on: ctx.today,
      payload: {},
      queryCode,
    }), cid);
  }

  /** Art 30 / 办法: deemed abandoned (视为放弃申请) once the applicant's period has ended. */
  concludeLapsed(id: string, user: AuthUser, dto: D.ConcludeLapsedDto, v?: number, cid?: string) {
    return this.run(id, 'conclude-lapsed', user, v, (ctx) => {
      const c = ctx.c;
      let end: string;
      let outcome: OutcomeCode;
      if (dto.reason === 'correction') {
        if (c.state !== 'awaiting_correction' || !c.correction) throw new DomainError('TRANSITION_NOT_ALLOWED', '案件不在待补正状态');
        end = applicantPeriodEnd(receivedOn(c.deliveries, 'correction_notice', c.correction.requestedOn), c.correction.periodDays, ctx.cal).date;
        outcome = 'other.correction_lapsed';
      } else {
        if (c.state !== 'awaiting_fee' || !c.fee) throw new DomainError('TRANSITION_NOT_ALLOWED', '案件不在待缴费状态');
        end = applicantPeriodEnd(receivedOn(c.deliveries, 'fee_notice', c.fee.notifiedOn), FEE_PAYMENT_DAYS, ctx.cal).date;
        outcome = 'other.fee_unpaid';
      }
      const on = this.day(ctx, dto.on);
      if (on <= end) throw new DomainError('PERIOD_NOT_LAPSED', `期限至${end}届满，届满后方可视为放弃申请`, { periodEnds: end });
      return { patch: { outcome, outcomeDetails: {}, concludedOn: on, lastStepOn: on }, on, payload: { reason: dto.reason, periodEnded: end } };
    }, cid);
  }

  withdraw(id: string, user: AuthUser, dto: D.WithdrawDto, v?: number, cid?: string) {
    return this.run(id, 'withdraw', user, v, (ctx) => {
      const on = this.day(ctx, dto.on);
      return { patch: { outcome: 'other.other', outcomeDetails: { reasons: `申请人撤回申请：${dto.reason}` }, concludedOn: on, lastStepOn: on }, on, payload: { reason: dto.reason } };
    }, cid);
  }

  /** 行政复议 / 行政诉讼 recorded against the case (statute §7). */
  recordReview(id: string, user: AuthUser, dto: D.RecordReviewDto, v?: number, cid?: string) {
    return this.run(id, 'record-review', user, v, (ctx) => {
      // a suit for not replying may concern a portal submission never confirmed: then from its submission
      const start = ctx.c.receiptDate
        ? { date: ctx.c.receiptDate, what: '收到申请之日' }
        : { date: ctx.c.submittedAt ? this.clock.todayOf(ctx.c.submittedAt) : null, what: '提交申请之日' };
      const filedOn = this.day(ctx, dto.filedOn, { field: 'filedOn', notBefore: [start] });
      const result = dto.result ?? 'pending';
      const concludedOn = dto.concludedOn ? this.day(ctx, dto.concludedOn, { field: 'concludedOn', notBefore: [{ date: filedOn, what: '立案之日' }] }) : null;
      const decisionReceivedOn = dto.decisionReceivedOn
        ? this.day(ctx, dto.decisionReceivedOn, { field: 'decisionReceivedOn', notBefore: [{ date: concludedOn ?? filedOn, what: '审结之日' }] })
        : null;
      if (result !== 'pending' && !concludedOn) throw DomainError.field('concludedOn', '已审结的须填写审结日期');
      const reviewId = randomUUID();
      return {
        patch: {},
        on: filedOn,
        payload: { reviewId, kind: dto.kind, result, concludedOn, decisionReceivedOn },
        also: (m) =>
          this.cases.insertReview(m, { id: reviewId, caseId: ctx.c.id, agencyId: ctx.c.agencyId, kind: dto.kind, filedOn, result, concludedOn, decisionReceivedOn, note: dto.note ?? null }),
      };
    }, cid);
  }

  /** PATCH /reviews/{id}: the result arrives later; recorded in the case's history. */
  async updateReview(reviewId: string, user: AuthUser, dto: D.UpdateReviewDto): Promise<CaseDto> {
    const review = await this.cases.findReview(reviewId);
    if (!review) throw DomainError.notFound('复议或诉讼记录');
    const c = await this.cases.findById(review.caseId);
    if (!c) throw DomainError.notFound('复议或诉讼记录');
    if (user.role === 'admin' || user.role === 'auditor') {
      const access = await this.cases.accessTo(c.agencyId, user);
      if (access === 'none' && user.role !== 'admin') throw DomainError.notFound('复议或诉讼记录');
      throw new DomainError('FORBIDDEN');
    }
    return this.run(c.id, 'record-review', user, c.version, async (ctx) => {
      // read again inside the command: a review updated meanwhile moved the case's version, so this either sees
      // that update or loses the compare-and-set (409), never writes back fields from a stale copy
      const review = (await this.cases.findReview(reviewId, ctx.m))!;
      const concludedOn = dto.concludedOn ? this.day(ctx, dto.concludedOn, { field: 'concludedOn', notBefore: [{ date: review.filedOn, what: '立案之日' }] }) : review.concludedOn;
      const decisionReceivedOn = dto.decisionReceivedOn
        ? this.day(ctx, dto.decisionReceivedOn, { field: 'decisionReceivedOn', notBefore: [{ date: concludedOn ?? review.filedOn, what: '审结之日' }] })
        : review.decisionReceivedOn;
      if (dto.result !== 'pending' && !concludedOn) throw DomainError.field('concludedOn', '已审结的须填写审结日期');
      return {
        patch: {},
        on: concludedOn ?? ctx.today,
        payload: { reviewId, result: dto.result, concludedOn, decisionReceivedOn, update: true },
        also: (m) => this.cases.updateReview(m, reviewId, { result: dto.result, concludedOn, decisionReceivedOn, ...(dto.note !== undefined ? { note: dto.note } : {}) }),
      };
    });
  }

  /** After a `corrected` review: a new case linked to this one, received the day the decision reached the agency. */
  reopen(id: string, user: AuthUser, dto: D.ReopenDto, v?: number, cid?: string) {
    return this.run(id, 'reopen', user, v, async (ctx) => {
      const reviews = await this.cases.reviewsOf(ctx.c.id, ctx.m);
      const corrected = reviews.find((r) => r.result === 'corrected');
      if (!corrected) throw new DomainError('TRANSITION_NOT_ALLOWED', '只有复议或诉讼结果为“纠正”的案件才能重新办理');
      if (await this.cases.reopenedCaseOf(ctx.m, ctx.c.id)) throw new DomainError('TRANSITION_NOT_ALLOWED', '本案已重新办理过');
      const on = this.day(ctx, dto.on, { notBefore: [{ date: corrected.decisionReceivedOn ?? corrected.concludedOn ?? corrected.filedOn, what: '决定送达之日' }] });
      const old = ctx.c;
      return {
        patch: {},
        on,
        payload: { reviewId: corrected.id },
        also: async (m) => {
          const fresh = await this.casesService.create(
            m,
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
              searchGrams: await this.gramsOf(m, old.id),
              queryCodeHash: old.queryCodeHash,
              assigneeId: old.assigneeId,
              reopenedFrom: old.id,
              createdBy: user.id,
            },
            user,
            { action: 'reopened', on, payload: { reopenedFrom: old.id, trackingNumber: old.trackingNumber, reviewId: corrected.id } },
          );
          return { newCaseId: fresh.id };
        },
      };
    }, cid);
  }

  private async gramsOf(m: EntityManager, id: string): Promise<string[]> {
    const rows: { g: string[] }[] = await m.query(`SELECT search_grams AS g FROM cases WHERE id = $1`, [id]);
    return rows[0]?.g ?? [];
  }
}
