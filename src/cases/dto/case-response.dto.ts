import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WorkingCalendar } from '../../statute/working-calendar';
import type { Role } from '../../statute/roles';
import { maskName } from '../../statute/id-number';
import type { CaseEntity } from '../case.entity';
import type { ReviewEntity } from '../review.entity';
import { clockOf, deadlineView, receivedOn, subDeadlinesOf, type SubDeadlines } from '../case-clock';
import { reasonsPeriodEnd } from '../../statute/art35';
import { CASE_STATE_LABELS } from '../../statute/case-states';
import { actionsAvailable } from '../../statute/transition-table';
import { OUTCOMES } from '../../statute/outcomes';

export class DeadlineDto {
  @ApiProperty({ nullable: true, description: '答复期限；未起算、暂停或已办结时为 null' }) due: string | null;
  @ApiProperty() paused: boolean;
  @ApiProperty({ nullable: true }) workingDaysUsed: number | null;
  @ApiProperty({ nullable: true, description: '届满当日为0，逾期为负数' }) workingDaysLeft: number | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() provisional: boolean;
  @ApiProperty({ type: [String] }) explanation: string[];
  @ApiProperty({ nullable: true, description: '期限起算日（收到申请或补正之日）' }) start: string | null;
  @ApiProperty({ nullable: true, description: '适用的答复期限（办结时所适用的期限）' }) computedDue: string | null;
  @ApiProperty({ nullable: true, description: '暂停中：若今日恢复计算的答复期限' }) dueIfResumedToday: string | null;
  @ApiProperty({ description: '暂停计算的工作日数' }) pausedDays: number;
}

export class ApplicantView {
  @ApiProperty() type: string;
  @ApiProperty() name: string;
  @ApiProperty() idType: string;
  @ApiProperty({ description: '脱敏的证件号码' }) idNumber: string;
  @ApiProperty({ nullable: true, description: '脱敏的电话' }) phone: string | null;
  @ApiProperty({ nullable: true }) email: string | null;
  @ApiProperty({ nullable: true }) address: string | null;
}

export class ReviewDto {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() filedOn: string;
  @ApiProperty() result: string;
  @ApiProperty({ nullable: true }) concludedOn: string | null;
  @ApiProperty({ nullable: true }) decisionReceivedOn: string | null;
  @ApiProperty({ nullable: true }) note: string | null;
}

export class ForwardedDto {
  @ApiProperty() fromAgencyId: string;
  @ApiProperty() toAgencyId: string;
  @ApiProperty() on: string;
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
}

export class ReasonsRequestDto {
  @ApiProperty() requestedOn: string;
  @ApiProperty({ type: [String] }) items: string[];
  @ApiProperty({ description: '说明理由的期限（工作日）' }) periodDays: number;
  @ApiProperty({ description: '说明理由的期限届满之日（自登记的送达之日起算）' }) periodEnds: string;
  @ApiProperty({ type: String, nullable: true }) answeredOn: string | null;
  @ApiProperty({ type: String, nullable: true }) content: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: '本机关认定理由是否合理；未登记为 null' }) reasonable: boolean | null;
}

export class Art35ThresholdsDto {
  @ApiProperty({ description: '每自然月申请件数上限' }) perMonth: number;
  @ApiProperty({ description: '滚动期间（日）' }) windowDays: number;
  @ApiProperty({ description: '滚动期间内申请件数上限' }) perWindow: number;
}

export class Art35FlagDto {
  @ApiProperty({ description: '当月申请件数（含本件）' }) month: number;
  @ApiProperty({ description: '滚动期间内申请件数（含本件）' }) window: number;
  @ApiProperty({ type: Art35ThresholdsDto }) thresholds: Art35ThresholdsDto;
  @ApiProperty({ type: [String], description: '提示理由' }) reasons: string[];
}

export class CaseDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty() channel: string;
  @ApiProperty({ nullable: true }) receiptDate: string | null;
  @ApiProperty({ nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: ApplicantView }) applicant: ApplicantView;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true }) documentNumber: string | null;
  @ApiProperty() form: string;
  @ApiProperty() delivery: string;
  @ApiProperty({ nullable: true }) assigneeId: string | null;
  @ApiProperty({ nullable: true }) outcome: string | null;
  @ApiProperty({ nullable: true }) outcomeLabel: string | null;
  @ApiProperty({ nullable: true }) outcomeDetails: unknown;
  @ApiProperty({ nullable: true }) concludedOn: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: DeadlineDto }) deadline: DeadlineDto;
  @ApiProperty() periods: SubDeadlines;
  @ApiProperty({ nullable: true }) correction: unknown;
  @ApiProperty() consultations: unknown[];
  @ApiProperty({ nullable: true }) extension: unknown;
  @ApiProperty({ nullable: true }) delayedUntil: string | null;
  @ApiProperty({ nullable: true }) fee: unknown;
  @ApiProperty({ nullable: true }) replyDraft: unknown;
  @ApiProperty() deliveries: unknown[];
  @ApiPropertyOptional({ type: [ReviewDto] }) reviews?: ReviewDto[];
  @ApiProperty({ nullable: true }) reopenedFrom: string | null;
  @ApiProperty({ type: ForwardedDto, nullable: true, description: '分办：转送记录' }) forwarded: ForwardedDto | null;
  @ApiProperty({ type: ReasonsRequestDto, nullable: true, description: '第三十五条：要求说明理由及认定' }) reasonsRequest: ReasonsRequestDto | null;
  @ApiProperty({ type: Art35FlagDto, nullable: true, description: '第三十五条：登记时申请数量、频次超过本机关设定的提示' }) art35Flag: Art35FlagDto | null;
  @ApiProperty({ type: [String], description: '当前用户在此状态下可执行的操作' }) availableActions: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export function mapReview(r: ReviewEntity): ReviewDto {
  return { id: r.id, kind: r.kind, filedOn: r.filedOn, result: r.result, concludedOn: r.concludedOn, decisionReceivedOn: r.decisionReceivedOn, note: r.note };
}

/**
 * The case as clerks, supervisors and auditors see it: identity number and phone masked.
 * `canAct` false for read-only readers (auditors, supervisors of a parent agency): no actions offered.
 */
export function mapCase(c: CaseEntity, cal: WorkingCalendar, today: string, viewerRole: Role, reviews?: ReviewEntity[], canAct = true): CaseDto {
  const clock = clockOf(c, cal, today);
  return {
    id: c.id,
    trackingNumber: c.trackingNumber,
    agencyId: c.agencyId,
    state: c.state,
    stateLabel: CASE_STATE_LABELS[c.state],
    channel: c.channel,
    receiptDate: c.receiptDate,
    submittedAt: c.submittedAt ? c.submittedAt.toISOString() : null,
    applicant: {
      type: c.applicantType,
      name: c.applicantName,
      idType: c.applicantIdType,
      idNumber: c.applicantIdMasked,
      phone: c.applicantPhoneMasked,
      email: c.applicantEmail,
      address: c.applicantAddress,
    },
    description: c.description,
    documentNumber: c.documentNumber,
    form: c.form,
    delivery: c.delivery,
    assigneeId: c.assigneeId,
    outcome: c.outcome,
    outcomeLabel: c.outcome ? OUTCOMES[c.outcome].label : null,
    outcomeDetails: c.outcomeDetails,
    concludedOn: c.concludedOn,
    version: c.version,
    deadline: deadlineView(clock),
    periods: subDeadlinesOf(c, cal),
    correction: c.correction,
    consultations: c.consultations,
    extension: c.extension,
    delayedUntil: c.delayedUntil,
    fee: c.fee,
    replyDraft: c.replyDraft,
    deliveries: c.deliveries,
    ...(reviews ? { reviews: reviews.map(mapReview) } : {}),
    reopenedFrom: c.reopenedFrom,
    forwarded: c.forwarded ?? null,
    reasonsRequest: c.reasonsRequest
      ? { ...c.reasonsRequest, items: [...c.reasonsRequest.items], periodEnds: reasonsPeriodEnd(c.reasonsRequest, receivedOn(c.deliveries, 'reasons_request', c.reasonsRequest.requestedOn), cal) }
      : null,
    art35Flag: c.art35Flag ? { ...c.art35Flag, thresholds: { ...c.art35Flag.thresholds }, reasons: [...c.art35Flag.reasons] } : null,
    availableActions: canAct ? [...actionsAvailable(c.state, viewerRole)] : [],
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** One line of a list: enough for a board, nothing personal beyond the name. */
export class CaseSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() agencyId: string;
  @ApiProperty() state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty() channel: string;
  @ApiProperty({ nullable: true }) receiptDate: string | null;
  @ApiProperty() applicantName: string;
  @ApiProperty() applicantType: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true }) assigneeId: string | null;
  @ApiProperty({ nullable: true }) outcome: string | null;
  @ApiProperty({ nullable: true }) due: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() provisional: boolean;
  @ApiProperty() version: number;
}

export function mapCaseSummary(c: CaseEntity, today: string): CaseSummaryDto {
  const open = c.state !== 'concluded' && c.state !== 'discarded';
  return {
    id: c.id,
    trackingNumber: c.trackingNumber,
    agencyId: c.agencyId,
    state: c.state,
    stateLabel: CASE_STATE_LABELS[c.state],
    channel: c.channel,
    receiptDate: c.receiptDate,
    applicantName: c.applicantName,
    applicantType: c.applicantType,
    description: c.description.length > 120 ? `${c.description.slice(0, 120)}…` : c.description,
    assigneeId: c.assigneeId,
    outcome: c.outcome,
    due: c.dueDate,
    overdue: open ? c.dueDate !== null && c.dueDate < today : c.concludedLate === true,
    provisional: c.deadlineProvisional,
    version: c.version,
  };
}

/** Applicants see the state in words, dates and their letters; never notes or staff. */
export function portalView<L>(c: CaseEntity, cal: WorkingCalendar, today: string, letters: readonly L[], reopenedAs: string | null = null, agencyName = '') {
  const clock = clockOf(c, cal, today);
  return {
    trackingNumber: c.trackingNumber,
    state: c.state,
    stateLabel: CASE_STATE_LABELS[c.state],
    applicantName: maskName(c.applicantName, c.applicantType),
    /** the agency handling it now (after a forward, the one it went to) */
    agency: { name: agencyName },
    submittedAt: c.submittedAt ? c.submittedAt.toISOString() : null,
    receiptDate: c.receiptDate,
    expectedReplyBy: clock.due ?? (c.state === 'concluded' ? null : clock.dueIfResumedToday),
    deadline: { due: clock.due, paused: clock.paused, provisional: clock.provisional, explanation: clock.explanation },
    correctionRequested:
      c.state === 'awaiting_correction' && c.correction ? { requestedOn: c.correction.requestedOn, items: c.correction.items, periodDays: c.correction.periodDays } : null,
    fee: c.state === 'awaiting_fee' && c.fee ? { amount: c.fee.amount, notifiedOn: c.fee.notifiedOn, tariff: c.fee.tariff } : null,
    outcome: c.outcome,
    outcomeLabel: c.outcome ? OUTCOMES[c.outcome].label : null,
    concludedOn: c.concludedOn,
    /** after a corrected review: the tracking number of the case handling the application again (same query code) */
    reopenedAs,
    /** the letters issued to the applicant, oldest first */
    letters,
  };
}
