import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../statute/roles';

export class LoginDto {
  @ApiProperty({ example: 'admin', minLength: 1, maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class RefreshDto {
  @ApiProperty({ minLength: 10, maxLength: 200 }) @IsString() @MinLength(10) @MaxLength(200) refreshToken: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expiresIn: number;
  @ApiProperty() refreshToken: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty() displayName: string;
}
