import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid.pipe';
import { ErrorBodyDto } from './dto/letter-pdf.dto';
import { SupersedeLetterDto, SupersedeResultDto } from './dto/supersede-letter.dto';
import { LetterSupersede } from './letter-supersede.service';

@ApiTags('letters 文书')
@ApiBearerAuth()
@Controller('api/v1/letters')
export class LetterSupersedeController {
  constructor(private readonly service: LetterSupersede) {}

  @Post(':id/supersede')
  @ApiOperation({
    summary: '更正已印发的文书：以新文书替代（原文书不修改）',
    description:
      '本机关负责人签发。新文书取新的文号，按案件现有信息重新制作（答复书可在 reply 中给出更正后的理由、不予公开的内容、负责公开的机关；答复类型和不予公开的依据不变，须确认保密审查），经同样的必备内容检查；原文书状态改为 superseded，其 PDF 不变、工作人员仍可下载；门户只列出现行文书并注明替代关系。更正文书不改变答复决定：案件的办理结果、办结日期和年度报告统计不变（改变决定须经复议、诉讼后重新办理）。同一事务内记入案件办理记录。',
  })
  @ApiResponse({ status: 201, type: SupersedeResultDto, description: '被替代的文书和新文书' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED（reason、expectedVersion；告知书不接受 reply；答复书须 confidentialityReviewed 为 true；更正后的内容不符合该答复类型）', type: ErrorBodyDto })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（仅本机关负责人；上级机关只能查看；系统管理员）', type: ErrorBodyDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（文书不存在或不在查看范围内）', type: ErrorBodyDto })
  @ApiResponse({
    status: 409,
    description: 'LETTER_NOT_ISSUED（草稿、已签批未印发或未发出的文书）、LETTER_ALREADY_SUPERSEDED（已被更正）、LETTER_NOT_RENDERED（PDF 尚未生成，见 Retry-After）、LETTER_DATA_MISSING（新文书缺少必须载明的内容）、CASE_VERSION_CONFLICT',
    type: ErrorBodyDto,
  })
  supersede(@Param('id', UuidParam) id: string, @Body() dto: SupersedeLetterDto, @CurrentUser() user: AuthUser, @Req() req: FastifyRequest): Promise<SupersedeResultDto> {
    return this.service.supersede(id, user, dto, String(req.id));
  }
}
