/**
 * Working days counted in PostgreSQL over working-day ordinals (src/reports/working-days-sql.ts) equal the pure
 * WorkingCalendar's count, on random date pairs across loaded and provisional years and the 调休 days.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { workingDaysSql } from '../src/reports/working-days-sql';
import { OFFICIAL_ARRANGEMENTS } from '../src/statute/holiday-data';
import { formatDayNumber, parseIsoDate } from '../src/statute/iso-date';
import { workingDayOrdinals } from '../src/statute/working-day-ordinals';
import { WorkingCalendar } from '../src/statute/working-calendar';
import { createTestDatabase } from './support/database';

const d = (s: string) => parseIsoDate(s)!;

describe('working days in SQL over working-day ordinals', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pg: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  const count = async (o: { from: string; ordinals: number[] }, pairs: [string, string][]): Promise<(number | null)[]> => {
    const r = await pg.query<{ n: number | null }>(
      `SELECT ${workingDaysSql('p.a', 'p.b', '$3', '$4')} AS n FROM unnest($1::date[], $2::date[]) WITH ORDINALITY AS p(a, b, i) ORDER BY p.i`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), o.from, o.ordinals],
    );
    return r.rows.map((x) => x.n);
  };

  it('equals WorkingCalendar.countWorkingDays on random pairs (calendars with 2026, 2024 and 2022 the last loaded year)', async () => {
    const special = OFFICIAL_ARRANGEMENTS.flatMap((a) => [...a.work, ...a.off]);
    const anyDate = fc.oneof(fc.integer({ min: d('2019-01-01'), max: d('2028-12-31') }).map(formatDayNumber), fc.constantFrom(...special));
    const pairs = fc.sample(fc.tuple(anyDate, anyDate), { seed: 20261204, numRuns: 3000 });
    for (const last of [2026, 2024, 2022]) {
      const cal = WorkingCalendar.fromArrangements(OFFICIAL_ARRANGEMENTS.filter((a) => a.year <= last));
      const o = workingDayOrdinals(cal, '2018-12-01', '2028-12-31');
      const got = await count(o, pairs);
      const want = pairs.map(([a, b]) => cal.countWorkingDays(a, b).workingDays);
      expect(got.filter((n, i) => n !== want[i]).length).toBe(0);
      expect(got).toEqual(want);
    }
  });

  it('is NULL when a date lies outside the window', async () => {
    const o = workingDayOrdinals(WorkingCalendar.official(), '2024-01-01', '2024-12-31');
    expect(await count(o, [['2023-12-31', '2024-03-01'], ['2024-03-01', '2025-01-01'], ['2024-01-01', '2024-12-31']])).toEqual([null, null, 251]);
  });
});
