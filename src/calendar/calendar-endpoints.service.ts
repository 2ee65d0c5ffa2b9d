import { Injectable } from '@nestjs/common';
import { OFFICIAL_ARRANGEMENTS } from '../statute/holiday-data';
import { CALENDAR_RANGE, type CountResult, type DayInfo, type DayResult, type YearArrangement } from '../statute/working-calendar';
import { CalendarService, SHIPPED, type YearMeta } from './calendar.service';
import { arrangementOf, type CalendarYearDto, type CalendarYearsDto, fieldError, type LoadYearBody, type LoadYearResultDto } from './dto/calendar.dto';

/** What the calendar routes answer, from the calendar in force ({@link CalendarService}). */
@Injectable()
export class CalendarEndpoints {
  constructor(private readonly calendar: CalendarService) {}

  /** `GET /calendar/add-working-days`. */
  addWorkingDays(from: string, days: number): { from: string; days: number } & DayResult {
    try {
      return { from, days, ...this.calendar.current().addWorkingDays(from, days) };
    } catch (err) {
      throw asClientError(err, 'days');
    }
  }

  /** `GET /calendar/working-days`. */
  countWorkingDays(from: string, to: string): { from: string; to: string } & CountResult {
    if (to < from) throw fieldError('to', '结束日期不能早于开始日期（from）');
    try {
      return { from, to, ...this.calendar.current().countWorkingDays(from, to) };
    } catch (err) {
      throw asClientError(err, 'from');
    }
  }

  /** `GET /calendar/days/{date}`. */
  dayInfo(date: string): DayInfo {
    try {
      return this.calendar.current().dayInfo(date);
    } catch (err) {
      throw asClientError(err, 'date');
    }
  }

  /** `GET /calendar/years`: every year in force, with where it came from. */
  years(): CalendarYearsDto {
    const { calendar, meta } = this.calendar.inForce();
    return {
      items: calendar.loadedYears().map((a) => mapYear(a, meta.get(a.year))),
      lastLoadedYear: calendar.lastLoadedYear,
      provisionalFrom: calendar.provisionalFrom,
    };
  }

  /**
   * `PUT /calendar/years/{year}`: validates and stores a year's official arrangement (in force here on return,
   * the listeners run). 400 `VALIDATION_FAILED` naming `off[1]`, `work[2]`, `notices[0]` ….
   */
  async loadYear(year: number, body: LoadYearBody, actorId: string | null): Promise<LoadYearResultDto> {
    const arrangement = arrangementOf(year, body);
    const { snapshot, existed } = await this.calendar.storeYear(arrangement, actorId);
    const { calendar, meta } = snapshot;
    const loaded = calendar.loadedYears().find((a) => a.year === year) ?? arrangement;
    return {
      ...mapYear(loaded, meta.get(year)),
      replaced: existed || OFFICIAL_ARRANGEMENTS.some((a) => a.year === year),
      lastLoadedYear: calendar.lastLoadedYear,
      provisionalFrom: calendar.provisionalFrom,
    };
  }
}

function mapYear(a: YearArrangement, meta: YearMeta | undefined): CalendarYearDto {
  const m = meta ?? SHIPPED;
  return { year: a.year, source: m.source, off: [...a.off], work: [...a.work], notices: [...(a.notices ?? [])], loadedBy: m.loadedBy, loadedAt: m.loadedAt };
}

/** A `RangeError` from the calendar (a date or a result outside 1990..2200) is the client's doing: 400. */
function asClientError(err: unknown, field: string): unknown {
  if (err instanceof RangeError) return fieldError(field, `结果超出可计算范围（${CALENDAR_RANGE.from}至${CALENDAR_RANGE.to}）`);
  return err;
}
