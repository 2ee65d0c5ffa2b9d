import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/uuid.pipe';
import { CaseActionsService } from './case-actions.service';
import { CasesService } from './cases.service';
import * as D from './dto/action.dto';
import { CaseDto, CaseListDto, HistoryDto, IntakeResultDto, RevealedIdentityDto } from './dto/case-response.dto';
import { ClerkIntakeDto } from './dto/intake.dto';
import { ListCasesQuery } from './dto/list.dto';
import { FeeQuoteDto, FeeQuoteQuery } from './dto/fee-quote.dto';

/** `expectedVersion` from the body, else the If-Match header (`3`, `"3"`, `W/"3"`). */
export function versionOf(dto: D.ActionDto, ifMatch: string | undefined): number | undefined {
  if (dto.expectedVersion !== undefined) return dto.expectedVersion;
  if (ifMatch === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m) throw DomainError.field('If-Match', 'If-Match 应为案件版本号');
  return Number(m[1]);
}

class RevealDto {
  @ApiProperty({ description: '查看理由（记入办理记录）', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

/** An action of the contract's table: 200 with the case, the version in the body or If-Match, 409 codes it may answer. */
function Action(summary: string, conflicts: string[] = [], status = 200): MethodDecorator {
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ summary }),
    ApiHeader({ name: 'If-Match', required: false, description: '案件版本（可代替 expectedVersion）' }),
    ApiResponse({ status, type: CaseDto, description: '操作后的案件' }),
    ApiResponse({ status: 409, description: ['TRANSITION_NOT_ALLOWED', 'CASE_VERSION_CONFLICT', ...conflicts].join(', ') }),
  );
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

  @Post(':id/confirm-receipt') @Action('确认收到网上申请（收到申请之日 = on）')
  confirmReceipt(@Param('id', UuidParam) id: string, @Body() dto: D.ConfirmReceiptDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.confirmReceipt(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/discard') @Action('作废未确认的网上申请')
  discard(@Param('id', UuidParam) id: string, @Body() dto: D.DiscardDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.discard(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/assign') @Action('指定承办人（负责人）')
  assign(@Param('id', UuidParam) id: string, @Body() dto: D.AssignDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.assign(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/request-correction') @Action('要求补正（第三十条：一次，收到申请之日起7个工作日内）', ['CORRECTION_ALREADY_REQUESTED', 'CORRECTION_WINDOW_CLOSED'])
  requestCorrection(@Param('id', UuidParam) id: string, @Body() dto: D.RequestCorrectionDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.requestCorrection(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/record-correction') @Action('收到补正后的申请（答复期限重新起算）')
  recordCorrection(@Param('id', UuidParam) id: string, @Body() dto: D.RecordCorrectionDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.recordCorrection(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/consult') @Action('征求第三方或其他机关意见（暂停计算期限）', ['DEADLINE_PASSED'])
  consult(@Param('id', UuidParam) id: string, @Body() dto: D.ConsultDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.consult(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/end-consultation') @Action('结束征求意见', ['CONSULTATION_NOT_OPEN'])
  endConsultation(@Param('id', UuidParam) id: string, @Body() dto: D.EndConsultationDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.endConsultation(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/request-extension') @Action('申请延期答复（一次，至多20个工作日）', ['EXTENSION_ALREADY_USED', 'EXTENSION_TOO_LATE'])
  requestExtension(@Param('id', UuidParam) id: string, @Body() dto: D.RequestExtensionDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.requestExtension(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/approve-extension') @Action('批准延期答复（本机关负责人，期限届满前）', ['EXTENSION_NOT_REQUESTED', 'EXTENSION_TOO_LATE'])
  approveExtension(@Param('id', UuidParam) id: string, @Body() dto: D.ApproveExtensionDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.approveExtension(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/set-delayed-reply') @Action('确定延迟答复的合理期限（第三十五条；须已认定申请人理由合理）', ['REASONS_NOT_ESTABLISHED'])
  setDelayedReply(@Param('id', UuidParam) id: string, @Body() dto: D.SetDelayedReplyDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.setDelayedReply(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/notify-fee') @Action('发出收费通知（暂停计算期限）', ['DEADLINE_PASSED'])
  notifyFee(@Param('id', UuidParam) id: string, @Body() dto: D.NotifyFeeDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.notifyFee(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/record-payment') @Action('登记缴费（金额须与收费通知一致）')
  recordPayment(@Param('id', UuidParam) id: string, @Body() dto: D.RecordPaymentDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.recordPayment(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/draft-reply') @Action('拟定答复（答复类型与理由）', ['REASONS_NOT_ESTABLISHED', 'LETTER_DATA_MISSING'])
  draftReply(@Param('id', UuidParam) id: string, @Body() dto: D.DraftReplyDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.draftReply(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/approve-reply') @Action('签批答复（含保密审查）')
  approveReply(@Param('id', UuidParam) id: string, @Body() dto: D.ApproveReplyDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.approveReply(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/return-reply') @Action('退回答复')
  returnReply(@Param('id', UuidParam) id: string, @Body() dto: D.ReturnReplyDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.returnReply(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/issue-reply') @Action('作出答复（办结日 = on）')
  issueReply(@Param('id', UuidParam) id: string, @Body() dto: D.IssueReplyDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.issueReply(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/record-delivery') @Action('登记文书送达（受送达人收到之日）')
  recordDelivery(@Param('id', UuidParam) id: string, @Body() dto: D.RecordDeliveryDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.recordDelivery(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/conclude-lapsed') @Action('逾期未补正或未缴费，视为放弃申请', ['PERIOD_NOT_LAPSED'])
  concludeLapsed(@Param('id', UuidParam) id: string, @Body() dto: D.ConcludeLapsedDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.concludeLapsed(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/withdraw') @Action('申请人撤回申请')
  withdraw(@Param('id', UuidParam) id: string, @Body() dto: D.WithdrawDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.withdraw(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/record-review') @Action('登记行政复议或行政诉讼')
  recordReview(@Param('id', UuidParam) id: string, @Body() dto: D.RecordReviewDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.recordReview(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/forward') @Action('分办：将未确认的网上申请转送本平台其他机关（一次）', ['FORWARD_ALREADY_USED'])
  forward(@Param('id', UuidParam) id: string, @Body() dto: D.ForwardDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.forward(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/request-reasons') @Action('要求申请人说明理由（第三十五条；答复期限继续计算）')
  requestReasons(@Param('id', UuidParam) id: string, @Body() dto: D.RequestReasonsDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.requestReasons(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/record-reasons') @Action('登记申请人说明的理由及本机关的认定（第三十五条）', ['REASONS_NOT_ESTABLISHED'])
  recordReasons(@Param('id', UuidParam) id: string, @Body() dto: D.RecordReasonsDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.recordReasons(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/reopen') @Action('复议或诉讼纠正后重新办理：新建关联案件', [], 201)
  reopen(@Param('id', UuidParam) id: string, @Body() dto: D.ReopenDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.reopen(id, u, dto, versionOf(dto, im), String(r.id));
  }

  @Post(':id/reset-query-code') @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: '案件版本（可代替 expectedVersion）' })
  @ApiOperation({ summary: '重置查询码（负责人）：生成新的查询码并印发新的接收回执，原查询码即时失效', description: '新查询码只印在新回执上（回执生成后即不再保存明文）；不在响应中返回。' })
  @ApiResponse({ status: 200, type: CaseDto })
  @ApiResponse({ status: 409, description: 'TRANSITION_NOT_ALLOWED（已作废的提交）、CASE_VERSION_CONFLICT、LETTER_DATA_MISSING（回执缺少必须载明的内容）' })
  resetQueryCode(@Param('id', UuidParam) id: string, @Body() dto: D.ActionDto, @Headers('if-match') im: string | undefined, @CurrentUser() u: AuthUser, @Req() r: FastifyRequest) {
    return this.actions.resetQueryCode(id, u, versionOf(dto, im), String(r.id));
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
