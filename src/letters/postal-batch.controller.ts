import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ErrorBodyDto } from './dto/letter-pdf.dto';
import { PostalBatchDto, PostalBatchQuery, PostalDispatchDto, PostalDispatchResultDto } from './dto/postal-batch.dto';
import { PostalBatchService } from './postal-batch.service';

@ApiTags('letters 文书')
@ApiBearerAuth()
@Controller('api/v1/letters/postal-batch')
export class PostalBatchController {
  constructor(private readonly batch: PostalBatchService) {}

  @Get()
  @Roles('clerk', 'supervisor')
  @ApiOperation({
    summary: '当日邮寄批次：本机关尚未交寄的邮寄文书',
    description: '经办人、负责人，仅本机关。文书日期不晚于 on、送达方式为邮寄、已印发而尚未登记交寄的文书，按文书日期排列（至多 200 件）。',
  })
  @ApiResponse({ status: 200, type: PostalBatchDto })
  list(@Query() q: PostalBatchQuery, @CurrentUser() user: AuthUser): Promise<PostalBatchDto> {
    return this.batch.list(user, q.on);
  }

  @Get('pdf')
  @Roles('clerk', 'supervisor')
  @ApiOperation({
    summary: '当日邮寄批次 PDF（每件文书前附邮寄封面）',
    description: '经办人、负责人，仅本机关。一个 PDF：每件已生成 PDF 的待邮寄文书之前是一页邮寄封面（收件人、邮寄地址、寄件机关、内件；不印身份证号、电话号码），其后是该文书存档的页面。响应头 X-Letter-Ids 列出批次中的文书。',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: '批次 PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（没有待邮寄的文书）', type: ErrorBodyDto })
  async pdf(@Query() q: PostalBatchQuery, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const doc = await this.batch.pdf(user, q.on);
    reply.header('Content-Type', 'application/pdf');
    reply.header('Content-Disposition', `inline; filename="postal-batch-${doc.on}.pdf"`);
    reply.header('Cache-Control', 'private, no-store');
    reply.header('X-Letter-Ids', doc.letterIds.join(','));
    return doc.bytes;
  }

  @Post('dispatch')
  @HttpCode(200)
  @Roles('clerk', 'supervisor')
  @ApiOperation({
    summary: '登记邮寄批次交寄（每件文书的 EMS 邮件号）',
    description:
      '经办人、负责人，仅本机关。每件文书记为邮寄交寄（发出）：方式 post、交寄日期、邮件号；一次全部登记或全部不登记。受送达人签收之日另以 record-delivery（letterId）登记。同一邮件号重复登记不变；已以其他邮件号交寄的文书答复 409。',
  })
  @ApiResponse({ status: 200, type: PostalDispatchResultDto })
  @ApiResponse({ status: 409, description: 'CONFLICT（文书已以其他邮件号登记交寄）', type: ErrorBodyDto })
  dispatch(@Body() dto: PostalDispatchDto, @CurrentUser() user: AuthUser): Promise<PostalDispatchResultDto> {
    return this.batch.dispatch(user, dto.waybills, dto.on);
  }
}
