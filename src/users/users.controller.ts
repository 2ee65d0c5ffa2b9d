import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { UUID, UuidParam } from '../common/uuid.pipe';
import { pageOf } from '../common/validation/page';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto, UserListDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users 用户')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新建用户（管理员）' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: UserDto })
  @ApiResponse({ status: 409, description: 'USERNAME_TAKEN' })
  create(@Body() dto: CreateUserDto, @Headers('idempotency-key') key: string | undefined, @CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.create(dto, key, user);
  }

  @Get()
  @Roles('admin', 'supervisor', 'auditor')
  @ApiResponse({ status: 200, type: UserListDto })
  @ApiResponse({ status: 404, description: 'NOT_FOUND：agencyId 所指机关不存在或不在查看范围内' })
  async list(@CurrentUser() user: AuthUser, @Query() q: ListUsersQuery): Promise<{ items: UserDto[]; nextCursor: string | null }> {
    const agencyId = q.agencyId;
    if (agencyId !== undefined && !UUID.test(agencyId)) throw DomainError.field('agencyId', '不是有效的编号');
    return pageOf(await this.users.list(user, agencyId?.toLowerCase()), (u) => u.id, q);
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: UserDto })
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.get(id, user);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: '修改用户：姓名、邮箱、角色、机关、停用、重设密码（管理员）' })
  @ApiResponse({ status: 200, type: UserDto })
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }
}
