/** The few parts of lunar-javascript (no bundled types) the statutory-holiday table is checked against. */
declare module 'lunar-javascript' {
  interface SolarDay {
    toYmd(): string;
    getYear(): number;
    next(days: number): SolarDay;
    getLunar(): LunarDay;
  }
  interface LunarDay {
    getSolar(): SolarDay;
    getJieQiTable(): Record<string, SolarDay>;
  }
  export const Lunar: { fromYmd(year: number, month: number, day: number): LunarDay };
  export const Solar: { fromYmd(year: number, month: number, day: number): SolarDay };
}
