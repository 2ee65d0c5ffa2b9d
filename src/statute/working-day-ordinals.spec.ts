import fc from 'fast-check';
import { OFFICIAL_ARRANGEMENTS } from './holiday-data';
import { formatDayNumber, parseIsoDate } from './iso-date';
import { MAX_ORDINALS_WINDOW, ordinalsWindowBack, workingDayOrdinals } from './working-day-ordinals';
import { WorkingCalendar } from './working-calendar';

const d = (s: string) => parseIsoDate(s)!;
/** Calendars whose provisional zone starts at different places: all official years, up to 2024, up to 2022. */
const calendars = [2026, 2024, 2022].map((last) => WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS.filter((a) => a.year <= last)));
/** 调休 working days and days off of the official years: the days a weekday rule gets wrong. */
const special = OFFICIAL_ARRANGEMENTS.flatMap((a) => [...a.work, ...a.off]);
const WINDOW = { from: '2018-12-01', to: '2028-12-31' };
const anyDate = fc.oneof(fc.integer({ min: d(WINDOW.from), max: d(WINDOW.to) }).map(formatDayNumber), fc.constantFrom(...special));

describe('working-day ordinals', () => {
  const tables = calendars.map((cal) => ({ cal, o: workingDayOrdinals(cal, WINDOW.from, WINDOW.to) }));

  it('count working days by a subtraction, as the calendar counts them (provisional years and 调休 days too)', () => {
    fc.assert(
      fc.property(fc.nat(calendars.length - 1), anyDate, anyDate, (k, a, b) => {
        const { cal, o } = tables[k];
        const got = o.ordinals[d(b) - d(o.from)] - o.ordinals[d(a) - d(o.from)];
        return got === cal.countWorkingDays(a, b).workingDays;
      }),
      { seed: 20261204, numRuns: 5000 },
    );
  });

  it('start at 0 on the window’s first day and grow by one on each working day', () => {
    for (const { cal, o } of tables) {
      expect(o.ordinals[0]).toBe(0);
      for (let i = 1; i < o.ordinals.length; i++) expect(o.ordinals[i] - o.ordinals[i - 1]).toBe(cal.isWorkingDayN(d(o.from) + i) ? 1 : 0);
    }
  });

  it('keep to the calendar’s range and refuse an empty or overlong window', () => {
    const cal = calendars[0];
    expect(workingDayOrdinals(cal, '1980-01-01', '1990-01-10')).toMatchObject({ from: '1990-01-01', to: '1990-01-10' });
    expect(workingDayOrdinals(cal, '2200-12-01', '2201-03-01')).toMatchObject({ from: '2200-12-01', to: '2200-12-31' });
    expect(workingDayOrdinals(cal, '1970-01-01', '1979-12-31')).toEqual({ from: '1990-01-01', to: '1990-01-01', ordinals: [0] });
    expect(workingDayOrdinals(cal, '9000-01-01', '9000-12-31')).toEqual({ from: '2200-12-31', to: '2200-12-31', ordinals: [0] });
    expect(() => workingDayOrdinals(cal, '2024-01-02', '2024-01-01')).toThrow(RangeError);
    expect(() => workingDayOrdinals(cal, '1990-01-01', '2030-01-01')).toThrow(RangeError);
    expect(() => workingDayOrdinals(cal, '2024-13-01', '2024-12-01')).toThrow(RangeError);
    expect(ordinalsWindowBack('2024-12-31', 366)).toEqual({ from: '2023-12-31', to: '2024-12-31' });
    expect(ordinalsWindowBack('1990-06-01', 1000).from).toBe('1990-01-01');
    expect(ordinalsWindowBack('9999-12-31', 7000)).toEqual({ from: '2200-12-31', to: '2200-12-31' });
    expect(ordinalsWindowBack('0001-01-01', 7000)).toEqual({ from: '1990-01-01', to: '1990-01-01' });
    expect(MAX_ORDINALS_WINDOW).toBeGreaterThan(3660 + 1100);
  });
});
