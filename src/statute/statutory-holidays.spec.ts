import fc from 'fast-check';
import { Lunar, Solar } from 'lunar-javascript';
import { OFFICIAL_ARRANGEMENTS } from './holiday-data';
import { formatDayNumber, parseIsoDate, weekday } from './iso-date';
import { computeReplyClock, type ClockFacts } from './reply-clock';
import { FIRST_STATUTORY_YEAR, LAST_STATUTORY_YEAR, LUNAR_FESTIVAL_DATES, statutoryDaysOff, statutoryHolidayDays } from './statutory-holidays';
import { WorkingCalendar } from './working-calendar';

const d = (s: string): number => parseIsoDate(s)!;
const isWeekend = (n: number): boolean => weekday(n) === 0 || weekday(n) === 6;
const years = Array.from({ length: LAST_STATUTORY_YEAR - FIRST_STATUTORY_YEAR + 1 }, (_, i) => FIRST_STATUTORY_YEAR + i);

describe('statutory holidays: the lunar and solar-term table', () => {
  it('equals lunar-javascript for every year of the calendar range', () => {
    for (const y of years) {
      const eve = Lunar.fromYmd(y, 1, 1).getSolar().next(-1).toYmd();
      const qingming = Solar.fromYmd(y, 4, 1).getLunar().getJieQiTable()['清明'].toYmd();
      const duanwu = Lunar.fromYmd(y, 5, 5).getSolar().toYmd();
      const zhongqiu = Lunar.fromYmd(y, 8, 15).getSolar().toYmd();
      const [e, q, dw, zq] = LUNAR_FESTIVAL_DATES[y];
      expect([e, `${y}-${q}`, `${y}-${dw}`, `${y}-${zq}`]).toEqual([eve, qingming, duanwu, zhongqiu]);
    }
  });

  it('knows the festivals of 2027 (春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15)', () => {
    const f = Object.fromEntries(statutoryHolidayDays(2027).map((x) => [x.holiday, x.days.map(formatDayNumber)]));
    expect(f).toEqual({
      元旦: ['2027-01-01'],
      春节: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
      清明节: ['2027-04-05'],
      劳动节: ['2027-05-01', '2027-05-02'],
      端午节: ['2027-06-09'],
      中秋节: ['2027-09-15'],
      国庆节: ['2027-10-01', '2027-10-02', '2027-10-03'],
    });
  });

  it('refuses a year outside the table', () => {
    expect(() => statutoryDaysOff(2201)).toThrow(RangeError);
  });
});

describe('statutory holidays: the rules of 《全国年节及纪念日放假办法》 (2024)', () => {
  it('2025–2200: the fixed days, the festivals (中秋 may share 1–3 October), one compensation day per weekend festival day', () => {
   for (const y of years.filter((x) => x >= 2025)) {
    const off = statutoryDaysOff(y);
    const dates = new Set(off.map((x) => x.date));
    for (const fixed of ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03']) expect(dates.has(`${y}-${fixed}`)).toBe(true);
    const festivals = statutoryHolidayDays(y);
    const festivalDays = new Set(festivals.flatMap((f) => f.days));
    expect(festivalDays.size).toBeGreaterThanOrEqual(12); // 中秋 may fall on 1–3 October
    const weekendFestivalDays = [...festivalDays].filter(isWeekend).length;
    const compensation = off.filter((x) => x.compensation);
    expect(compensation).toHaveLength(weekendFestivalDays);
    for (const c of compensation) {
      const n = d(c.date);
      expect(isWeekend(n)).toBe(false);
      expect(festivalDays.has(n)).toBe(false);
      // after the festival's days, and no free weekday skipped between them
      const f = festivals.find((x) => x.holiday === c.holiday)!;
      const last = f.days[f.days.length - 1];
      expect(n).toBeGreaterThan(last);
      for (let k = last + 1; k < n; k++) expect(isWeekend(k) || dates.has(formatDayNumber(k))).toBe(true);
    }
    expect(new Set(off.map((x) => x.date)).size).toBe(off.length);
   }
  });

  it('takes off only days the official arrangements of 2025 and 2026 also took off', () => {
    for (const y of [2025, 2026]) {
      const official = new Set(OFFICIAL_ARRANGEMENTS.find((a) => a.year === y)!.off);
      const extra = statutoryDaysOff(y).filter((x) => !official.has(x.date));
      expect(extra).toEqual([]);
    }
  });
});

describe('WorkingCalendar: provisional years count the statutory days off', () => {
  const cal = WorkingCalendar.official(); // 2019–2026 loaded
  const facts = (receipt: string): ClockFacts => ({ receiptDate: receipt, pauses: [] });

  it('a case received 2026-12-04 is due on a working day after New Year’s Day, and says what it assumed', () => {
    const clock = computeReplyClock(facts('2026-12-04'), cal, '2026-12-04');
    // weekdays alone would give 2027-01-01 (元旦); the statutory day is off
    expect(clock.due).toBe('2027-01-04');
    expect(clock.provisional).toBe(true);
    expect(cal.isWorkingDay(clock.due!)).toBe(true);
    expect(clock.explanation.join('')).toContain('元旦');
  });

  it('a case received in late January 2027 skips 春节 and its compensation days', () => {
    const clock = computeReplyClock(facts('2027-01-25'), cal, '2027-01-25');
    // 20 working days: 01-26..29 and 02-01..04 are 8; 02-05..02-10 off (春节 and 2 compensation days); 02-11, 02-12,
    // 02-15..19 and 02-22..26 make 20
    expect(clock.due).toBe('2027-02-26');
    expect(clock.explanation.join('')).toContain('春节');
  });

  it('the official year replaces the provisional days once loaded', () => {
    const loaded = cal.withYear({ year: 2027, off: ['2027-01-01', '2027-01-02', '2027-01-03'], work: [] });
    expect(loaded.assumedDaysOffN(d('2026-12-01'), d('2027-12-31'))).toEqual([]);
    expect(loaded.dayInfo('2027-02-09')).toMatchObject({ workingDay: true, kind: 'workday', provisional: false });
    expect(loaded.dayInfo('2028-01-26')).toMatchObject({ workingDay: false, kind: 'holiday', provisional: true }); // 春节 2028
  });

  it('never takes off a working day the loaded arrangements declared (property over 2019–2026)', () => {
    fc.assert(
      fc.property(fc.integer({ min: d('2019-01-01'), max: d('2026-12-31') }), (n) => {
        expect(cal.isWorkingDayN(n)).toBe(WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS).isWorkingDayN(n));
      }),
      { seed: 2027, numRuns: 300 },
    );
  });
});
