import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { CalendarEndpoints } from './calendar-endpoints.service';
import {
  AddWorkingDaysQuery,
  AddWorkingDaysResultDto,
  CalendarDateParam,
  CalendarYearsDto,
  DayInfoDto,
  LoadableYearParam,
  LoadYearBody,
  LoadYearResultDto,
  MAX_LOADABLE_YEAR,
  MIN_LOADABLE_YEAR,
  NoQueryParams,
  WorkingDaysQuery,
  WorkingDaysResultDto,
} from './dto/calendar.dto';

const BAD_REQUEST = { status: 400, description: 'VALIDATION_FAILED：details.fields 指明有问题的参数（无效日期、超出范围、多余参数等）' };

/** The working-day calendar (statute §3): public questions, and the administrator's yearly load. */
@ApiTags('calendar 工作日')
@Controller('api/v1/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarEndpoints) {}

  @Get('add-working-days')
  @Public()
  @ApiOperation({ summary: '计算起算日之后的第N个工作日（起算日不计入，可为非工作日）' })
  @ApiResponse({ status: 200, type: AddWorkingDaysResultDto })
  @ApiResponse(BAD_REQUEST)
  addWorkingDays(@Query() q: AddWorkingDaysQuery): AddWorkingDaysResultDto {
    return this.calendar.addWorkingDays(q.from, q.days);
  }

  @Get('working-days')
  @Public()
  @ApiOperation({ summary: '统计 (from, to] 期间的工作日数' })
  @ApiResponse({ status: 200, type: WorkingDaysResultDto })
  @ApiResponse(BAD_REQUEST)
  workingDays(@Query() q: WorkingDaysQuery): WorkingDaysResultDto {
    return this.calendar.countWorkingDays(q.from, q.to);
  }

  @Get('days/:date')
  @Public()
  @ApiOperation({ summary: '查询某日是否工作日：放假、调休上班、周末或工作日' })
  @ApiParam({ name: 'date', example: '2024-10-12', description: 'YYYY-MM-DD', schema: { type: 'string', format: 'date' } })
  @ApiResponse({ status: 200, type: DayInfoDto })
  @ApiResponse(BAD_REQUEST)
  day(@Param('date', CalendarDateParam) date: string, @Query(NoQueryParams) _q: Record<string, never>): DayInfoDto {
    return this.calendar.dayInfo(date);
  }

  @Get('years')
  @Public()
  @ApiOperation({ summary: '已载入的年度节假日安排及其来源（随系统发布或管理员载入）' })
  @ApiResponse({ status: 200, type: CalendarYearsDto })
  @ApiResponse(BAD_REQUEST)
  years(@Query(NoQueryParams) _q: Record<string, never>): CalendarYearsDto {
    return this.calendar.years();
  }

  @Put('years/:year')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: '载入某年国务院办公厅节假日安排（管理员）；取代同年已有安排，并重新计算受影响的办理期限' })
  @ApiParam({ name: 'year', example: 2027, description: '2019–2100', schema: { type: 'integer', minimum: MIN_LOADABLE_YEAR, maximum: MAX_LOADABLE_YEAR } })
  @ApiResponse({ status: 200, type: LoadYearResultDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED：日期无效、不在该年（或上一年12月）内、调休上班日不是周末、同一日期同时放假和上班等，details.fields 指明 off[i] / work[i]' })
  @ApiResponse({ status: 401, description: 'UNAUTHENTICATED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN：仅管理员可载入' })
  loadYear(@Param('year', LoadableYearParam) year: string, @Body() body: LoadYearBody, @CurrentUser() user: AuthUser): Promise<LoadYearResultDto> {
    return this.calendar.loadYear(Number(year), body, user.id);
  }
}
