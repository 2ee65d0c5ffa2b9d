import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import { UuidParam } from '../../common/uuid.pipe';
import { TEMPLATE_CODES } from '../rendering/letter-facts';
import { LetterTemplateDto, LetterTemplateListDto, PreviewLetterTemplateDto, SaveLetterTemplateDto } from './dto/letter-template.dto';
import { LetterTemplatesService } from './letter-templates.service';

const CODE_PARAM = { name: 'code', enum: [...TEMPLATE_CODES], description: '模板代码' };
const NOT_FOUND = { status: 404, description: 'NOT_FOUND（机关或模板不存在）' };
const FORBIDDEN = { status: 403, description: 'FORBIDDEN（仅系统管理员）' };

@ApiTags('letter templates 文书模板')
@ApiBearerAuth()
@Controller('api/v1/agencies/:agencyId/letter-templates')
@Roles('admin')
export class LetterTemplatesController {
  constructor(private readonly templates: LetterTemplatesService) {}

  @Get()
  @ApiOperation({ summary: '本机关的文书模板列表（每种程序性文书和每种办理结果的答复书各一），含现行版本（管理员）' })
  @ApiResponse({ status: 200, type: LetterTemplateListDto })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  list(@Param('agencyId', UuidParam) agencyId: string): Promise<LetterTemplateListDto> {
    return this.templates.list(agencyId);
  }

  @Get(':code')
  @ApiOperation({ summary: '读取一种文书模板的现行文本和内置文本（管理员）' })
  @ApiParam(CODE_PARAM)
  @ApiResponse({ status: 200, type: LetterTemplateDto })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  get(@Param('agencyId', UuidParam) agencyId: string, @Param('code') code: string): Promise<LetterTemplateDto> {
    return this.templates.get(agencyId, code);
  }

  @Post(':code/versions')
  @ApiOperation({
    summary: '保存本机关的模板文本为新版本（管理员）',
    description: '保存前校验：语法、只用已声明的变量、保留所依据条款（{{citation}}）和救济途径告知（{{remedies}}）。旧版本不改动；此后新生成的文书使用新版本，并记录模板和版本。',
  })
  @ApiParam(CODE_PARAM)
  @ApiResponse({ status: 201, type: LetterTemplateDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED（语法错误、未声明的变量、缺少法定部分；details.fields 指明 source）' })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  save(@Param('agencyId', UuidParam) agencyId: string, @Param('code') code: string, @Body() dto: SaveLetterTemplateDto, @CurrentUser() user: AuthUser): Promise<LetterTemplateDto> {
    return this.templates.save(agencyId, code, dto.source, user);
  }

  @Post(':code/preview')
  @HttpCode(200)
  @ApiOperation({ summary: '以示例数据预览模板（给定文本或现行版本）为 PDF（管理员）' })
  @ApiParam(CODE_PARAM)
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'PDF', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED（给定文本不合格；details.fields 指明 source）' })
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  async preview(
    @Param('agencyId', UuidParam) agencyId: string,
    @Param('code') code: string,
    @Body() dto: PreviewLetterTemplateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const pdf = await this.templates.preview(agencyId, code, dto.source);
    void reply.headers({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="preview-${code}.pdf"`, length: pdf.length });
  }
}
