import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, MeDto, RefreshDto, TokenPairDto } from './dto/auth.dto';

@ApiTags('auth 登录')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '登录，返回访问令牌与刷新令牌' })
  @ApiResponse({ status: 200, type: TokenPairDto })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED (Retry-After)' })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.login(dto.username, dto.password, req.ip);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用刷新令牌换新令牌（刷新令牌轮换；重复使用已用令牌将吊销整组）' })
  @ApiResponse({ status: 200, type: TokenPairDto })
  @ApiResponse({ status: 401, description: 'REFRESH_TOKEN_INVALID' })
  refresh(@Body() dto: RefreshDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, req.ip);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: '退出：吊销该刷新令牌所在的整组令牌' })
  @ApiResponse({ status: 204, description: '已退出' })
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user);
  }
}
