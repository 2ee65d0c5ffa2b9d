import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { OFFICIAL_ARRANGEMENTS } from './holiday-data';
import { formatDayNumber, parseIsoDate } from './iso-date';
import { LAST_STATUTORY_YEAR, statutoryDaysOff } from './statutory-holidays';
import {
  ArrangementError,
  CALENDAR_RANGE,
  officialCalendar,
  validateArrangement,
  WorkingCalendar,
  type YearArrangement,
} from './working-calendar';

interface DeadlineCases {
  add: { from: string; days: number; date: string }[];
  count: { from: string; to: string; workingDays: number }[];
}
const cases = JSON.parse(
  readFileSync(join(__dirname, '../../test/fixtures/deadline-cases.json'), 'utf8'),
) as DeadlineCases;

const cal = WorkingCalendar.official();
const d = (s: string): number => parseIsoDate(s)!;

// ---- A slow, day-by-day reference implementation, independent of the precomputed arrays ----
// after the last official year (2026): the statutory days off of 《全国年节及纪念日放假办法》 and their compensation days
const refOff = new Set([
  ...OFFICIAL_ARRANGEMENTS.flatMap((a) => a.off),
  ...Array.from({ length: LAST_STATUTORY_YEAR - 2026 }, (_, i) => statutoryDaysOff(2027 + i).map((x) => x.date)).flat(),
]);
const refWork = new Set(OFFICIAL_ARRANGEMENTS.flatMap((a) => a.work));
function refIsWorking(n: number): boolean {
  const date = new Date(n * 86_400_000);
  const iso = date.toISOString().slice(0, 10);
  const w = date.getUTCDay();
  return refWork.has(iso) || (w >= 1 && w <= 5 && !refOff.has(iso));
}
function refAdd(n: number, days: number): number {
  let x = n;
  for (let left = days; left > 0; ) {
    x++;
    if (refIsWorking(x)) left--;
  }
  return x;
}
function refCount(a: number, b: number): number {
  let c = 0;
  for (let x = a + 1; x <= b; x++) if (refIsWorking(x)) c++;
  return c;
}

const SPAN_FROM = d('2018-12-01');
const SPAN_TO = d('2027-12-31');
const anyDay = fc.integer({ min: SPAN_FROM, max: SPAN_TO });
const days = fc.integer({ min: 1, max: 120 });

describe('WorkingCalendar: worked examples (test/fixtures/deadline-cases.json)', () => {
  it.each(cases.add)('add $from + $days → $date', ({ from, days: n, date }) => {
    expect(cal.addWorkingDays(from, n)).toEqual({ date, provisional: false });
    expect(formatDayNumber(cal.addN(d(from), n))).toBe(date);
  });

  it.each(cases.count)('count ($from, $to] = $workingDays', ({ from, to, workingDays }) => {
    expect(cal.countWorkingDays(from, to)).toEqual({ workingDays, provisional: false });
    expect(cal.countN(d(from), d(to))).toBe(workingDays);
  });

  it('matches the API contract examples', () => {
    expect(cal.addWorkingDays('2024-09-27', 20)).toEqual({ date: '2024-10-30', provisional: false });
    expect(cal.countWorkingDays('2024-09-30', '2024-10-12')).toEqual({ workingDays: 5, provisional: false });
    expect(cal.dayInfo('2024-10-12')).toEqual({
      date: '2024-10-12',
      workingDay: true,
      kind: 'adjusted_workday',
      provisional: false,
    });
  });
});

describe('WorkingCalendar: holiday edges', () => {
  it('knows the extended 2020 Spring Festival (2020-01-24..2020-02-02)', () => {
    for (let n = d('2020-01-24'); n <= d('2020-02-02'); n++) {
      expect(cal.dayInfo(formatDayNumber(n))).toMatchObject({ workingDay: false, kind: 'holiday' });
    }
    // 2020-02-01 (Saturday) was first an adjusted working day, then a day off by the 2020-01-27 notice.
    expect(cal.dayInfo('2020-02-01').kind).toBe('holiday');
    expect(cal.dayInfo('2020-01-19').kind).toBe('adjusted_workday');
    expect(cal.addWorkingDays('2020-01-23', 1).date).toBe('2020-02-03');
    expect(cal.countWorkingDays('2020-01-23', '2020-02-02').workingDays).toBe(0);
  });

  it("knows 2019's changed Labour Day (2019-05-01..04 off, 04-28 and 05-05 worked)", () => {
    expect(cal.dayInfo('2019-04-28').kind).toBe('adjusted_workday');
    expect(cal.dayInfo('2019-05-02')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.dayInfo('2019-05-03')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.dayInfo('2019-05-04').kind).toBe('holiday');
    expect(cal.dayInfo('2019-05-05')).toMatchObject({ workingDay: true, kind: 'adjusted_workday' });
    expect(cal.addWorkingDays('2019-04-30', 1).date).toBe('2019-05-05');
  });

  it('applies year-end arrangements made in the next year notice', () => {
    expect(cal.dayInfo('2018-12-29')).toMatchObject({ workingDay: true, kind: 'adjusted_workday' });
    expect(cal.dayInfo('2018-12-30')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.dayInfo('2018-12-31')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.dayInfo('2022-12-31')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.addWorkingDays('2018-12-28', 1).date).toBe('2018-12-29');
    expect(cal.addWorkingDays('2018-12-29', 1).date).toBe('2019-01-02');
  });

  it('classifies day kinds', () => {
    expect(cal.dayInfo('2024-10-13')).toEqual({ date: '2024-10-13', workingDay: false, kind: 'weekend', provisional: false });
    expect(cal.dayInfo('2024-10-14')).toEqual({ date: '2024-10-14', workingDay: true, kind: 'workday', provisional: false });
    expect(cal.dayInfo('2024-10-01')).toMatchObject({ workingDay: false, kind: 'holiday' });
    expect(cal.dayInfo('2024-10-05').kind).toBe('holiday'); // a Saturday inside a 放假 range
    expect(cal.dayInfo('1995-01-02')).toMatchObject({ workingDay: true, kind: 'workday', provisional: false });
    expect(cal.dayInfo('2027-01-01')).toMatchObject({ workingDay: false, kind: 'holiday', provisional: true }); // 元旦, statutory
    expect(cal.dayInfo('2027-01-04')).toMatchObject({ workingDay: true, kind: 'workday', provisional: true });
    expect(cal.kindN(d('2024-02-12'))).toBe('holiday');
    expect(cal.isWorkingDay('2024-02-18')).toBe(true);
  });

  it('moves to working days for reminders', () => {
    expect(cal.nextWorkingDayOnOrAfter('2024-10-01')).toEqual({ date: '2024-10-08', provisional: false });
    expect(cal.nextWorkingDayOnOrAfter('2024-10-08')).toEqual({ date: '2024-10-08', provisional: false });
    expect(cal.nextWorkingDayOnOrAfter('2024-10-12').date).toBe('2024-10-12');
    expect(cal.previousWorkingDay('2024-10-08')).toEqual({ date: '2024-09-30', provisional: false });
    expect(cal.previousWorkingDay('2024-09-30').date).toBe('2024-09-29'); // an adjusted Sunday
    expect(cal.previousWorkingDayN(d('2020-02-03'))).toBe(d('2020-01-23'));
    expect(cal.addN(d('2020-02-03'), -2)).toBe(d('2020-01-22'));
    expect(cal.addN(d('2024-10-13'), 0)).toBe(d('2024-10-13'));
  });
});

describe('WorkingCalendar: provisional answers', () => {
  it('flags anything touching 1 December of the last loaded year (2026) or later', () => {
    expect(cal.lastLoadedYear).toBe(2026);
    expect(cal.firstLoadedYear).toBe(2019);
    expect(cal.provisionalFrom).toBe('2026-12-01');
    expect(cal.addWorkingDays('2026-11-02', 20)).toEqual({ date: '2026-11-30', provisional: false });
    expect(cal.addWorkingDays('2026-11-02', 21)).toEqual({ date: '2026-12-01', provisional: true });
    expect(cal.countWorkingDays('2026-11-01', '2026-11-30').provisional).toBe(false);
    expect(cal.countWorkingDays('2026-11-01', '2026-12-01').provisional).toBe(true);
    expect(cal.dayInfo('2026-11-30').provisional).toBe(false);
    expect(cal.dayInfo('2026-12-01').provisional).toBe(true);
    expect(cal.isProvisionalN(d('2026-12-01'))).toBe(true);
    expect(cal.isProvisionalN(d('2018-01-01'))).toBe(false);
    // After the last year: weekends and the statutory days off (2027-01-01 元旦 is a Friday; 春节 2027-02-05..08,
    // of which 02-06 and 02-07 fall on the weekend and are compensated on 02-09 and 02-10).
    expect(cal.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: true });
    expect(cal.dayInfo('2027-02-06')).toMatchObject({ workingDay: false, kind: 'holiday', provisional: true });
    expect(cal.dayInfo('2027-02-09')).toMatchObject({ workingDay: false, kind: 'holiday', provisional: true });
    expect(cal.dayInfo('2027-02-11')).toMatchObject({ workingDay: true, kind: 'workday', provisional: true });
    expect(cal.dayInfo('2027-02-13')).toMatchObject({ workingDay: false, kind: 'weekend', provisional: true });
    expect(cal.assumedDaysOffN(d('2026-12-04'), d('2027-01-05')).map((x) => x.date)).toEqual(['2027-01-01']);
  });

  it('settles once the next year is loaded, without changing the old calendar', () => {
    const y2027: YearArrangement = {
      year: 2027,
      off: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'],
      work: ['2027-01-09'],
      notices: ['test notice'],
    };
    const next = cal.withYear(y2027);
    expect(next).not.toBe(cal);
    expect(next.lastLoadedYear).toBe(2027);
    expect(next.provisionalFrom).toBe('2027-12-01');
    expect(next.addWorkingDays('2026-11-02', 21)).toEqual({ date: '2026-12-01', provisional: false });
    expect(next.dayInfo('2026-12-31')).toEqual({ date: '2026-12-31', workingDay: false, kind: 'holiday', provisional: false });
    expect(next.addWorkingDays('2026-12-30', 1)).toEqual({ date: '2027-01-04', provisional: false });
    expect(next.dayInfo('2027-01-09').kind).toBe('adjusted_workday');
    // The old instance is unchanged.
    expect(cal.dayInfo('2026-12-31')).toMatchObject({ workingDay: true, kind: 'workday', provisional: true });
    expect(cal.lastLoadedYear).toBe(2026);
    expect(next.loadedYears().map((a) => a.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    expect(next.loadedYears()[8].notices).toEqual(['test notice']);
    // Replacing a year.
    const replaced = next.withYear({ year: 2027, off: [], work: [] });
    expect(replaced.dayInfo('2026-12-31').kind).toBe('workday');
    expect(replaced.loadedYears()).toHaveLength(9);
  });

  it('keeps the shared official instance', () => {
    expect(officialCalendar()).toBe(officialCalendar());
    expect(officialCalendar().loadedYears()).toHaveLength(8);
  });
});

describe('validateArrangement', () => {
  it('accepts every shipped arrangement', () => {
    for (const a of OFFICIAL_ARRANGEMENTS) expect(validateArrangement(a.year, a)).toEqual([]);
  });

  it('reports each problem with its field', () => {
    const problems = validateArrangement(2027, {
      off: ['2027-02-30', '2026-11-30', '2027-10-02', '2027-10-02', '2026-12-31', 42, '2028-01-01'],
      work: ['2027-10-04', '2027-10-09', '2027-10-02', '2027-10-09'],
    });
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField['off[0]']).toContain('不是有效日期');
    expect(byField['off[1]']).toContain('不在2027年内');
    expect(byField['off[2]']).toBeUndefined();
    expect(byField['off[3]']).toContain('重复');
    expect(byField['off[4]']).toBeUndefined(); // the previous December is allowed
    expect(byField['off[5]']).toContain('不是有效日期');
    expect(byField['off[6]']).toContain('不在2027年内');
    expect(byField['work[0]']).toBe('2027-10-04是星期一，调休上班日应为星期六或星期日');
    expect(byField['work[1]']).toBeUndefined();
    expect(byField['work[2]']).toContain('同时出现');
    expect(byField['work[3]']).toContain('重复');
    expect(problems).toHaveLength(8);
  });

  it('rejects a bad year or non-list', () => {
    expect(validateArrangement(1800, { off: [], work: [] })[0].field).toBe('year');
    expect(validateArrangement(2027.5, { off: [], work: [] })[0].field).toBe('year');
    expect(validateArrangement(2027, { off: 'x' as unknown as string[], work: [] })).toEqual([
      { field: 'off', message: '应为日期列表' },
    ]);
  });

  it('is enforced when building calendars', () => {
    expect(() => WorkingCalendar.fromArrangements([{ year: 2027, off: ['2027-13-01'], work: [] }])).toThrow(ArrangementError);
    expect(() => cal.withYear({ year: 2027, off: [], work: ['2027-01-04'] })).toThrow(ArrangementError);
    expect(() => WorkingCalendar.fromArrangements([...OFFICIAL_ARRANGEMENTS, OFFICIAL_ARRANGEMENTS[0]])).toThrow(RangeError);
    expect(() => WorkingCalendar.fromArrangements([])).toThrow(RangeError);
  });
});

describe('WorkingCalendar: range and input errors', () => {
  it('throws RangeError outside the precomputed range and for bad input', () => {
    expect(() => cal.dayInfo('1989-12-31')).toThrow(RangeError);
    expect(() => cal.dayInfo('2201-01-01')).toThrow(RangeError);
    expect(cal.dayInfo(CALENDAR_RANGE.from).date).toBe('1990-01-01');
    expect(cal.dayInfo(CALENDAR_RANGE.to).date).toBe('2200-12-31');
    expect(() => cal.addWorkingDays('2200-12-30', 5)).toThrow(RangeError);
    expect(() => cal.addN(d('1990-01-02'), -5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2024-02-01', 1.5)).toThrow(RangeError);
    expect(() => cal.countN(0.5, 3)).toThrow(RangeError);
    expect(cal.addWorkingDays('2024-09-27', 10_000).date).toBe(formatDayNumber(refAdd(d('2024-09-27'), 10_000)));
  });
});

describe('WorkingCalendar: laws (fast-check)', () => {
  it('agrees with a day-by-day reference across 2018-12..2027-12', () => {
    fc.assert(
      fc.property(anyDay, days, anyDay, (from, n, other) => {
        expect(cal.addN(from, n)).toBe(refAdd(from, n));
        const [a, b] = from <= other ? [from, other] : [other, from];
        expect(cal.countN(a, b)).toBe(refCount(a, b));
        expect(cal.isWorkingDayN(from)).toBe(refIsWorking(from));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference on every single day of the span', () => {
    for (let n = SPAN_FROM; n <= SPAN_TO; n++) {
      if (cal.isWorkingDayN(n) !== refIsWorking(n)) throw new Error(`working-day mismatch on ${formatDayNumber(n)}`);
      if (cal.addN(n, 1) !== refAdd(n, 1)) throw new Error(`add mismatch on ${formatDayNumber(n)}`);
    }
  });

  it('add(add(D, N), M) = add(D, N + M)', () => {
    fc.assert(
      fc.property(anyDay, days, days, (from, n, m) => {
        expect(cal.addN(cal.addN(from, n), m)).toBe(cal.addN(from, n + m));
      }),
    );
  });

  it('count(D, add(D, N)) = N and the result is a working day after D', () => {
    fc.assert(
      fc.property(anyDay, days, (from, n) => {
        const to = cal.addN(from, n);
        expect(cal.countN(from, to)).toBe(n);
        expect(cal.isWorkingDayN(to)).toBe(true);
        expect(to).toBeGreaterThan(from);
        expect(cal.countN(to, from)).toBe(-n);
      }),
    );
  });

  it('is monotonic in N (strictly) and in D', () => {
    fc.assert(
      fc.property(anyDay, anyDay, days, days, (a, b, n, m) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.addN(lo, n)).toBeLessThanOrEqual(cal.addN(hi, n));
        if (n < m) expect(cal.addN(lo, n)).toBeLessThan(cal.addN(lo, m));
      }),
    );
  });

  it('count is additive over adjacent spans', () => {
    fc.assert(
      fc.property(anyDay, anyDay, anyDay, (a, b, c) => {
        expect(cal.countN(a, b) + cal.countN(b, c)).toBe(cal.countN(a, c));
      }),
    );
  });

  it('previous and next working days bracket every day', () => {
    fc.assert(
      fc.property(anyDay, (n) => {
        const prev = cal.previousWorkingDayN(n);
        const next = cal.nextWorkingDayOnOrAfterN(n);
        expect(prev).toBeLessThan(n);
        expect(next).toBeGreaterThanOrEqual(n);
        expect(cal.countN(prev, next)).toBe(1);
        expect(cal.addN(prev, 1)).toBe(next);
      }),
    );
  });
});
