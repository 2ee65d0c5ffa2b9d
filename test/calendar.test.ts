import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALENDAR_COMMAND_MAX_AGE_MS, CalendarService } from '../src/calendar/calendar.service';
import { OFFICIAL_ARRANGEMENTS } from '../src/statute/holiday-data';
import { bearer, createTestApp, seedOrg, type TestApp, type TestOrg } from './support/test-app';

interface Fixtures {
  add: { from: string; days: number; date: string }[];
  count: { from: string; to: string; workingDays: number }[];
}
jest.setTimeout(30_000);

const fixtures: Fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'deadline-cases.json'), 'utf8'));

/** A plausible 2027 notice: New Year, Spring Festival (春节 2027-02-06), National Day. */
const ARRANGEMENT_2027 = {
  off: [
    '2027-01-01', '2027-01-02', '2027-01-03',
    '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13',
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  work: ['2027-02-14', '2027-09-26', '2027-10-09'],
  notices: ['国办发明电〔2026〕测试号'],
};

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }): string[] => (body.details?.fields ?? []).map((f) => f.field);

function expectValidation(res: { status: number; body: { code: string; details: { fields: { field: string; message: string }[] } } }, field: string): void {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(fieldsOf(res.body)).toContain(field);
  for (const f of res.body.details.fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
}

describe('calendar: working days over HTTP', () => {
  let t: TestApp;
  let org: TestOrg;

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());

  const add = (from: string, days: number | string) => t.http().get(`/api/v1/calendar/add-working-days?from=${from}&days=${days}`);
  const count = (from: string, to: string) => t.http().get(`/api/v1/calendar/working-days?from=${from}&to=${to}`);
  const day = (date: string) => t.http().get(`/api/v1/calendar/days/${date}`);
  const putYear = (year: number | string, body: unknown, token = org.people.admin) =>
    t.http().put(`/api/v1/calendar/years/${year}`).set(bearer(token)).send(body as object);

  describe('worked examples (test/fixtures/deadline-cases.json)', () => {
    it.each(fixtures.add.map((c) => [c.from, c.days, c.date]))('%s + %i working days = %s', async (from, days, date) => {
      const res = await add(from, days);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ from, days, date, provisional: false });
    });

    it.each(fixtures.count.map((c) => [c.from, c.to, c.workingDays]))('working days in (%s, %s] = %i', async (from, to, workingDays) => {
      const res = await count(from, to);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ from, to, workingDays, provisional: false });
    });
  });

  describe('the contract’s examples', () => {
    it('adds 20 working days to 2024-09-27', async () => {
      const res = await add('2024-09-27', 20);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ from: '2024-09-27', days: 20, date: '2024-10-30', provisional: false });
    });

    it('counts 5 working days in (2024-09-30, 2024-10-12]', async () => {
      const res = await count('2024-09-30', '2024-10-12');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ from: '2024-09-30', to: '2024-10-12', workingDays: 5, provisional: false });
    });

    it('answers 2024-10-12 as an adjusted working day', async () => {
      const res = await day('2024-10-12');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ date: '2024-10-12', workingDay: true, kind: 'adjusted_workday', provisional: false });
    });

    it('counts zero working days when from = to, and accepts a non-working from', async () => {
      expect((await count('2024-10-01', '2024-10-01')).body).toMatchObject({ workingDays: 0 });
      expect((await add('2024-10-05', 1)).body).toMatchObject({ date: '2024-10-08' });
    });
  });

  describe('kinds of day', () => {
    it.each([
      ['2024-10-01', 'holiday', false, 'a holiday on a Tuesday'],
      ['2024-10-05', 'holiday', false, 'a Saturday inside the 放假 range'],
      ['2024-10-19', 'weekend', false, 'a plain Saturday'],
      ['2024-10-20', 'weekend', false, 'a plain Sunday'],
      ['2024-10-14', 'workday', true, 'a Monday'],
      ['2024-09-29', 'adjusted_workday', true, 'a Sunday declared a working day'],
      ['2018-12-29', 'adjusted_workday', true, 'a previous-December date of the 2019 notice'],
    ])('%s is %s (%s, %s)', async (date, kind, workingDay) => {
      const res = await day(date);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ date, workingDay, kind, provisional: false });
    });
  });

  describe('bad input: 400 VALIDATION_FAILED naming the field, never a 500', () => {
    it.each([
      ['from', '/api/v1/calendar/add-working-days?from=2024-02-30&days=5'],
      ['from', '/api/v1/calendar/add-working-days?from=2023-02-29&days=5'],
      ['from', '/api/v1/calendar/add-working-days?from=2024-9-27&days=5'],
      ['from', '/api/v1/calendar/add-working-days?from=1989-12-31&days=5'],
      ['from', '/api/v1/calendar/add-working-days?from=2201-01-01&days=5'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=1.5'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=0'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=-3'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=abc'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=10001'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=1e3'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days='],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27&days=5&days=6'],
      ['days', '/api/v1/calendar/add-working-days?from=2200-12-01&days=10000'],
      ['days', '/api/v1/calendar/add-working-days?from=2024-09-27'],
      ['from', '/api/v1/calendar/add-working-days?days=5'],
      ['extra', '/api/v1/calendar/add-working-days?from=2024-09-27&days=5&extra=1'],
      ['to', '/api/v1/calendar/working-days?from=2024-10-12&to=2024-09-30'],
      ['to', '/api/v1/calendar/working-days?from=2024-09-30&to=2024-02-30'],
      ['to', '/api/v1/calendar/working-days?from=2024-09-30'],
      ['from', '/api/v1/calendar/working-days?to=2024-09-30'],
      ['to', '/api/v1/calendar/working-days?from=2024-09-30&to=2201-01-01'],
      ['limit', '/api/v1/calendar/working-days?from=2024-09-30&to=2024-10-12&limit=3'],
      ['date', '/api/v1/calendar/days/abc'],
      ['date', '/api/v1/calendar/days/2024-13-01'],
      ['date', '/api/v1/calendar/days/2024-02-30'],
      ['date', '/api/v1/calendar/days/1989-12-31'],
      ['date', '/api/v1/calendar/days/%E4%BA%8C%E3%80%87%E4%BA%8C%E5%9B%9B'],
      ['x', '/api/v1/calendar/days/2024-10-12?x=1'],
      ['verbose', '/api/v1/calendar/years?verbose=true'],
    ])('names %s for %s', async (field, url) => {
      expectValidation(await t.http().get(url), field);
    });

    it('says what is wrong, in Chinese', async () => {
      const message = async (url: string) => (await t.http().get(url)).body.details.fields[0].message as string;
      expect(await message('/api/v1/calendar/add-working-days?from=2024-09-27&days=abc')).toBe('必须是整数');
      expect(await message('/api/v1/calendar/add-working-days?from=2024-09-27&days=-3')).toMatch(/至少1/);
      expect(await message('/api/v1/calendar/add-working-days?from=2024-09-27&days=10001')).toMatch(/最多10000/);
      expect(await message('/api/v1/calendar/add-working-days?from=2024-09-27')).toBe('缺少必填字段');
      expect(await message('/api/v1/calendar/working-days?from=2024-10-12&to=2024-09-30')).toMatch(/不能早于/);
      expect(await message('/api/v1/calendar/days/2201-01-01')).toMatch(/超出可计算范围/);
    });

    it('names both missing parameters at once', async () => {
      const res = await t.http().get('/api/v1/calendar/add-working-days');
      expectValidation(res, 'from');
      expect(fieldsOf(res.body).sort()).toEqual(['days', 'from']);
    });

    it('accepts the edges: 1 and 10,000 days, the ends of the range', async () => {
      expect((await add('2024-09-27', 1)).body).toMatchObject({ date: '2024-09-29' });
      expect((await add('2024-09-27', 10000)).status).toBe(200);
      expect((await day('1990-01-01')).status).toBe(200);
      expect((await day('2200-12-31')).body).toMatchObject({ provisional: true });
    });
  });

  describe('provisional answers and loading a year', () => {
    let listened: number[];
    let unsubscribe: (() => void)[];

    beforeAll(() => {
      const service = t.app.get(CalendarService);
      listened = [];
      unsubscribe = [
        service.onYearLoaded(async (year) => {
          listened.push(year);
        }),
        service.onYearLoaded(() => {
          throw new Error('a broken listener');
        }),
      ];
    });
    afterAll(() => unsubscribe.forEach((u) => u()));

    it('marks answers touching 1 December of the last loaded year (2026) as provisional', async () => {
      expect((await day('2026-11-30')).body).toMatchObject({ provisional: false });
      expect((await day('2026-12-01')).body).toMatchObject({ provisional: true });
      expect((await count('2026-11-20', '2026-12-01')).body).toMatchObject({ provisional: true });
      expect((await add('2026-11-27', 1)).body).toEqual({ from: '2026-11-27', days: 1, date: '2026-11-30', provisional: false });
      // 2027 not loaded: weekends and the statutory days off (元旦 2027-01-01, a Friday)
      expect((await add('2026-12-28', 5)).body).toEqual({ from: '2026-12-28', days: 5, date: '2027-01-05', provisional: true });
      expect((await day('2027-01-01')).body).toEqual({ date: '2027-01-01', workingDay: false, kind: 'holiday', provisional: true });
      expect((await day('2027-01-04')).body).toEqual({ date: '2027-01-04', workingDay: true, kind: 'workday', provisional: true });
      const years = await t.http().get('/api/v1/calendar/years');
      expect(years.status).toBe(200);
      expect(years.body).toMatchObject({ lastLoadedYear: 2026, provisionalFrom: '2026-12-01' });
      expect(years.body.items.map((y: { year: number }) => y.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
      expect(years.body.items.every((y: { source: string }) => y.source === 'shipped')).toBe(true);
    });

    it('refuses a PUT without a token (401) and from any role but admin (403)', async () => {
      const anonymous = await t.http().put('/api/v1/calendar/years/2027').send(ARRANGEMENT_2027);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      for (const who of ['city.clerk', 'city.supervisor', 'city.auditor']) {
        const res = await putYear(2027, ARRANGEMENT_2027, org.people[who]);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await day('2027-01-01')).body).toMatchObject({ kind: 'holiday', provisional: true });
      expect((await day('2027-02-14')).body).toMatchObject({ kind: 'weekend', provisional: true });
    });

    describe('refuses a bad arrangement with 400 naming the field, and changes nothing', () => {
      it.each([
        ['off[1]', 'a date outside the year', { off: ['2027-01-01', '2028-01-01'], work: [] }],
        ['off[1]', 'a November date of the previous year', { off: ['2027-01-01', '2026-11-30'], work: [] }],
        ['work[0]', 'a working day on a weekday', { off: ['2027-01-01'], work: ['2027-02-15'] }],
        ['work[0]', 'a date in both lists', { off: ['2027-01-02'], work: ['2027-01-02'] }],
        ['off[1]', 'an impossible date', { off: ['2027-01-01', '2027-02-30'], work: [] }],
        ['off[0]', 'a date that is not text', { off: [20270101], work: [] }],
        ['off[1]', 'a duplicate', { off: ['2027-01-01', '2027-01-01'], work: [] }],
        ['work', 'a missing list', { off: ['2027-01-01'] }],
        ['off', 'a list that is not a list', { off: '2027-01-01', work: [] }],
        ['off', 'an empty off list', { off: [], work: [] }],
        ['off', 'too many dates', { off: Array.from({ length: 201 }, () => '2027-01-01'), work: [] }],
        ['notices[0]', 'a notice that is not text', { off: ['2027-01-01'], work: [], notices: [5] }],
        ['extra', 'an unknown field', { off: ['2027-01-01'], work: [], extra: true }],
      ])('%s: %s', async (field, _what, body) => {
        expectValidation(await putYear(2027, body), field);
      });

      it.each([['2018'], ['2101'], ['abc'], ['20270'], ['2027.0'], ['02027'], ['+2027'], ['2027%20']])('year %s', async (year) => {
        expectValidation(await putYear(year, ARRANGEMENT_2027), 'year');
      });

      it('explains each bad date of the list', async () => {
        const res = await putYear(2027, { off: ['2027-01-01', '2028-01-01'], work: ['2027-02-15'], notices: 'a' });
        expectValidation(res, 'notices');
        const again = await putYear(2027, { off: ['2027-01-01', '2028-01-01'], work: ['2027-02-15'] });
        expect(again.body.details.fields).toEqual([
          { field: 'off[1]', message: expect.stringMatching(/不在2027年内/) },
          { field: 'work[0]', message: expect.stringMatching(/星期一.*星期六或星期日/) },
        ]);
      });

      it('malformed JSON', async () => {
        const res = await t.http().put('/api/v1/calendar/years/2027').set(bearer(org.people.admin)).set('Content-Type', 'application/json').send('{"off": ["2027-01-01",');
        expectValidation(res, 'body');
      });

      it('stores nothing for a refused arrangement', async () => {
        const rows = await t.ds.query('SELECT count(*)::int AS n FROM calendar_years');
        expect(rows[0].n).toBe(0);
        expect((await day('2027-01-01')).body).toMatchObject({ kind: 'holiday', provisional: true });
      });
    });

    it('loads 2027: December 2026 is settled, answers change, listeners hear of it', async () => {
      const res = await putYear(2027, { ...ARRANGEMENT_2027, off: [...ARRANGEMENT_2027.off].reverse() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        year: 2027,
        source: 'loaded',
        off: ARRANGEMENT_2027.off,
        work: ARRANGEMENT_2027.work,
        notices: ARRANGEMENT_2027.notices,
        loadedBy: org.people.admin.id,
        loadedAt: expect.any(String),
        replaced: false,
        lastLoadedYear: 2027,
        provisionalFrom: '2027-12-01',
      });
      expect(listened).toEqual([2027]);

      expect((await day('2026-12-15')).body).toMatchObject({ provisional: false });
      expect((await day('2027-01-01')).body).toEqual({ date: '2027-01-01', workingDay: false, kind: 'holiday', provisional: false });
      expect((await day('2027-02-14')).body).toEqual({ date: '2027-02-14', workingDay: true, kind: 'adjusted_workday', provisional: false });
      expect((await add('2026-12-28', 5)).body).toEqual({ from: '2026-12-28', days: 5, date: '2027-01-05', provisional: false });
      expect((await count('2026-12-31', '2027-01-04')).body).toEqual({ from: '2026-12-31', to: '2027-01-04', workingDays: 1, provisional: false });
      expect((await day('2027-12-01')).body).toMatchObject({ provisional: true });

      const years = await t.http().get('/api/v1/calendar/years');
      expect(years.body).toMatchObject({ lastLoadedYear: 2027, provisionalFrom: '2027-12-01' });
      const y2027 = years.body.items.find((y: { year: number }) => y.year === 2027);
      expect(y2027).toMatchObject({ source: 'loaded', off: ARRANGEMENT_2027.off, work: ARRANGEMENT_2027.work, loadedBy: org.people.admin.id });
      expect(years.body.items.find((y: { year: number }) => y.year === 2026)).toMatchObject({ source: 'shipped', loadedBy: null });
    });

    it('re-loading an existing year (2026 with an extra day off) changes answers at once', async () => {
      const shipped = OFFICIAL_ARRANGEMENTS.find((a) => a.year === 2026)!;
      // 2026-03-10 is a Tuesday
      expect((await day('2026-03-10')).body).toMatchObject({ kind: 'workday' });
      expect((await add('2026-03-09', 1)).body).toMatchObject({ date: '2026-03-10' });
      const res = await putYear(2026, { off: [...shipped.off, '2026-03-10'], work: [...shipped.work], notices: [...(shipped.notices ?? []), '补充通知（测试）'] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ year: 2026, source: 'loaded', replaced: true, lastLoadedYear: 2027 });
      expect(listened).toEqual([2027, 2026]);
      expect((await day('2026-03-10')).body).toEqual({ date: '2026-03-10', workingDay: false, kind: 'holiday', provisional: false });
      expect((await add('2026-03-09', 1)).body).toMatchObject({ date: '2026-03-11' });
      expect((await count('2026-03-09', '2026-03-13')).body).toMatchObject({ workingDays: 3 });
      // the fixture's 2026 example before the change still holds
      expect((await add('2026-02-13', 7)).body).toMatchObject({ date: '2026-03-02' });
      const years = await t.http().get('/api/v1/calendar/years');
      expect(years.body.items.find((y: { year: number }) => y.year === 2026)).toMatchObject({ source: 'loaded', off: expect.arrayContaining(['2026-03-10']) });
    });

    it('a second app on the same database sees a year loaded by the first within seconds', async () => {
      const other = await createTestApp({ databaseUrl: t.databaseUrl });
      try {
        // it starts with what is stored already
        expect((await other.http().get('/api/v1/calendar/days/2027-01-01')).body).toMatchObject({ kind: 'holiday' });
        expect((await other.http().get('/api/v1/calendar/days/2026-03-10')).body).toMatchObject({ kind: 'holiday' });
        // 2028 is loaded through the first app
        const res = await putYear(2028, { off: ['2027-12-31', '2028-01-01', '2028-01-02', '2028-01-03'], work: ['2028-01-08'] });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ lastLoadedYear: 2028, provisionalFrom: '2028-12-01' });
        expect((await day('2027-12-31')).body).toMatchObject({ kind: 'holiday' });
        const started = Date.now();
        let seen: { kind?: string; provisional?: boolean } = {};
        while (Date.now() - started < 10_000) {
          seen = (await other.http().get('/api/v1/calendar/days/2027-12-31')).body;
          if (seen.kind === 'holiday') break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(seen).toEqual({ date: '2027-12-31', workingDay: false, kind: 'holiday', provisional: false });
        expect((await other.http().get('/api/v1/calendar/years')).body).toMatchObject({ lastLoadedYear: 2028 });
        // fresh() is up to date at once
        const put2 = await putYear(2028, { off: ['2028-01-01', '2028-01-02', '2028-01-03'], work: [] });
        expect(put2.status).toBe(200);
        const cal = await other.app.get(CalendarService).fresh();
        expect(cal.dayInfo('2027-12-31')).toMatchObject({ kind: 'workday' });
        expect(cal.dayInfo('2028-01-08')).toMatchObject({ kind: 'weekend' });
        // commands (which fix deadlines) take a calendar checked within CALENDAR_COMMAND_MAX_AGE_MS
        const put3 = await putYear(2028, { off: ['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04'], work: [] });
        expect(put3.status).toBe(200);
        await new Promise((r) => setTimeout(r, CALENDAR_COMMAND_MAX_AGE_MS + 100));
        expect((await other.app.get(CalendarService).fresh(CALENDAR_COMMAND_MAX_AGE_MS)).dayInfo('2028-01-04')).toMatchObject({ kind: 'holiday' });
      } finally {
        await other.close();
      }
    });
  });

  it('documents the calendar endpoints in the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/calendar/add-working-days',
        '/api/v1/calendar/working-days',
        '/api/v1/calendar/days/{date}',
        '/api/v1/calendar/years',
        '/api/v1/calendar/years/{year}',
      ]),
    );
  });
});
