/**
 * Working-day arithmetic benchmark: our WorkingCalendar (day-number and string APIs) against the npm
 * package `chinese-days`, on the same pre-generated random inputs (dates across 2019–2026, 1–60 days).
 *
 *   node -r @swc-node/register bench/calendar.ts
 *
 * Peer equivalents: "N-th working day strictly after D" = `findWorkday(N, D)` (it steps from D + 1);
 * "working days in (from, to]" = `getWorkdaysInRange(from + 1, to).length` (it has no counting function;
 * it lists the working days of an inclusive range, testing `isWorkday` day by day). The `from + 1`
 * strings are pre-computed, so the peer is not charged for them.
 */
import * as os from 'node:os';
import { findWorkday, getWorkdaysInRange, isWorkday } from 'chinese-days';
import { formatDayNumber, parseIsoDate } from '../src/statute/iso-date';
import { WorkingCalendar } from '../src/statute/working-calendar';

const INPUTS = 4096; // a power of two: the loops index with `i & MASK`
const MASK = INPUTS - 1;
const WARMUP_MS = 300;
const RUN_MS = 1500;

export interface BenchRow {
  operation: 'add' | 'count';
  implementation: string;
  opsPerSecond: number;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; node: string; platform: string; date: string };
  rows: BenchRow[];
  mismatches: { add: number; count: number; days: string[]; examples: string[] };
}

/** mulberry32: a small seeded generator, so every run measures the same inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Inputs {
  from: Int32Array;
  to: Int32Array;
  days: Int32Array;
  fromIso: string[];
  fromNextIso: string[];
  toIso: string[];
}

function makeInputs(): Inputs {
  const rnd = random(20_240_927);
  const lo = parseIsoDate('2019-01-01')!;
  const hi = parseIsoDate('2026-12-31')!;
  const inputs: Inputs = {
    from: new Int32Array(INPUTS),
    to: new Int32Array(INPUTS),
    days: new Int32Array(INPUTS),
    fromIso: [],
    fromNextIso: [],
    toIso: [],
  };
  for (let i = 0; i < INPUTS; i++) {
    const from = lo + Math.floor(rnd() * (hi - lo + 1));
    const days = 1 + Math.floor(rnd() * 60);
    const to = Math.min(hi, from + Math.floor(rnd() * 90)); // a span of up to ~60 working days
    inputs.from[i] = from;
    inputs.to[i] = to;
    inputs.days[i] = days;
    inputs.fromIso.push(formatDayNumber(from));
    inputs.fromNextIso.push(formatDayNumber(from + 1));
    inputs.toIso.push(formatDayNumber(to));
  }
  return inputs;
}

/** Runs `op(i)` over the inputs for about `ms` milliseconds; returns ops/s. The sink defeats dead-code elimination. */
let sink = 0;
function measure(op: (i: number) => number, ms: number): number {
  let ops = 0;
  let batch = 64;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let k = 0; k < batch; k++) sink = (sink + op((ops + k) & MASK)) | 0;
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
    if (elapsed < limit / 20n) batch *= 2;
  }
  return ops / (Number(elapsed) / 1e9);
}

function bench(op: (i: number) => number): number {
  measure(op, WARMUP_MS);
  return measure(op, RUN_MS);
}

function checkAgreement(cal: WorkingCalendar, inp: Inputs): BenchReport['mismatches'] {
  const examples: string[] = [];
  let add = 0;
  let count = 0;
  for (let i = 0; i < INPUTS; i++) {
    const ours = cal.addWorkingDays(inp.fromIso[i], inp.days[i]).date;
    const peer = findWorkday(inp.days[i], inp.fromIso[i]);
    if (ours !== peer) {
      add++;
      if (examples.length < 10) examples.push(`add ${inp.fromIso[i]} + ${inp.days[i]}: ours ${ours}, chinese-days ${peer}`);
    }
    const ourCount = cal.countWorkingDays(inp.fromIso[i], inp.toIso[i]).workingDays;
    const peerCount = getWorkdaysInRange(inp.fromNextIso[i], inp.toIso[i]).length;
    if (ourCount !== peerCount) {
      count++;
      if (examples.length < 10) {
        examples.push(`count (${inp.fromIso[i]}, ${inp.toIso[i]}]: ours ${ourCount}, chinese-days ${peerCount}`);
      }
    }
  }
  // Day by day over the loaded years and their neighbours: which single days do the two calendars classify differently?
  const days: string[] = [];
  for (let n = parseIsoDate('2018-12-01')!; n <= parseIsoDate('2027-12-31')!; n++) {
    const iso = formatDayNumber(n);
    if (cal.isWorkingDayN(n) !== isWorkday(iso)) days.push(`${iso} ours ${cal.isWorkingDayN(n) ? 'working' : 'off'}`);
  }
  return { add, count, days, examples };
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`;
}

export function main(): BenchReport {
  const cal = WorkingCalendar.official();
  const inp = makeInputs();
  const { from, to, days, fromIso, fromNextIso, toIso } = inp;
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
  console.log(`machine: ${machine.cpu} ×${machine.cores}, node ${machine.node}, ${machine.platform}, ${machine.date}`);
  console.log(`inputs: ${INPUTS} random (from, days 1–60, to ≤ from + 90 d) across 2019-01-01..2026-12-31; ${RUN_MS} ms per run after ${WARMUP_MS} ms warm-up`);

  const rows: BenchRow[] = [
    { operation: 'add', implementation: 'ours: addN (day numbers)', opsPerSecond: bench((i) => cal.addN(from[i], days[i])) },
    {
      operation: 'add',
      implementation: 'ours: addWorkingDays (strings)',
      opsPerSecond: bench((i) => cal.addWorkingDays(fromIso[i], days[i]).date.charCodeAt(9)),
    },
    {
      operation: 'add',
      implementation: 'chinese-days: findWorkday',
      opsPerSecond: bench((i) => findWorkday(days[i], fromIso[i]).charCodeAt(9)),
    },
    { operation: 'count', implementation: 'ours: countN (day numbers)', opsPerSecond: bench((i) => cal.countN(from[i], to[i])) },
    {
      operation: 'count',
      implementation: 'ours: countWorkingDays (strings)',
      opsPerSecond: bench((i) => cal.countWorkingDays(fromIso[i], toIso[i]).workingDays),
    },
    {
      operation: 'count',
      implementation: 'chinese-days: getWorkdaysInRange().length',
      opsPerSecond: bench((i) => getWorkdaysInRange(fromNextIso[i], toIso[i]).length),
    },
  ];

  console.log('');
  console.log('| operation | implementation | ops/s | ours / chinese-days |');
  console.log('| --- | --- | ---: | ---: |');
  for (const row of rows) {
    const peer = rows.find((r) => r.operation === row.operation && r.implementation.startsWith('chinese-days'))!;
    const ratio = row === peer ? '1' : `${(row.opsPerSecond / peer.opsPerSecond).toFixed(0)}×`;
    console.log(`| ${row.operation} | ${row.implementation} | ${fmt(row.opsPerSecond)} | ${ratio} |`);
  }

  const mismatches = checkAgreement(cal, inp);
  console.log('');
  console.log(`agreement on the ${INPUTS} inputs: ${mismatches.add} add and ${mismatches.count} count mismatches`);
  for (const e of mismatches.examples) console.log(`  ${e}`);
  console.log(`days classified differently, 2018-12-01..2027-12-31: ${mismatches.days.length === 0 ? 'none' : mismatches.days.join(', ')}`);
  return { machine, rows, mismatches };
}

if (require.main === module) main();
