import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { UuidParam } from '../common/uuid.pipe';
import { pageOf, PageQuery } from '../common/validation/page';
import { AgenciesService } from './agencies.service';
import { AgencyDirectoryDto, AgencyDto, AgencyListDto, CreateAgencyDto, UpdateAgencyDto } from './dto/agency.dto';

@ApiTags('agencies 机关')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新建机关（管理员）' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: AgencyDto })
  @ApiResponse({ status: 409, description: 'AGENCY_CODE_TAKEN' })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY_KEY_REUSED' })
  create(@Body() dto: CreateAgencyDto, @Headers('idempotency-key') key: string | undefined, @CurrentUser() user: AuthUser): Promise<AgencyDto> {
    return this.agencies.create(dto, key, user);
  }

  @Get()
  @ApiOperation({ summary: '机关列表：管理员看全部，其他人看本机关及下级' })
  @ApiResponse({ status: 200, type: AgencyListDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<{ items: AgencyDto[]; nextCursor: string | null }> {
    return pageOf(await this.agencies.list(user), (a) => a.id, q);
  }

  @Get('directory')
  @ApiOperation({ summary: '本平台全部机关名录（id、名称、代码、上级）：转送目标与报表中的机关名称；所有已登录用户可读' })
  @ApiResponse({ status: 200, type: AgencyDirectoryDto })
  @ApiResponse({ status: 401, description: 'UNAUTHORIZED' })
  directory(): Promise<AgencyDirectoryDto> {
    return this.agencies.directory();
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: AgencyDto })
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser): Promise<AgencyDto> {
    return this.agencies.get(id, user);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: '修改机关设置：复议机关、法院、文号前缀、补正期限、签批步骤、提醒规则（管理员）' })
  @ApiResponse({ status: 200, type: AgencyDto })
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateAgencyDto): Promise<AgencyDto> {
    return this.agencies.update(id, dto);
  }
}
