/**
 * Summarises a V8 .cpuprofile (as written by bench/profile-app.ts): self time by package (node_modules/<pkg>,
 * the project's src/, node internals, the program's idle and GC) and the hottest functions.
 *   node -r @swc-node/register bench/profile-summary.ts <file.cpuprofile> [top=40] [function]
 * With a function name, prints instead the call stacks that spend that function's self time (DEPTH frames up,
 * default 5); with `--inclusive`, the time under each function (FILTER: a regular expression on the name).
 * With WINDOW=A-B, only the samples between A and B seconds from the profile's start count (the drive, without
 * start-up, seeding and shutdown); TIMELINE=1 prints the busy share of each second, to find that window.
 */
import { readFileSync } from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = url.indexOf('/src/');
  if (src >= 0) return `src/${url.slice(src + 5).split('/')[0]}`;
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return 'bench';
  return url;
}

const frameKey = (f: Frame): string => `${f.functionName || '(anonymous)'}  ${bucketOf(f.url, f.functionName)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 40);
  const wanted = process.argv[4];
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  const [from, to] = (process.env.WINDOW ?? '0-1e9').split('-').map((x) => Number(x) * 1e6);
  const idleId = p.nodes.find((n) => n.callFrame.functionName === '(idle)')?.id;
  const perSecond: { busy: number; all: number }[] = [];
  let at = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    at += dt;
    const sec = (perSecond[Math.floor(at / 1e6)] ??= { busy: 0, all: 0 });
    sec.all += dt;
    if (id !== idleId) sec.busy += dt;
    if (at < from || at > to) return;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const byBucket = new Map<string, number>();
  const byFn = new Map<string, number>();
  let idle = 0;
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') idle += t;
    const b = bucketOf(f.url, f.functionName);
    byBucket.set(b, (byBucket.get(b) ?? 0) + t);
    byFn.set(frameKey(f), (byFn.get(frameKey(f)) ?? 0) + t);
  }
  const busy = total - idle;
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  const printTop = (m: Map<string, number>, keep: (k: string) => boolean = () => true) => {
    for (const [k, t] of [...m].filter(([k]) => keep(k)).sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
  };

  if (wanted === '--inclusive') {
    // time under each function (its own and its callees'), counted once per stack
    const incl = new Map<string, number>();
    for (const [id, t] of self) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const key = frameKey(byId.get(at)!.callFrame);
        if (seen.has(key)) continue;
        seen.add(key);
        incl.set(key, (incl.get(key) ?? 0) + t);
      }
    }
    const filter = process.env.FILTER ? new RegExp(process.env.FILTER) : null;
    printTop(incl, (k) => !filter || filter.test(k));
    return;
  }
  if (wanted) {
    const depth = Number(process.env.DEPTH ?? 5);
    const stacks = new Map<string, number>();
    for (const [id, t] of self) {
      if (byId.get(id)!.callFrame.functionName !== wanted) continue;
      const frames: string[] = [];
      for (let at = parent.get(id); at !== undefined && frames.length < depth; at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        frames.push(`${f.functionName || '(anonymous)'}@${bucketOf(f.url, f.functionName)}`);
      }
      const key = frames.join(' < ');
      stacks.set(key, (stacks.get(key) ?? 0) + t);
    }
    printTop(stacks);
    return;
  }
  if (process.env.TIMELINE === '1')
    console.log(`busy share by second: ${[...perSecond].map((s, i) => `${i}:${s ? Math.round((100 * s.busy) / s.all) : 0}`).join(' ')}\n`);
  console.log(`total ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s; percentages of the busy ${(busy / 1e6).toFixed(1)} s\n`);
  console.log('self time by package:');
  for (const [b, t] of [...byBucket].filter(([b]) => b !== '(idle)').sort((x, y) => y[1] - x[1]).slice(0, 30)) console.log(`  ${pct(t)}  ${b}`);
  console.log('\nhottest functions (self):');
  printTop(byFn, (k) => !k.startsWith('(idle)'));
}

main();
