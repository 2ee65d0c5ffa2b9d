import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid.pipe';
import { CaseActionsService } from './case-actions.service';
import { ActionArgs, actionCall, CaseAction } from './case-action.decorator';
import { CasesService } from './cases.service';
import * as D from './dto/action.dto';
import { CaseDto, CaseListDto, HistoryDto, IntakeResultDto, RevealedIdentityDto } from './dto/case-response.dto';
import { ClerkIntakeDto } from './dto/intake.dto';
import { ListCasesQuery } from './dto/list.dto';
import { FeeQuoteDto, FeeQuoteQuery } from './dto/fee-quote.dto';

class RevealDto {
  @ApiProperty({ description: '查看理由（记入办理记录）', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

@ApiTags('cases 案件')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly actions: CaseActionsService,
  ) {}

  @Post()
  @Roles('clerk', 'supervisor')
  @ApiOperation({ summary: '登记申请（各渠道）：收到申请之日由经办人确定' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: IntakeResultDto, description: '案件、查询码（仅此一次）与重复申请提示' })
  @ApiResponse({ status: 409, description: 'LETTER_DATA_MISSING（接收回执缺少必须载明的内容，如邮寄送达而无地址；未登记）' })
  async intake(@Body() dto: ClerkIntakeDto, @Headers('idempotency-key') key: string | undefined, @CurrentUser() user: AuthUser, @Req() req: FastifyRequest) {
    const r = await this.cases.intakeByClerk(dto, key, user, String(req.id));
    return { ...r.case, queryCode: r.queryCode, duplicateHints: r.duplicateHints };
  }

  @Get()
  @Roles('clerk', 'supervisor', 'auditor')
  @ApiOperation({ summary: '案件列表与检索（本机关；负责人、审计人员含下级机关）' })
  @ApiResponse({ status: 200, type: CaseListDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND：agencyId 所指机关不存在或不在查看范围内' })
  list(@Query() q: ListCasesQuery, @CurrentUser() user: AuthUser) {
    return this.cases.list(user, {
      state: q.state as never,
      overdue: q.overdue,
      dueBefore: q.dueBefore,
      agencyId: q.agencyId?.toLowerCase(),
      includeSubAgencies: q.includeSubAgencies,
      assigneeId: q.assigneeId?.toLowerCase(),
      channel: q.channel,
      applicantType: q.applicantType,
      outcome: q.outcome,
      year: q.year,
      q: q.q,
      limit: q.limit ?? 20,
      cursor: q.cursor,
    });
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: CaseDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND (also for cases outside the caller’s scope)' })
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser): Promise<CaseDto> {
    return this.cases.get(id, user);
  }

  @Get(':id/history')
  @ApiOperation({ summary: '办理记录（只增不改），按时间先后' })
  @ApiResponse({ status: 200, type: HistoryDto })
  history(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser) {
    return this.cases.history(id, user);
  }

  @Get(':id/fee-quote')
  @Roles('clerk', 'supervisor', 'auditor')
  @ApiOperation({ summary: '信息处理费测算：金额、当月位次、适用档次与计收标准（按件或按量）' })
  @ApiResponse({ status: 200, type: FeeQuoteDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (tariff, pages)' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND (also for cases outside the caller’s scope)' })
  @ApiResponse({ status: 409, description: 'TRANSITION_NOT_ALLOWED (not yet received)' })
  feeQuote(@Param('id', UuidParam) id: string, @Query() q: FeeQuoteQuery, @CurrentUser() user: AuthUser): Promise<FeeQuoteDto> {
    return this.cases.feeQuote(id, user, q.tariff, q.pages);
  }

  @Post(':id/reveal-identity')
  @HttpCode(200)
  @ApiOperation({ summary: '查看完整证件号码与电话（本机关经办人、负责人；记入办理记录）' })
  @ApiResponse({ status: 200, type: RevealedIdentityDto })
  reveal(@Param('id', UuidParam) id: string, @Body() dto: RevealDto, @CurrentUser() user: AuthUser) {
    return this.cases.revealIdentity(id, user, dto.reason);
  }

  // ---------------------------------------------------------------- actions (api-contract § Actions)

  @CaseAction('confirm-receipt', D.ConfirmReceiptDto, '确认收到网上申请（收到申请之日 = on）')
  confirmReceipt(...a: ActionArgs<D.ConfirmReceiptDto>) { return this.actions.confirmReceipt(...actionCall(a)); }

  @CaseAction('discard', D.DiscardDto, '作废未确认的网上申请')
  discard(...a: ActionArgs<D.DiscardDto>) { return this.actions.discard(...actionCall(a)); }

  @CaseAction('assign', D.AssignDto, '指定承办人（负责人）')
  assign(...a: ActionArgs<D.AssignDto>) { return this.actions.assign(...actionCall(a)); }

  @CaseAction('request-correction', D.RequestCorrectionDto, '要求补正（第三十条：一次，收到申请之日起7个工作日内）', { conflicts: ['CORRECTION_ALREADY_REQUESTED', 'CORRECTION_WINDOW_CLOSED'] })
  requestCorrection(...a: ActionArgs<D.RequestCorrectionDto>) { return this.actions.requestCorrection(...actionCall(a)); }

  @CaseAction('record-correction', D.RecordCorrectionDto, '收到补正后的申请（答复期限重新起算）')
  recordCorrection(...a: ActionArgs<D.RecordCorrectionDto>) { return this.actions.recordCorrection(...actionCall(a)); }

  @CaseAction('consult', D.ConsultDto, '征求第三方或其他机关意见（暂停计算期限）', { conflicts: ['DEADLINE_PASSED'] })
  consult(...a: ActionArgs<D.ConsultDto>) { return this.actions.consult(...actionCall(a)); }

  @CaseAction('end-consultation', D.EndConsultationDto, '结束征求意见', { conflicts: ['CONSULTATION_NOT_OPEN'] })
  endConsultation(...a: ActionArgs<D.EndConsultationDto>) { return this.actions.endConsultation(...actionCall(a)); }

  @CaseAction('request-extension', D.RequestExtensionDto, '申请延期答复（一次，至多20个工作日）', { conflicts: ['EXTENSION_ALREADY_USED', 'EXTENSION_TOO_LATE'] })
  requestExtension(...a: ActionArgs<D.RequestExtensionDto>) { return this.actions.requestExtension(...actionCall(a)); }

  @CaseAction('approve-extension', D.ApproveExtensionDto, '批准延期答复（本机关负责人，期限届满前）', { conflicts: ['EXTENSION_NOT_REQUESTED', 'EXTENSION_TOO_LATE'] })
  approveExtension(...a: ActionArgs<D.ApproveExtensionDto>) { return this.actions.approveExtension(...actionCall(a)); }

  @CaseAction('set-delayed-reply', D.SetDelayedReplyDto, '确定延迟答复的合理期限（第三十五条；须已认定申请人理由合理）', { conflicts: ['REASONS_NOT_ESTABLISHED'] })
  setDelayedReply(...a: ActionArgs<D.SetDelayedReplyDto>) { return this.actions.setDelayedReply(...actionCall(a)); }

  @CaseAction('notify-fee', D.NotifyFeeDto, '发出收费通知（暂停计算期限）', { conflicts: ['DEADLINE_PASSED'] })
  notifyFee(...a: ActionArgs<D.NotifyFeeDto>) { return this.actions.notifyFee(...actionCall(a)); }

  @CaseAction('record-payment', D.RecordPaymentDto, '登记缴费（金额须与收费通知一致）')
  recordPayment(...a: ActionArgs<D.RecordPaymentDto>) { return this.actions.recordPayment(...actionCall(a)); }

  @CaseAction('draft-reply', D.DraftReplyDto, '拟定答复（答复类型与理由）', { conflicts: ['REASONS_NOT_ESTABLISHED', 'LETTER_DATA_MISSING'] })
  draftReply(...a: ActionArgs<D.DraftReplyDto>) { return this.actions.draftReply(...actionCall(a)); }

  @CaseAction('approve-reply', D.ApproveReplyDto, '签批答复（含保密审查）')
  approveReply(...a: ActionArgs<D.ApproveReplyDto>) { return this.actions.approveReply(...actionCall(a)); }

  @CaseAction('return-reply', D.ReturnReplyDto, '退回答复')
  returnReply(...a: ActionArgs<D.ReturnReplyDto>) { return this.actions.returnReply(...actionCall(a)); }

  @CaseAction('issue-reply', D.IssueReplyDto, '作出答复（办结日 = on）')
  issueReply(...a: ActionArgs<D.IssueReplyDto>) { return this.actions.issueReply(...actionCall(a)); }

  @CaseAction('record-delivery', D.RecordDeliveryDto, '登记文书送达（受送达人收到之日）')
  recordDelivery(...a: ActionArgs<D.RecordDeliveryDto>) { return this.actions.recordDelivery(...actionCall(a)); }

  @CaseAction('conclude-lapsed', D.ConcludeLapsedDto, '逾期未补正或未缴费，视为放弃申请', { conflicts: ['PERIOD_NOT_LAPSED'] })
  concludeLapsed(...a: ActionArgs<D.ConcludeLapsedDto>) { return this.actions.concludeLapsed(...actionCall(a)); }

  @CaseAction('withdraw', D.WithdrawDto, '申请人撤回申请')
  withdraw(...a: ActionArgs<D.WithdrawDto>) { return this.actions.withdraw(...actionCall(a)); }

  @CaseAction('record-review', D.RecordReviewDto, '登记行政复议或行政诉讼')
  recordReview(...a: ActionArgs<D.RecordReviewDto>) { return this.actions.recordReview(...actionCall(a)); }

  @CaseAction('forward', D.ForwardDto, '分办：将未确认的网上申请转送本平台其他机关（一次）', { conflicts: ['FORWARD_ALREADY_USED'] })
  forward(...a: ActionArgs<D.ForwardDto>) { return this.actions.forward(...actionCall(a)); }

  @CaseAction('request-reasons', D.RequestReasonsDto, '要求申请人说明理由（第三十五条；答复期限继续计算）')
  requestReasons(...a: ActionArgs<D.RequestReasonsDto>) { return this.actions.requestReasons(...actionCall(a)); }

  @CaseAction('record-reasons', D.RecordReasonsDto, '登记申请人说明的理由及本机关的认定（第三十五条）', { conflicts: ['REASONS_NOT_ESTABLISHED'] })
  recordReasons(...a: ActionArgs<D.RecordReasonsDto>) { return this.actions.recordReasons(...actionCall(a)); }

  @CaseAction('reopen', D.ReopenDto, '复议或诉讼纠正后重新办理：新建关联案件', { status: 201 })
  reopen(...a: ActionArgs<D.ReopenDto>) { return this.actions.reopen(...actionCall(a)); }

  @CaseAction(
    'reset-query-code',
    D.ActionDto,
    { summary: '重置查询码（负责人）：生成新的查询码并印发新的接收回执，原查询码即时失效', description: '新查询码只印在新回执上（回执生成后即不再保存明文）；不在响应中返回。' },
    { conflictText: 'TRANSITION_NOT_ALLOWED（已作废的提交）、CASE_VERSION_CONFLICT、LETTER_DATA_MISSING（回执缺少必须载明的内容）', successText: '' },
  )
  resetQueryCode(...a: ActionArgs<D.ActionDto>) {
    const [id, user, , version, requestId] = actionCall(a);
    return this.actions.resetQueryCode(id, user, version, requestId);
  }
}

@ApiTags('cases 案件')
@ApiBearerAuth()
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(private readonly actions: CaseActionsService) {}

  @Patch(':id')
  @ApiOperation({ summary: '登记复议或诉讼的结果' })
  @ApiResponse({ status: 200, type: CaseDto })
  update(@Param('id', UuidParam) id: string, @Body() dto: D.UpdateReviewDto, @CurrentUser() u: AuthUser) {
    return this.actions.updateReview(id, u, dto);
  }
}
