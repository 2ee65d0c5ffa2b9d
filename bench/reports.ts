/**
 * Reports over a million cases: 200 agencies (a city office and 199 below it), receipts over five years (2020–2024
 * and early 2025), loaded with COPY into a scratch database. Then, each beside a hand-written single SQL statement
 * counting the same in the same run, the two alternating run by run:
 *   - the annual report (AnnualReportService) for the whole city with sub-agencies, and for one agency;
 *   - the performance figures (PerformanceService) for the city and for one agency;
 *   - the deadline board (DeadlinesService) of one agency and of the whole city (p95 of 50 reads).
 *   npm run bench -- reports [cases]        (or: node -r @swc-node/register bench/reports.ts [cases])
 * BENCH_REPORTS_KEEP=1 keeps the scratch database (its name is printed); BENCH_REPORTS_DB=<name> measures again on a
 * database kept so (migrated to the current code first, not loaded again, kept afterwards). BENCH_REPORTS_ONLY=annual,board
 * (any of annual, performance, board) measures only those.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { AgenciesRepository } from '../src/agencies/agencies.repository';
import type { AuthUser } from '../src/auth/auth-user';
import { CalendarRepository } from '../src/calendar/calendar.repository';
import { CalendarService } from '../src/calendar/calendar.service';
import { ManualClock } from '../src/common/clock/clock';
import type { AppConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/infra/database/data-source-options';
import { runMigrations } from '../src/infra/database/run-migrations';
import { AnnualReportRepository } from '../src/reports/annual/annual-report.repository';
import { AnnualReportService } from '../src/reports/annual/annual-report.service';
import { DeadlinesRepository } from '../src/reports/deadlines/deadlines.repository';
import { DeadlinesService } from '../src/reports/deadlines/deadlines.service';
import { PerformanceRepository } from '../src/reports/performance/performance.repository';
import { PerformanceService } from '../src/reports/performance/performance.service';
import { ReportDb } from '../src/reports/report-db';
import { ReportScopeService } from '../src/reports/report-scope';
import { APPLICANT_TYPES, CHANNELS } from '../src/statute/intake';
import { OUTCOME_CODES } from '../src/statute/outcomes';

const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = (db: string) => Object.assign(new URL(PG), { pathname: `/${db}` }).toString();
const TODAY = '2025-03-14';
const DAY = 86_400_000;
const FIRST = Date.UTC(2020, 0, 1);
const SPAN_DAYS = Math.round((Date.UTC(2025, 2, 14) - FIRST) / DAY); // receipts 2020-01-01 … today

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A deterministic generator (mulberry32): the same data every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** COPY text-format lines of the cases (columns as in COPY_COLUMNS). */
function* caseLines(rows: number, agencies: string[]): Generator<string> {
  const r = rng(16);
  const today = Date.UTC(2025, 2, 14);
  const N = '\\N';
  for (let i = 0; i < rows; i++) {
    const agency = agencies[i % agencies.length];
    const receipt = FIRST + Math.floor(r() * (SPAN_DAYS + 1)) * DAY;
    const due = receipt + 28 * DAY; // 20 working days, near enough for the load
    const concluded = receipt + Math.floor(3 + r() * 42) * DAY;
    const open = concluded > today;
    const paused = open && r() < 0.1;
    const type = APPLICANT_TYPES[Math.floor(r() * r() * APPLICANT_TYPES.length)];
    const channel = CHANNELS[Math.floor(r() * CHANNELS.length)];
    const outcome = OUTCOME_CODES[Math.floor(r() * OUTCOME_CODES.length)];
    const fee = !open && r() < 0.01 ? JSON.stringify({ tariff: 'per_page', pages: 150, nth: null, amount: 1700, notifiedOn: iso(receipt + DAY), paidOn: iso(receipt + 3 * DAY), receiptNumber: `JK${i}`, paidAmount: 1700 }) : N;
    const consultations = paused ? JSON.stringify([{ id: `k${i}`, party: 'other_agency', name: '基准市财政局', jointMaker: false, openedOn: iso(receipt + 2 * DAY), closedOn: null, opinion: null, note: null }]) : '[]';
    yield [
      `B${String(i).padStart(10, '0')}`,
      '0'.repeat(64),
      agency,
      open ? (paused ? 'consulting' : 'in_progress') : 'concluded',
      channel,
      type,
      '某某',
      'resident_id',
      'x',
      '0'.repeat(64),
      '110***',
      '申请获取相关政府信息',
      'electronic',
      'email',
      '{}',
      iso(receipt),
      open ? N : iso(concluded),
      open ? N : outcome,
      paused ? N : iso(due),
      open && !paused ? iso(due) : N,
      open ? N : String(concluded > due),
      fee,
      consultations,
    ].join('\t') + '\n';
  }
}
const COPY_COLUMNS =
  'tracking_number, query_code_hash, agency_id, state, channel, applicant_type, applicant_name, applicant_id_type, applicant_id_enc, applicant_id_hash, applicant_id_masked, description, form, delivery, search_grams, receipt_date, concluded_on, outcome, computed_due, due_date, concluded_late, fee, consultations';

interface Timing {
  median: number;
  p95: number;
}

function stats(times: number[]): Timing {
  const n = times.length;
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor((n - 1) / 2)], p95: sorted[Math.ceil(0.95 * n) - 1] };
}

async function clocked(f: () => Promise<unknown>): Promise<number> {
  const s = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - s) / 1e6;
}

/** After one warm-up each, `n` runs of ours and of the reference, alternating: the machine's other load falls on both alike. */
async function timedPair(n: number, ours: () => Promise<unknown>, hand: () => Promise<unknown>): Promise<{ ours: Timing; hand: Timing }> {
  await ours();
  await hand();
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < n; k++) {
    a.push(await clocked(ours));
    b.push(await clocked(hand));
  }
  return { ours: stats(a), hand: stats(b) };
}

const HAND_ANNUAL = `
  SELECT c.applicant_type, c.outcome,
         count(*) FILTER (WHERE c.receipt_date BETWEEN $2 AND $3) AS new,
         count(*) FILTER (WHERE c.receipt_date < $2 AND (c.concluded_on IS NULL OR c.concluded_on >= $2)) AS carried_in,
         count(*) FILTER (WHERE c.concluded_on BETWEEN $2 AND $3) AS concluded,
         count(*) FILTER (WHERE c.concluded_on IS NULL OR c.concluded_on > $3) AS carried_out
    FROM cases c
   WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date <= $3 AND (c.concluded_on IS NULL OR c.concluded_on >= $2)
   GROUP BY 1, 2`;
/** The performance counts in one statement (time to reply in calendar days: SQL has no working-day calendar). */
const HAND_PERFORMANCE = `
  SELECT count(*) FILTER (WHERE c.computed_due BETWEEN $2 AND $3) AS due_in,
         count(*) FILTER (WHERE c.computed_due BETWEEN $2 AND $3 AND c.concluded_on <= $4) AS replied,
         count(*) FILTER (WHERE c.concluded_on BETWEEN $2 AND $3 AND c.computed_due IS NOT NULL) AS concluded,
         count(*) FILTER (WHERE c.concluded_on BETWEEN $2 AND $3 AND c.concluded_on <= c.computed_due) AS on_time,
         count(*) FILTER (WHERE c.computed_due < $4 AND (c.concluded_on IS NULL OR c.concluded_on > $4)) AS overdue,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY c.concluded_on - c.receipt_date) FILTER (WHERE c.concluded_on BETWEEN $2 AND $3) AS median_days,
         percentile_disc(0.9) WITHIN GROUP (ORDER BY c.concluded_on - c.receipt_date) FILTER (WHERE c.concluded_on BETWEEN $2 AND $3) AS p90_days
    FROM cases c
   WHERE c.agency_id = ANY($1::uuid[]) AND c.receipt_date IS NOT NULL
     AND (c.computed_due BETWEEN $2 AND $3 OR c.concluded_on BETWEEN $2 AND $3 OR (c.computed_due < $4 AND (c.concluded_on IS NULL OR c.concluded_on > $4)))`;
const HAND_BOARD = `
  SELECT c.id, c.tracking_number, c.due_date FROM cases c
   WHERE c.agency_id = ANY($1::uuid[]) AND c.due_date IS NOT NULL AND c.due_date <= $2
   ORDER BY c.due_date, c.seq LIMIT 51`;

/** Creates the agencies and COPYs the cases and reviews in; the agencies' ids, the city first. */
async function load(c: Client, rows: number): Promise<string[]> {
  const [{ id: city }] = (await c.query(`INSERT INTO agencies (name, code, path) VALUES ('基准市人民政府办公室', 'city', '/') RETURNING id`)).rows;
  await c.query(`UPDATE agencies SET path = '/' || id || '/' WHERE id = $1`, [city]);
  await c.query(
    `INSERT INTO agencies (name, code, parent_id, path) SELECT '基准市第' || i || '局', 'a' || i, $1, 'pending' FROM generate_series(1, 199) i`,
    [city],
  );
  await c.query(`UPDATE agencies SET path = '/' || $1::text || '/' || id || '/' WHERE parent_id = $1`, [city]);
  const agencies: string[] = [city, ...(await c.query(`SELECT id FROM agencies WHERE parent_id = $1 ORDER BY code`, [city])).rows.map((r: { id: string }) => r.id)];

  const t0 = Date.now();
  await pipeline(Readable.from(caseLines(rows, agencies)), c.query(copyFrom(`COPY cases (${COPY_COLUMNS}) FROM STDIN`)));
  const copied = Date.now() - t0;
  await c.query(
    `INSERT INTO reviews (case_id, agency_id, kind, filed_on, result, concluded_on)
     SELECT id, agency_id, (ARRAY['reconsideration','litigation_direct','litigation_after_reconsideration'])[1 + seq % 3], concluded_on + 30,
            (ARRAY['upheld','corrected','other','pending'])[1 + (seq / 3) % 4],
            CASE WHEN (seq / 3) % 4 = 3 THEN NULL ELSE concluded_on + 90 END
       FROM cases WHERE concluded_on IS NOT NULL AND seq % 100 = 0`,
  );
  // as autovacuum leaves a table after bulk inserts: statistics, and the visibility map index-only scans rely on
  await c.query('VACUUM (ANALYZE)');
  const loaded = Date.now() - t0;
  const open = (await c.query(`SELECT count(*)::int AS n FROM cases WHERE concluded_on IS NULL`)).rows[0].n;
  console.log(`COPY of ${rows} cases: ${(copied / 1000).toFixed(1)} s (with the indexes in place); with reviews and VACUUM (ANALYZE): ${(loaded / 1000).toFixed(1)} s; ${open} open`);
  return agencies;
}

/** The agencies of a database loaded before, the city first (as `load` returns them). */
async function existingAgencies(c: Client): Promise<string[]> {
  const [{ id: city }] = (await c.query(`SELECT id FROM agencies WHERE code = 'city'`)).rows;
  return [city, ...(await c.query(`SELECT id FROM agencies WHERE parent_id = $1 ORDER BY code`, [city])).rows.map((r: { id: string }) => r.id)];
}

export async function main(args: string[] = []): Promise<void> {
  const rows = Number(args[0] ?? 1_000_000);
  const reuse = process.env.BENCH_REPORTS_DB;
  const keep = Boolean(reuse) || process.env.BENCH_REPORTS_KEEP === '1';
  const db = reuse ?? `gi_bench_reports_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE "${db}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
  console.log(`machine: ${cpus()[0]?.model} ×${cpus().length}, node ${process.version}, ${new Date().toISOString()}; ${rows} cases, 200 agencies; database ${db}${keep ? ' (kept)' : ''}`);
  let ds: DataSource | null = null;
  let calendar: CalendarService | null = null;
  try {
    await runMigrations(url(db));
    const c = new Client({ connectionString: url(db) });
    await c.connect();
    const agencies = reuse ? await existingAgencies(c) : await load(c, rows);
    const city = agencies[0];

    ds = new DataSource(dataSourceOptions(url(db), {}, 10));
    await ds.initialize();
    const clock = new ManualClock(new Date(`${TODAY}T02:00:00Z`));
    const reportDb = new ReportDb(ds, { databaseReplicaUrl: undefined, databasePoolSize: 10 } as unknown as AppConfig);
    const agenciesRepo = new AgenciesRepository(ds);
    const scopes = new ReportScopeService(agenciesRepo);
    calendar = new CalendarService(ds, new CalendarRepository(ds));
    await calendar.onModuleInit();
    const annual = new AnnualReportService(new AnnualReportRepository(reportDb, ds), scopes, clock);
    const performance = new PerformanceService(scopes, agenciesRepo, new PerformanceRepository(reportDb), calendar, clock);
    const board = new DeadlinesService(scopes, new DeadlinesRepository(reportDb), calendar, clock);
    const sup = (agencyId: string, role: AuthUser['role'] = 'supervisor'): AuthUser => ({ id: '00000000-0000-4000-8000-000000000001', username: 'bench', role, agencyId });
    const one = agencies[17];
    const all = agencies;

    const results: { what: string; ours: string; hand: string; ratio: string; aim: string }[] = [];
    const row = (what: string, ours: number, hand: number, aim: string) => results.push({ what, ours: ours.toFixed(1), hand: hand.toFixed(1), ratio: (ours / hand).toFixed(2), aim });

    const only = (process.env.BENCH_REPORTS_ONLY ?? 'annual,performance,board').split(',');
    for (const [what, caller, q, ids, aim] of [
      ['annual 2024, city with sub-agencies', sup(city), { year: 2024, includeSubAgencies: true }, all, '< 1000 ms, ≤ 1.5× hand'],
      ['annual 2024, one agency', sup(one), { year: 2024 }, [one], '< 50 ms'],
    ] as const) {
      if (!only.includes('annual')) break;
      const { ours, hand } = await timedPair(7, () => annual.report(caller, q), () => c.query(HAND_ANNUAL, [ids, '2024-01-01', '2024-12-31']));
      row(what, ours.median, hand.median, aim);
    }
    for (const [what, caller, q, ids] of [
      ['performance 2024, city with sub-agencies', sup(city), { from: '2024-01-01', to: '2024-12-31', includeSubAgencies: true }, all],
      ['performance 2024, one agency', sup(one), { from: '2024-01-01', to: '2024-12-31' }, [one]],
      ['performance 2024, city by agency (200 ranked)', sup(city), { from: '2024-01-01', to: '2024-12-31', by: 'agency' as const }, all],
    ] as const) {
      if (!only.includes('performance')) break;
      const { ours, hand } = await timedPair(5, () => performance.figures(caller, q), () => c.query(HAND_PERFORMANCE, [ids, '2024-01-01', '2024-12-31', TODAY]));
      row(what, ours.median, hand.median, '–');
    }
    const horizon = calendar.current().addWorkingDays(TODAY, 5).date;
    for (const [what, caller, ids] of [
      ['board (within 5), one agency: p95 of 50', sup(one, 'clerk'), [one]],
      ['board (within 5), city, 200 agencies: p95 of 50', sup(city), all],
    ] as const) {
      if (!only.includes('board')) break;
      const { ours, hand } = await timedPair(50, () => board.board(caller, {}), () => c.query(HAND_BOARD, [ids, horizon]));
      row(what, ours.p95, hand.p95, '< 100 ms p95');
    }
    console.table(results);
    await c.end();
  } finally {
    await calendar?.onModuleDestroy();
    await ds?.destroy();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
