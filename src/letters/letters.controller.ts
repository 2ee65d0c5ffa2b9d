import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { CasesService } from '../cases/cases.service';
import { UuidParam } from '../common/uuid.pipe';
import { LetterListDto, mapLetter } from './dto/letter.dto';
import { LettersRepository } from './letters.repository';

@ApiTags('cases 案件')
@ApiBearerAuth()
@Controller('api/v1/cases/:id/letters')
export class LettersController {
  constructor(
    private readonly cases: CasesService,
    private readonly letters: LettersRepository,
  ) {}

  @Get()
  @ApiOperation({
    summary: '案件文书（回执、告知书、征求意见书、答复书），按产生先后',
    description: '可查看该案件者（本机关及上级机关的经办人、负责人、审计人员）。程序性文书在其办理步骤中即时编号印发；答复书随签批流转（草稿 → 已签批 → 印发）。',
  })
  @ApiResponse({ status: 200, type: LetterListDto })
  @ApiResponse({ status: 403, description: 'FORBIDDEN（系统管理员不查看案件内容）' })
  @ApiResponse({ status: 404, description: 'NOT_FOUND（案件不存在或不在查看范围内）' })
  async list(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser): Promise<LetterListDto> {
    await this.cases.readable(id, user);
    // a case's letters are few (a step writes at most a handful): always one page
    return { items: (await this.letters.ofCase(id)).map(mapLetter), nextCursor: null };
  }
}
