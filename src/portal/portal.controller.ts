import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidParam } from '../common/uuid.pipe';
import { contentDisposition } from '../common/http/content-disposition';
import { CONTENT_TYPES } from '../common/storage/content-sniffer';
import { ErrorBodyDto } from '../letters/dto/letter-pdf.dto';
import { send } from '../letters/letter-pdf.controller';
import { Public } from '../auth/auth.decorators';
import { PortalIntakeDto } from '../cases/dto/intake.dto';
import { PortalApplicationDto, PortalSubmittedDto } from './dto/portal-application.dto';
import { PortalService } from './portal.service';

class PortalCorrectionDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, description: '补正的内容' }) @IsString() @MinLength(1) @MaxLength(5000) content: string;
}

@ApiTags('portal 公众端')
@Public()
@Controller('api/v1/portal/applications')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  @Post()
  @ApiOperation({ summary: '网上提交申请（待机关确认收到）；返回查询号与查询码（仅显示一次）' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: PortalSubmittedDto })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED（Retry-After）' })
  submit(@Body() dto: PortalIntakeDto, @Headers('idempotency-key') key: string | undefined, @Req() req: FastifyRequest) {
    return this.portal.submit(dto, key, req.ip);
  }

  @Get(':trackingNumber')
  @ApiHeader({ name: 'X-Query-Code', required: true })
  @ApiOperation({ summary: '查询办理进度、答复期限与收到的文书' })
  @ApiResponse({ status: 200, type: PortalApplicationDto })
  @ApiResponse({ status: 404, description: '查询号不存在或查询码错误（不区分）' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED（Retry-After）' })
  track(@Param('trackingNumber') tn: string, @Headers('x-query-code') code: string | undefined, @Req() req: FastifyRequest): Promise<PortalApplicationDto> {
    return this.portal.track(tn, code, req.ip);
  }

  @Post(':trackingNumber/correction')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Query-Code', required: true })
  @ApiOperation({ summary: '提交补正（仅在机关要求补正时）' })
  @ApiResponse({ status: 200, type: PortalApplicationDto })
  @ApiResponse({ status: 404, description: '查询号不存在或查询码错误（不区分）' })
  @ApiResponse({ status: 409, description: 'TRANSITION_NOT_ALLOWED（未要求补正）' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED（Retry-After）' })
  correct(@Param('trackingNumber') tn: string, @Body() dto: PortalCorrectionDto, @Headers('x-query-code') code: string | undefined, @Req() req: FastifyRequest): Promise<PortalApplicationDto> {
    return this.portal.correct(tn, code, dto.content, req.ip);
  }

  @Get(':trackingNumber/letters/:letterId/pdf')
  @ApiHeader({ name: 'X-Query-Code', required: true })
  @ApiOperation({ summary: '下载发给申请人的文书（PDF），即查询结果中 letters[].url', description: '选择网上送达的申请人首次下载之日即为该文书的送达之日。' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: '文书 PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: '查询号不存在、查询码错误或文书不存在（不区分）', type: ErrorBodyDto })
  @ApiResponse({ status: 409, description: 'LETTER_NOT_RENDERED（正在生成，见 Retry-After）', type: ErrorBodyDto })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED', type: ErrorBodyDto })
  async letterPdf(
    @Param('trackingNumber') tn: string,
    @Param('letterId', UuidParam) letterId: string,
    @Headers('x-query-code') code: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const doc = await this.portal.letterPdf(tn, code, letterId, req.ip);
    return send(reply, doc.bytes, doc.filename, doc.sha256);
  }

  @Get(':trackingNumber/files/:attachmentId')
  @ApiHeader({ name: 'X-Query-Code', required: true })
  @ApiOperation({ summary: '下载随答复提供的文件，即查询结果中 files[].url', description: '仅限准予公开、部分公开的答复所列文件（答复印发后）；其他附件一律 404。' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiResponse({ status: 200, description: '文件内容（Content-Disposition: attachment，原文件名按 RFC 5987 编码；X-Content-SHA256）', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 404, description: '查询号不存在、查询码错误，或不是随答复提供的文件（不区分）', type: ErrorBodyDto })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED', type: ErrorBodyDto })
  async file(
    @Param('trackingNumber') tn: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
    @Headers('x-query-code') code: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const f = await this.portal.file(tn, code, attachmentId, req.ip);
    void reply.headers({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store', 'X-Content-SHA256': f.sha256 });
    return new StreamableFile(f.stream, { type: f.contentType, disposition: contentDisposition(f.fileName), length: f.size });
  }
}
