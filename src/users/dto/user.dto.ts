import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../statute/roles';
import type { UserEntity } from '../user.entity';
import { Omittable } from '../../common/validation/validators';
import { PageQuery } from '../../common/validation/page';

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.clerk', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$' }) @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/) username: string;
  @ApiProperty({ minLength: 10, maxLength: 200 }) @IsString() @MinLength(10) @MaxLength(200) password: string;
  @ApiProperty({ example: '张敏', minLength: 1, maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) displayName: string;
  @ApiPropertyOptional({ format: 'email', maxLength: 200 }) @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '所属机关；管理员可以为空' }) @IsOptional() @IsUUID() agencyId?: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 10, maxLength: 200 }) @Omittable() @IsString() @MinLength(10) @MaxLength(200) password?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @Omittable() @IsString() @MinLength(1) @MaxLength(100) displayName?: string;
  @ApiPropertyOptional({ type: String, format: 'email', maxLength: 200, nullable: true, description: 'null clears it' }) @IsOptional() @IsEmail() @MaxLength(200) email?: string | null;
  @ApiPropertyOptional({ enum: ROLES }) @Omittable() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null: no agency (administrators)' }) @IsOptional() @IsUUID() agencyId?: string | null;
  @ApiPropertyOptional() @Omittable() @IsBoolean() active?: boolean;
}

/** `GET /users`: an agency's people (default the caller's), one page at a time. */
export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '机关编号（默认本机关）' }) @IsOptional() @IsString() agencyId?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty() active: boolean;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({ type: String, nullable: true, description: '下一页的游标；最后一页为 null' }) nextCursor: string | null;
}

/** Never the password or its hash. */
export function mapUser(u: UserEntity): UserDto {
  return { id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role, agencyId: u.agencyId, active: u.active };
}
