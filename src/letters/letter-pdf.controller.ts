import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid.pipe';
import { ErrorBodyDto } from './dto/letter-pdf.dto';
import { LetterDocuments } from './letter-documents.service';

const PDF_CONTENT = { 'application/pdf': { schema: { type: 'string', format: 'binary' } } };

@ApiTags('letters 文书')
@ApiBearerAuth()
@Controller('api/v1/letters')
export class LetterPdfController {
  constructor(private readonly docs: LetterDocuments) {}

  @Get(':id/pdf')
  @ApiOperation({
    summary: '下载已印发文书的 PDF',
    description: '可查看该案件者（本机关及上级机关的经办人、负责人、审计人员）。PDF 由后台生成，生成前答复 409 LETTER_NOT_RENDERED 并给出 Retry-After；印发后的 PDF 不再改变，响应头 X-Content-SHA256 为其摘要。',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: '文书 PDF', content: PDF_CONTENT })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（系统管理员不查看案件内容）', type: ErrorBodyDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（文书不存在或不在查看范围内）', type: ErrorBodyDto })
  @ApiResponse({ status: 409, description: 'LETTER_NOT_RENDERED（尚未生成，见 Retry-After；草稿请用预览）', type: ErrorBodyDto })
  async pdf(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const doc = await this.docs.staffPdf(id, user);
    return send(reply, doc.bytes, doc.filename, doc.sha256);
  }

  @Get(':id/preview')
  @ApiOperation({
    summary: '文书草稿预览（PDF）',
    description: '经办人、负责人预览答复书草稿（无文号，按案件当前内容生成，不保存）。已印发的文书请下载其 PDF。',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: '预览 PDF', content: PDF_CONTENT })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（仅经办人、负责人）', type: ErrorBodyDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND', type: ErrorBodyDto })
  @ApiResponse({ status: 409, description: 'TRANSITION_NOT_ALLOWED（文书已印发或已作废）', type: ErrorBodyDto })
  async preview(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const doc = await this.docs.preview(id, user);
    return send(reply, doc.bytes, doc.filename, null);
  }
}

/** A PDF answer: inline, its file name in UTF-8 (RFC 5987), never cached by shared caches. */
export function send(reply: FastifyReply, bytes: Buffer, filename: string, sha256: string | null): Buffer {
  reply.header('Content-Type', 'application/pdf');
  reply.header('Content-Disposition', `inline; filename="letter.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  reply.header('Cache-Control', 'private, no-store');
  if (sha256) reply.header('X-Content-SHA256', sha256);
  return bytes;
}
