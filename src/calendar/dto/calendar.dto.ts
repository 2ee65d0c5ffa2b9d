import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsOptional, Max, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { DomainError, type FieldProblem } from '../../common/errors/domain-error';
import { IsIsoDate } from '../../common/validation/validators';
import { isIsoDate } from '../../statute/iso-date';
import type { DayKind, YearArrangement } from '../../statute/working-calendar';
import { CALENDAR_RANGE, validateArrangement } from '../../statute/working-calendar';

/** The most working days one may add in a single question (contract: 1..10,000). */
export const MAX_WORKING_DAYS = 10_000;
/** Years an administrator may load: the shipped data starts in 2019. */
export const MIN_LOADABLE_YEAR = 2019;
export const MAX_LOADABLE_YEAR = 2100;
/** An official notice declares a few dozen dates; anything near this is a mistake. */
export const MAX_DATES_PER_LIST = 200;
export const MAX_NOTICES = 20;
export const MAX_NOTICE_LENGTH = 500;

const RANGE_MESSAGE = `日期超出可计算范围（${CALENDAR_RANGE.from}至${CALENDAR_RANGE.to}）`;

/** Inside the precomputed calendar range (only checked for real dates; `IsIsoDate` reports the rest). */
function InCalendarRange(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'inCalendarRange',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: RANGE_MESSAGE, ...options },
      validator: { validate: (v: unknown) => !isIsoDate(v) || (v >= CALENDAR_RANGE.from && v <= CALENDAR_RANGE.to) },
    });
}

/** `to` on or after the object's `from` (checked only when both are real dates). */
function NotBeforeFrom(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBeforeFrom',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: '结束日期不能早于开始日期（from）', ...options },
      validator: {
        validate: (v: unknown, args) => {
          const from = (args?.object as { from?: unknown } | undefined)?.from;
          return !isIsoDate(v) || !isIsoDate(from) || v >= from;
        },
      },
    });
}

/** Query strings arrive as text: a whole number written in digits (optionally signed) becomes a number, anything else stays text and fails `IsInt`. */
const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value);

// ---- queries ----
// The error names one message per field: the first failing constraint, and class-validator lists a
// field's constraints bottom-up (IsDefined always first). So the basic check (IsInt, IsArray) goes last.

export class AddWorkingDaysQuery {
  @ApiProperty({ description: '起算日（不计入），可为非工作日', example: '2024-09-27', format: 'date' })
  @IsDefined()
  @IsIsoDate()
  @InCalendarRange()
  from: string;

  @ApiProperty({ description: '工作日数', type: 'integer', minimum: 1, maximum: MAX_WORKING_DAYS, example: 20 })
  @Transform(toInteger)
  @IsDefined()
  @Max(MAX_WORKING_DAYS)
  @Min(1)
  @IsInt()
  days: number;
}

export class WorkingDaysQuery {
  @ApiProperty({ description: '起始日（不计入）', example: '2024-09-30', format: 'date' })
  @IsDefined()
  @IsIsoDate()
  @InCalendarRange()
  from: string;

  @ApiProperty({ description: '截止日（计入），不早于起始日', example: '2024-10-12', format: 'date' })
  @IsDefined()
  @IsIsoDate()
  @InCalendarRange()
  @NotBeforeFrom()
  to: string;
}

/** A route that takes no query parameters: any parameter is an error (as unknown body fields are). */
@Injectable()
export class NoQueryParams implements PipeTransform<Record<string, unknown> | undefined, Record<string, never>> {
  transform(value: Record<string, unknown> | undefined): Record<string, never> {
    const keys = Object.keys(value ?? {});
    if (keys.length > 0) throw DomainError.validation(keys.map((field) => ({ field, message: '不允许的字段' })), `${keys[0]}：不允许的字段`);
    return {};
  }
}

/** `:date` in a path: a real `YYYY-MM-DD` inside the calendar range, else 400 naming `date`. */
@Injectable()
export class CalendarDateParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isIsoDate(value)) throw fieldError('date', '不是有效的日期（YYYY-MM-DD）');
    if (value < CALENDAR_RANGE.from || value > CALENDAR_RANGE.to) throw fieldError('date', RANGE_MESSAGE);
    return value;
  }
}

/**
 * `:year` in a path: four digits, 2019..2100, else 400 naming `year`. Declare the parameter as `string`:
 * for a `number` the global ValidationPipe would turn `2027.0` into 2027 before this pipe sees it.
 */
@Injectable()
export class LoadableYearParam implements PipeTransform<string, string> {
  transform(value: string): string {
    const problem = yearProblem(typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : Number.NaN);
    if (problem) throw fieldError(problem.field, problem.message);
    return value;
  }
}

/** 400 VALIDATION_FAILED naming one field, worded like the global pipe's errors (`field：message`). */
export function fieldError(field: string, message: string): DomainError {
  return DomainError.validation([{ field, message }], `${field}：${message}`);
}

export function yearProblem(year: number): FieldProblem | null {
  if (!Number.isInteger(year) || year < MIN_LOADABLE_YEAR || year > MAX_LOADABLE_YEAR) {
    return { field: 'year', message: `年份应为${MIN_LOADABLE_YEAR}至${MAX_LOADABLE_YEAR}之间的四位整数` };
  }
  return null;
}

// ---- body ----

/**
 * `PUT /calendar/years/{year}`: one year's official arrangement. The shape is checked by the decorators; the
 * items by {@link arrangementOf}, which names each: `off[3]`, `work[0]`, `notices[1]`.
 */
export class LoadYearBody {
  @ApiProperty({
    description: '放假日期：通知中每个放假区间内的每一天（含其中的周末）；可含上一年12月的日期',
    example: ['2027-01-01', '2027-01-02', '2027-01-03'],
    type: 'array',
    items: { type: 'string', format: 'date' },
    maxItems: MAX_DATES_PER_LIST,
  })
  @IsDefined()
  @ArrayMaxSize(MAX_DATES_PER_LIST)
  @ArrayMinSize(1)
  @IsArray()
  off: unknown[];

  @ApiProperty({ description: '调休上班日期（星期六或星期日）', example: ['2027-02-20'], type: 'array', items: { type: 'string', format: 'date' }, maxItems: MAX_DATES_PER_LIST })
  @IsDefined()
  @ArrayMaxSize(MAX_DATES_PER_LIST)
  @IsArray()
  work: unknown[];

  @ApiPropertyOptional({ description: '通知文号及日期', example: ['国办发明电〔2026〕X号'], type: [String], maxItems: MAX_NOTICES })
  @IsOptional()
  @ArrayMaxSize(MAX_NOTICES)
  @IsArray()
  notices?: unknown[];
}

/**
 * The year's arrangement from a body whose shape passed the decorators: each notice text of at most
 * MAX_NOTICE_LENGTH characters, each date checked by the statute's `validateArrangement` (a real date, inside the
 * year or its previous December, `work` on a weekend, in one list only); the lists sorted. Every problem at once:
 * 400 VALIDATION_FAILED naming the items.
 */
export function arrangementOf(year: number, body: LoadYearBody): YearArrangement & { off: string[]; work: string[]; notices: string[] } {
  const problems: FieldProblem[] = [];
  const notices = body.notices ?? [];
  notices.forEach((n: unknown, i: number) => {
    if (typeof n !== 'string') problems.push({ field: `notices[${i}]`, message: '必须是文本' });
    else if (n.length > MAX_NOTICE_LENGTH) problems.push({ field: `notices[${i}]`, message: `长度超过限制（最多${MAX_NOTICE_LENGTH}）` });
  });
  problems.push(...validateArrangement(year, { off: body.off, work: body.work }));
  if (problems.length > 0) throw DomainError.validation(problems, `${problems[0].field}：${problems[0].message}`);
  return { year, off: [...(body.off as string[])].sort(), work: [...(body.work as string[])].sort(), notices: [...(notices as string[])] };
}

// ---- responses ----

export class AddWorkingDaysResultDto {
  @ApiProperty({ example: '2024-09-27' }) from: string;
  @ApiProperty({ example: 20 }) days: number;
  @ApiProperty({ example: '2024-10-30', description: '起算日之后的第N个工作日' }) date: string;
  @ApiProperty({ description: '结果涉及尚未公布安排的日期（最后已载入年份12月1日及以后）' }) provisional: boolean;
}

export class WorkingDaysResultDto {
  @ApiProperty({ example: '2024-09-30' }) from: string;
  @ApiProperty({ example: '2024-10-12' }) to: string;
  @ApiProperty({ example: 5, description: '(from, to] 内的工作日数' }) workingDays: number;
  @ApiProperty() provisional: boolean;
}

const DAY_KINDS: DayKind[] = ['holiday', 'adjusted_workday', 'weekend', 'workday'];

export class DayInfoDto {
  @ApiProperty({ example: '2024-10-12' }) date: string;
  @ApiProperty({ example: true }) workingDay: boolean;
  @ApiProperty({ enum: DAY_KINDS, description: 'holiday 放假；adjusted_workday 调休上班；weekend 周末；workday 工作日' }) kind: DayKind;
  @ApiProperty() provisional: boolean;
}

export type YearSource = 'shipped' | 'loaded';

export class CalendarYearDto {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ enum: ['shipped', 'loaded'], description: 'shipped 随系统发布的官方安排；loaded 管理员载入（取代同年的发布数据）' }) source: YearSource;
  @ApiProperty({ type: [String] }) off: string[];
  @ApiProperty({ type: [String] }) work: string[];
  @ApiProperty({ type: [String] }) notices: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '载入的管理员' }) loadedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '载入时间' }) loadedAt: string | null;
}

export class CalendarYearsDto {
  @ApiProperty({ type: [CalendarYearDto] }) items: CalendarYearDto[];
  @ApiProperty({ example: 2026 }) lastLoadedYear: number;
  @ApiProperty({ example: '2026-12-01', description: '自此日起的计算结果为临时结果（provisional）' }) provisionalFrom: string;
}

export class LoadYearResultDto extends CalendarYearDto {
  @ApiProperty({ description: '此前是否已有该年的安排（发布数据或此前载入）' }) replaced: boolean;
  @ApiProperty({ example: 2027 }) lastLoadedYear: number;
  @ApiProperty({ example: '2027-12-01' }) provisionalFrom: string;
}
