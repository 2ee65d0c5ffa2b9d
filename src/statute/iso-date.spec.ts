import fc from 'fast-check';
import {
  dayNumberFromParts,
  formatChineseDate,
  formatDayNumber,
  isIsoDate,
  parseIsoDate,
  partsFromDayNumber,
  todayInShanghai,
  weekday,
  weekdayNameZh,
} from './iso-date';

/** Reference through `Date` (UTC), independent of the integer arithmetic. */
function viaDate(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

describe('parseIsoDate', () => {
  it('parses real dates to day numbers', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('1970-01-02')).toBe(1);
    expect(parseIsoDate('1969-12-31')).toBe(-1);
    expect(parseIsoDate('2024-09-27')).toBe(Date.UTC(2024, 8, 27) / 86_400_000);
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    expect(parseIsoDate('9999-12-31')).toBe(Date.UTC(9999, 11, 31) / 86_400_000);
    expect(parseIsoDate('0001-01-01')).not.toBeNull();
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2100-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-32',
    '0000-01-01',
    '2024-1-01',
    '2024-01-1',
    ' 2024-01-01',
    '2024-01-01 ',
    '2024-01-01T00:00:00Z',
    '2024/01/01',
    '20240101',
    '2024-0a-01',
    '+024-01-01',
    '２０２４-01-01',
    '',
  ])('rejects %j', (s) => {
    expect(parseIsoDate(s)).toBeNull();
    expect(isIsoDate(s)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isIsoDate(20240101)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
    expect(parseIsoDate(undefined as unknown as string)).toBeNull();
  });

  it('agrees with Date for every day 1900..2300 (round trip)', () => {
    const from = dayNumberFromParts(1900, 1, 1);
    const to = dayNumberFromParts(2300, 12, 31);
    for (let n = from; n <= to; n++) {
      const s = viaDate(n);
      if (formatDayNumber(n) !== s || parseIsoDate(s) !== n) throw new Error(`mismatch at ${n}: ${s}`);
    }
  });

  it('round-trips over the whole 0001..9999 range (property)', () => {
    const lo = dayNumberFromParts(1, 1, 1);
    const hi = dayNumberFromParts(9999, 12, 31);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), (n) => {
        const s = formatDayNumber(n);
        expect(parseIsoDate(s)).toBe(n);
        const { year, month, day } = partsFromDayNumber(n);
        expect(dayNumberFromParts(year, month, day)).toBe(n);
      }),
    );
  });
});

describe('weekday, formats and today', () => {
  it('numbers weekdays as Date#getDay', () => {
    expect(weekday(0)).toBe(4); // 1970-01-01 Thursday
    expect(weekday(-1)).toBe(3);
    expect(weekday(parseIsoDate('2024-10-12')!)).toBe(6);
    expect(weekday(parseIsoDate('2024-10-13')!)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (n) => {
        expect(weekday(n)).toBe(new Date(n * 86_400_000).getUTCDay());
      }),
    );
  });

  it('formats in Chinese', () => {
    expect(formatChineseDate(parseIsoDate('2024-09-27')!)).toBe('2024年9月27日');
    expect(formatChineseDate(parseIsoDate('2024-10-08')!)).toBe('2024年10月8日');
    expect(weekdayNameZh(parseIsoDate('2024-10-14')!)).toBe('星期一');
  });

  it('gives the calendar date in Asia/Shanghai (UTC+8)', () => {
    expect(todayInShanghai(new Date('2024-09-26T15:59:59.999Z'))).toBe('2024-09-26');
    expect(todayInShanghai(new Date('2024-09-26T16:00:00.000Z'))).toBe('2024-09-27');
    expect(todayInShanghai(new Date('2024-12-31T23:00:00+08:00'))).toBe('2024-12-31');
    expect(todayInShanghai(new Date('2024-12-31T16:30:00Z'))).toBe('2025-01-01');
    expect(isIsoDate(todayInShanghai())).toBe(true);
  });
});
