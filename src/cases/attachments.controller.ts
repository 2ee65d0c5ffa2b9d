import { Body, Controller, Get, Param, Patch, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { contentDisposition } from '../common/http/content-disposition';
import { CONTENT_TYPES } from '../common/storage/content-sniffer';
import { UuidParam } from '../common/uuid.pipe';
import { ATTACHMENT_KINDS, ATTACHMENT_KINDS_TEXT } from './attachment.entity';
import { AttachmentUpload, AttachmentUploadBody } from './attachment-upload';
import { AttachmentsService } from './attachments.service';
import { AttachmentDto, AttachmentListDto, SetAttachmentKindDto } from './dto/attachment.dto';

@ApiTags('cases 案件')
@ApiBearerAuth()
@Controller('api/v1/cases/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @Roles('clerk', 'supervisor')
  @ApiOperation({
    summary: '上传案件附件（身份证明复印件、证明材料等）',
    description:
      '本机关经办人、负责人。单个文件不超过 20 MB，每案至多 20 个。类型按文件内容识别（PDF、PNG、JPEG、TIFF、OFD、DOCX、XLSX），与文件名和客户端声明的类型无关。存储名由服务器生成，原文件名仅作显示。' +
      'kind 为 release 的文件随准予公开、部分公开的答复提供给申请人（答复书列明，电子邮件附送或门户下载），只能在案件办结（答复印发）之前上传。',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', minLength: 1, description: '一个文件（不能为空）' },
        kind: { type: 'string', enum: [...ATTACHMENT_KINDS], default: 'other', description: ATTACHMENT_KINDS_TEXT },
      },
    },
  })
  @ApiResponse({ status: 201, type: AttachmentDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED（无文件时 details.fields 指明 file）' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（下级机关的案件、审计人员、系统管理员）' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（案件不存在或不在查看范围内）' })
  @ApiResponse({ status: 409, description: 'CONFLICT（本案附件已达 20 个）；RELEASE_FILES_LOCKED（kind 为 release，而本案答复已签批（先退回答复）或已办结）；TRANSITION_NOT_ALLOWED（已作废的申请）' })
  @ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE（超过 20 MB）' })
  @ApiResponse({ status: 415, description: 'UNSUPPORTED_MEDIA_TYPE（内容不是允许的类型）' })
  upload(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser, @AttachmentUploadBody() body: AttachmentUpload): Promise<AttachmentDto> {
    return this.attachments.upload(id, user, body);
  }

  @Patch(':attachmentId')
  @Roles('clerk', 'supervisor')
  @ApiOperation({
    summary: '更改附件种类（如标记为随答复提供的文件 release）',
    description: '本机关经办人、负责人。改为 release 或由 release 改为其他种类，只能在案件办结（答复印发）之前；答复随附的文件此后不再改变。种类不变时不作任何记录。',
  })
  @ApiResponse({ status: 200, type: AttachmentDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED（kind 不在种类之列）' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（下级机关的案件、审计人员、系统管理员）' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（案件或附件不存在，或不在查看范围内）' })
  @ApiResponse({ status: 409, description: 'RELEASE_FILES_LOCKED（本案答复已签批（先退回答复）或已办结：答复随附的文件不能再更改）；TRANSITION_NOT_ALLOWED（已作废的申请）' })
  setKind(
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
    @Body() dto: SetAttachmentKindDto,
    @CurrentUser() user: AuthUser,
  ): Promise<AttachmentDto> {
    return this.attachments.setKind(id, attachmentId, dto.kind, user);
  }

  @Get()
  @ApiOperation({ summary: '案件附件列表（可查看该案件者）' })
  @ApiResponse({ status: 200, type: AttachmentListDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（案件不存在或不在查看范围内）' })
  list(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser): Promise<AttachmentListDto> {
    return this.attachments.list(id, user);
  }

  @Get(':attachmentId')
  @ApiOperation({ summary: '下载附件（Content-Disposition: attachment，原文件名按 RFC 5987 编码）' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiResponse({ status: 200, description: '文件内容', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（案件或附件不存在，或不在查看范围内）' })
  async download(
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const f = await this.attachments.open(id, attachmentId, user);
    void reply.headers({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' });
    return new StreamableFile(f.stream, { type: f.contentType, disposition: contentDisposition(f.fileName), length: f.size });
  }
}
