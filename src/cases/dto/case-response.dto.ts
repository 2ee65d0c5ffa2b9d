import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WorkingCalendar } from '../../statute/working-calendar';
import type { Role } from '../../statute/roles';
import { maskName } from '../../statute/id-number';
import type { CaseEntity } from '../case.entity';
import type { ReviewEntity } from '../review.entity';
import { clockOf, deadlineView, noticeSentOn, receivedOn, subDeadlinesOf, type SubDeadlines } from '../case-clock';
import { reasonsPeriodEnd } from '../../statute/art35';
import { CASE_STATE_LABELS } from '../../statute/case-states';
import { actionsAvailable } from '../../statute/transition-table';
import { OUTCOMES } from '../../statute/outcomes';
import { CASE_STATES } from '../../statute/case-states';
import { APPLICANT_TYPES, CHANNELS } from '../../statute/intake';

const DATE = { type: String, format: 'date' } as const;
const DATE_N = { type: String, format: 'date', nullable: true } as const;
const TIME = { type: String, format: 'date-time' } as const;
const TIME_N = { type: String, format: 'date-time', nullable: true } as const;
const UUID = { type: String, format: 'uuid' } as const;
const UUID_N = { type: String, format: 'uuid', nullable: true } as const;
const STR_N = { type: String, nullable: true } as const;
const INT = { type: 'integer' } as const;
const INT_N = { type: 'integer', nullable: true } as const;

export class DeadlineDto {
  @ApiProperty({ ...DATE_N, description: '答复期限；未起算、暂停或已办结时为 null' }) due: string | null;
  @ApiProperty() paused: boolean;
  @ApiProperty({ ...INT_N }) workingDaysUsed: number | null;
  @ApiProperty({ ...INT_N, description: '届满当日为0，逾期为负数' }) workingDaysLeft: number | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() provisional: boolean;
  @ApiProperty({ type: [String] }) explanation: string[];
  @ApiProperty({ ...DATE_N, description: '期限起算日（收到申请或补正之日）' }) start: string | null;
  @ApiProperty({ ...DATE_N, description: '适用的答复期限（办结时所适用的期限）' }) computedDue: string | null;
  @ApiProperty({ ...DATE_N, description: '暂停中：若今日恢复计算的答复期限' }) dueIfResumedToday: string | null;
  @ApiProperty({ ...INT, description: '暂停计算的工作日数' }) pausedDays: number;
}

export class ApplicantView {
  @ApiProperty({ enum: APPLICANT_TYPES }) type: string;
  @ApiProperty() name: string;
  @ApiProperty() idType: string;
  @ApiProperty({ description: '脱敏的证件号码' }) idNumber: string;
  @ApiProperty({ ...STR_N, description: '脱敏的电话' }) phone: string | null;
  @ApiProperty({ ...STR_N }) email: string | null;
  @ApiProperty({ ...STR_N }) address: string | null;
}

export class ReviewDto {
  @ApiProperty({ ...UUID }) id: string;
  @ApiProperty() kind: string;
  @ApiProperty({ ...DATE }) filedOn: string;
  @ApiProperty() result: string;
  @ApiProperty({ ...DATE_N }) concludedOn: string | null;
  @ApiProperty({ ...DATE_N }) decisionReceivedOn: string | null;
  @ApiProperty({ ...STR_N }) note: string | null;
}

export class CorrectionView {
  @ApiProperty({ ...DATE }) requestedOn: string;
  @ApiProperty({ type: [String] }) items: string[];
  @ApiProperty({ ...INT, description: '补正期限（工作日）' }) periodDays: number;
  @ApiProperty({ ...DATE_N }) receivedOn: string | null;
  @ApiProperty({ ...STR_N }) content: string | null;
  @ApiPropertyOptional({ ...DATE, description: '补正通知书被更正后，现行通知书的发出之日（补正期限自其送达起算）；未更正时无此项' }) noticeOn?: string;
}

export class ConsultationView {
  @ApiProperty({ ...UUID }) id: string;
  @ApiProperty({ enum: ['third_party', 'other_agency'] }) party: string;
  @ApiProperty() name: string;
  @ApiProperty() jointMaker: boolean;
  @ApiProperty({ ...DATE }) openedOn: string;
  @ApiProperty({ ...DATE_N }) closedOn: string | null;
  @ApiProperty({ enum: ['consent', 'objection', 'none'], nullable: true }) opinion: string | null;
  @ApiProperty({ ...STR_N }) note: string | null;
  @ApiPropertyOptional({ description: '被征求意见方的邮寄地址' }) address?: string;
  @ApiPropertyOptional({ description: '被征求意见方的电子邮箱' }) email?: string;
  @ApiPropertyOptional({ ...DATE, description: '征求意见书（函）被更正后，现行文书的发出之日（答复期限自其送达起算）；未更正时无此项' }) noticeOn?: string;
}

export class ExtensionView {
  @ApiProperty({ ...INT }) days: number;
  @ApiProperty({ enum: ['requested', 'approved'] }) status: string;
  @ApiProperty({ ...DATE }) requestedOn: string;
  @ApiProperty({ ...DATE_N }) approvedOn: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ ...UUID }) requestedBy: string;
  @ApiProperty({ ...UUID_N }) approvedBy: string | null;
}

export class FeeView {
  @ApiProperty({ enum: ['per_item', 'per_page'] }) tariff: string;
  @ApiProperty({ ...INT_N }) pages: number | null;
  @ApiProperty({ ...INT_N, description: '本月第几件（按件计收）' }) nth: number | null;
  @ApiProperty({ description: '金额（元）' }) amount: number;
  @ApiProperty({ ...DATE }) notifiedOn: string;
  @ApiProperty({ ...DATE_N }) paidOn: string | null;
  @ApiProperty({ ...STR_N }) receiptNumber: string | null;
  @ApiPropertyOptional({ ...STR_N, description: '超出合理范围的依据（办法）' }) basis?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '登记缴费的金额（与通知一致）' }) paidAmount?: number | null;
  @ApiPropertyOptional({ ...DATE, description: '收费通知书被更正后，现行通知书的发出之日（缴费期限自其送达起算）；未更正时无此项' }) noticeOn?: string;
}

export class CompetentAgencyView {
  @ApiProperty() name: string;
  @ApiPropertyOptional() contact?: string;
}

export class EarlierReplyView {
  @ApiProperty() documentNumber: string;
  @ApiProperty({ ...DATE }) date: string;
  @ApiPropertyOptional({ ...UUID, description: '此前答复的案件' }) caseId?: string;
  @ApiPropertyOptional({ description: '系统启用前的答复' }) beforeSystem?: boolean;
}

export class OutcomeDetailsView {
  @ApiPropertyOptional() reasons?: string;
  @ApiPropertyOptional({ type: [String] }) withheldParts?: readonly string[];
  @ApiPropertyOptional({ type: [String] }) grounds?: readonly string[];
  @ApiPropertyOptional({ type: CompetentAgencyView }) competentAgency?: CompetentAgencyView;
  @ApiPropertyOptional({ type: EarlierReplyView }) earlierReply?: EarlierReplyView;
}

export class ApprovalView {
  @ApiProperty({ ...INT }) step: number;
  @ApiProperty({ ...UUID }) by: string;
  @ApiProperty({ ...TIME }) at: string;
  @ApiProperty() confidentialityReviewed: boolean;
}

export class ReplyDraftView {
  @ApiProperty() outcome: string;
  @ApiProperty({ type: OutcomeDetailsView }) details: OutcomeDetailsView;
  @ApiProperty({ ...UUID }) draftedBy: string;
  @ApiProperty({ ...TIME }) draftedAt: string;
  @ApiProperty({ type: [ApprovalView] }) approvals: ApprovalView[];
}

export class DeliveryView {
  @ApiProperty({ description: '送达的文书（reply 或告知书代码）' }) of: string;
  @ApiProperty({ ...DATE }) on: string;
  @ApiProperty() method: string;
  @ApiProperty({ ...STR_N }) waybillNumber: string | null;
  @ApiProperty({ ...TIME }) recordedAt: string;
  @ApiPropertyOptional({ ...UUID, description: '送达的文书（登记时以 letterId 指明）' }) letterId?: string;
  @ApiPropertyOptional({ ...UUID, description: '该文书所属的征求意见（致第三方或其他机关的文书以 letterId 指明时）；其答复期限自此送达起算' }) consultationId?: string;
  @ApiPropertyOptional({ enum: [true], description: '登记时该文书已被更正：仅作为该文书的送达事实，期限自现行文书的送达起算' }) superseded?: true;
}

export class ConsultationRespondBy {
  @ApiProperty({ ...UUID }) consultationId: string;
  @ApiProperty({ ...DATE }) date: string;
}

export class PeriodsView {
  @ApiProperty({ ...DATE_N, description: '第三十条：要求补正的最后一日' }) correctionRequestBy: string | null;
  @ApiProperty({ ...DATE_N, description: '申请人补正期限届满日' }) correctionPeriodEnds: string | null;
  @ApiProperty({ ...DATE_N, description: '缴费期限届满日' }) feePaymentEnds: string | null;
  @ApiProperty({ type: [ConsultationRespondBy] }) consultationsRespondBy: ConsultationRespondBy[];
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
  @ApiPropertyOptional({ ...DATE, description: '说明理由通知被更正后，现行通知的发出之日（期限自其送达起算）；未更正时无此项' }) noticeOn?: string;
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
  @ApiProperty({ ...UUID }) id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ ...UUID }) agencyId: string;
  @ApiProperty({ enum: CASE_STATES }) state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ ...DATE_N }) receiptDate: string | null;
  @ApiProperty({ ...TIME_N }) submittedAt: string | null;
  @ApiProperty({ type: ApplicantView }) applicant: ApplicantView;
  @ApiProperty() description: string;
  @ApiProperty({ ...STR_N }) documentNumber: string | null;
  @ApiProperty() form: string;
  @ApiProperty() delivery: string;
  @ApiProperty({ ...UUID_N }) assigneeId: string | null;
  @ApiProperty({ ...STR_N }) outcome: string | null;
  @ApiProperty({ ...STR_N }) outcomeLabel: string | null;
  @ApiProperty({ type: OutcomeDetailsView, nullable: true }) outcomeDetails: OutcomeDetailsView | null;
  @ApiProperty({ ...DATE_N }) concludedOn: string | null;
  @ApiProperty({ ...INT }) version: number;
  @ApiProperty({ type: DeadlineDto }) deadline: DeadlineDto;
  @ApiProperty({ type: PeriodsView }) periods: SubDeadlines;
  @ApiProperty({ type: CorrectionView, nullable: true }) correction: CorrectionView | null;
  @ApiProperty({ type: [ConsultationView] }) consultations: ConsultationView[];
  @ApiProperty({ type: ExtensionView, nullable: true }) extension: ExtensionView | null;
  @ApiProperty({ ...DATE_N }) delayedUntil: string | null;
  @ApiProperty({ type: FeeView, nullable: true }) fee: FeeView | null;
  @ApiProperty({ type: ReplyDraftView, nullable: true }) replyDraft: ReplyDraftView | null;
  @ApiProperty({ type: [DeliveryView] }) deliveries: DeliveryView[];
  @ApiPropertyOptional({ type: [ReviewDto] }) reviews?: ReviewDto[];
  @ApiProperty({ ...UUID_N }) reopenedFrom: string | null;
  @ApiProperty({ type: ForwardedDto, nullable: true, description: '分办：转送记录' }) forwarded: ForwardedDto | null;
  @ApiProperty({ type: ReasonsRequestDto, nullable: true, description: '第三十五条：要求说明理由及认定' }) reasonsRequest: ReasonsRequestDto | null;
  @ApiProperty({ type: Art35FlagDto, nullable: true, description: '第三十五条：登记时申请数量、频次超过本机关设定的提示' }) art35Flag: Art35FlagDto | null;
  @ApiProperty({ type: [String], description: '当前用户在此状态下可执行的操作' }) availableActions: string[];
  @ApiProperty({ ...TIME }) createdAt: string;
  @ApiProperty({ ...TIME }) updatedAt: string;
}

export class EarlierReplyRef {
  @ApiProperty({ description: '答复书发文字号' }) number: string;
  @ApiProperty({ ...DATE, description: '答复日期' }) date: string;
}

export class DuplicateHintDto {
  @ApiProperty({ ...UUID }) id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ ...DATE_N }) receiptDate: string | null;
  @ApiProperty({ enum: CASE_STATES }) state: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: '申请内容相似度（0–1）' }) similarity: number;
  @ApiProperty({ type: EarlierReplyRef, nullable: true, description: '已作出的答复（可作为第三十六条第六项的“已答复”）' }) reply: EarlierReplyRef | null;
}

export class DuplicateHintsDto {
  @ApiProperty({ type: [DuplicateHintDto], description: '同一申请人（按证件号码）以前的申请，最相似的在前' }) earlier: DuplicateHintDto[];
  @ApiProperty({ ...INT, description: '申请人本月的申请数（含本件）' }) countThisMonth: number;
}

/** The answer of clerk intake: the case, its query code (shown once) and the duplicate hints. */
export class IntakeResultDto extends CaseDto {
  @ApiProperty({ description: '查询码（仅此一次显示）' }) queryCode: string;
  @ApiProperty({ type: DuplicateHintsDto }) duplicateHints: DuplicateHintsDto;
}

export class HistoryActorDto {
  @ApiProperty({ ...UUID_N, description: '系统自动执行时为 null' }) id: string | null;
  @ApiProperty({ ...STR_N }) role: string | null;
}

export class HistoryItemDto {
  @ApiProperty({ ...TIME, description: '记录时间' }) at: string;
  @ApiProperty({ ...DATE_N, description: '事项发生之日' }) on: string | null;
  @ApiProperty({ type: HistoryActorDto }) actor: HistoryActorDto;
  @ApiProperty() action: string;
  @ApiProperty({ enum: CASE_STATES, nullable: true }) fromState: string | null;
  @ApiProperty({ enum: CASE_STATES }) toState: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: '该操作的内容' }) payload: Record<string, unknown> | null;
  @ApiProperty({ description: '补录（事项发生之日早于记录之日）' }) recordedLate: boolean;
}

export class HistoryDto {
  @ApiProperty({ type: [HistoryItemDto] }) items: HistoryItemDto[];
}

export class RevealedIdentityDto {
  @ApiProperty({ description: '完整证件号码' }) idNumber: string;
  @ApiProperty({ ...STR_N, description: '完整电话' }) phone: string | null;
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
      ? { ...c.reasonsRequest, items: [...c.reasonsRequest.items], periodEnds: reasonsPeriodEnd(c.reasonsRequest, receivedOn(c.deliveries, 'reasons_request', noticeSentOn(c.reasonsRequest, c.reasonsRequest.requestedOn)), cal) }
      : null,
    art35Flag: c.art35Flag ? { ...c.art35Flag, thresholds: { ...c.art35Flag.thresholds }, reasons: [...c.art35Flag.reasons] } : null,
    availableActions: canAct ? [...actionsAvailable(c.state, viewerRole)] : [],
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** One line of a list: enough for a board, nothing personal beyond the name. */
export class CaseSummaryDto {
  @ApiProperty({ ...UUID }) id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ ...UUID }) agencyId: string;
  @ApiProperty({ enum: CASE_STATES }) state: string;
  @ApiProperty() stateLabel: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ ...DATE_N }) receiptDate: string | null;
  @ApiProperty() applicantName: string;
  @ApiProperty({ enum: APPLICANT_TYPES }) applicantType: string;
  @ApiProperty() description: string;
  @ApiProperty({ ...UUID_N }) assigneeId: string | null;
  @ApiProperty({ ...STR_N }) outcome: string | null;
  @ApiProperty({ ...DATE_N }) due: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() provisional: boolean;
  @ApiProperty({ ...INT }) version: number;
}

export class CaseListDto {
  @ApiProperty({ type: [CaseSummaryDto] }) items: CaseSummaryDto[];
  @ApiProperty({ ...STR_N, description: '下一页的游标；最后一页为 null' }) nextCursor: string | null;
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
