/**
 * Letter rendering benchmark: renderLetterPdf (our GB/T 9704 layout) beside a bare pdfkit script writing the
 * same text with the same fonts (pdfkit's own wrapping, no grid, no line-breaking rules), interleaved in the
 * same run, for a one-page and a three-page letter; then the memory of a worker thread rendering many letters.
 *
 *   npm run bench -- letters [count]        (count: letters for the memory run, default 10000)
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import PDFDocument from 'pdfkit';
import { letterFonts } from '../src/letters/rendering/fonts';
import { TYPE_AREA, A4, GRID } from '../src/letters/rendering/letter-layout';
import { letterDocument, renderLetterPdf } from '../src/letters/rendering/render-letter-pdf';
import { sampleFacts } from '../src/letters/rendering/sample-facts';
import type { LetterFacts } from '../src/letters/rendering/letter-facts';

export function threePages(): LetterFacts {
  return {
    ...sampleFacts('reply.granted'),
    providedFiles: Array.from({ length: 30 }, (_, i) => `兴隆台区第${i + 1}号地块国有土地使用权出让合同（含补充协议及宗地图）`),
  };
}
export const ONE_PAGE: LetterFacts = sampleFacts('reply.unavailable.not_held');

/** The same text as our letter, written by pdfkit alone with the same (already parsed) fonts. */
export function renderBare(facts: LetterFacts): Promise<Buffer> {
  const d = letterDocument(facts);
  const fonts = letterFonts();
  const doc = new PDFDocument({ size: 'A4', margins: { top: TYPE_AREA.top, left: TYPE_AREA.left, right: A4.width - TYPE_AREA.left - TYPE_AREA.width, bottom: A4.height - TYPE_AREA.top - TYPE_AREA.height } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('body', fonts.body.faces[0] as never);
  doc.registerFont('title', fonts.title.faces[0] as never);
  const width = TYPE_AREA.width;
  doc.font('title').fontSize(GRID.titleSize);
  for (const t of d.title) doc.text(t, { width, align: 'center' });
  doc.font('body').fontSize(GRID.bodySize);
  doc.text(d.number, { width, align: 'center' }).moveDown();
  doc.text(d.salutation, { width });
  for (const p of [...d.paragraphs, d.closing]) doc.text(p, { width, indent: 2 * GRID.bodySize, lineGap: 13 });
  doc.moveDown().text(d.agencyName, { width: width - 4 * GRID.bodySize, align: 'right' }).text(d.dateText, { width: width - 4 * GRID.bodySize, align: 'right' });
  if (d.note) doc.text(`（${d.note}）`, { width, indent: 2 * GRID.bodySize });
  doc.end();
  return done;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

interface Timing { p50: number; p95: number; bytes: number }

async function timeBoth(facts: LetterFacts, rounds: number): Promise<{ ours: Timing; bare: Timing }> {
  const ours: number[] = [];
  const bare: number[] = [];
  let oursBytes = 0;
  let bareBytes = 0;
  for (let i = 0; i < 10; i++) {
    // warm-up
    await renderLetterPdf(facts);
    await renderBare(facts);
  }
  for (let i = 0; i < rounds; i++) {
    // interleaved, alternating which goes first, so both see the same machine
    const order = i % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'];
    for (const which of order) {
      const t0 = process.hrtime.bigint();
      const pdf = which === 'ours' ? await renderLetterPdf(facts) : await renderBare(facts);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (which === 'ours') {
        ours.push(ms);
        oursBytes = pdf.length;
      } else {
        bare.push(ms);
        bareBytes = pdf.length;
      }
    }
  }
  return { ours: { p50: pct(ours, 50), p95: pct(ours, 95), bytes: oursBytes }, bare: { p50: pct(bare, 50), p95: pct(bare, 95), bytes: bareBytes } };
}

/** Renders `count` letters in a worker thread (as the letter worker does) and samples its memory. */
function memoryRun(count: number): Promise<{ at: number; heapMiB: number; rssMiB: number }[]> {
  const code = `
    require('@swc-node/register');
    const { parentPort, workerData } = require('node:worker_threads');
    // a full collection before each sample, so the heap figure is what stays alive
    require('node:v8').setFlagsFromString('--expose_gc');
    const gc = require('node:vm').runInNewContext('gc');
    const { renderLetterPdf } = require(${JSON.stringify(require.resolve('../src/letters/rendering/render-letter-pdf'))});
    const { sampleFacts } = require(${JSON.stringify(require.resolve('../src/letters/rendering/sample-facts'))});
    const { TEMPLATE_CODES } = require(${JSON.stringify(require.resolve('../src/letters/rendering/letter-facts'))});
    (async () => {
      const samples = TEMPLATE_CODES.map((c) => sampleFacts(c));
      const out = [];
      for (let i = 1; i <= workerData.count; i++) {
        const f = samples[i % samples.length];
        await renderLetterPdf({ ...f, number: f.number && { ...f.number, n: i } });
        if (i % Math.max(1, Math.floor(workerData.count / 10)) === 0 || i === 100) {
          gc();
          const m = process.memoryUsage();
          out.push({ at: i, heapMiB: +(m.heapUsed / 1048576).toFixed(1), rssMiB: +(m.rss / 1048576).toFixed(1) });
        }
      }
      parentPort.postMessage(out);
    })().catch((e) => { throw e; });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { count } });
    w.once('message', (m) => {
      resolve(m as { at: number; heapMiB: number; rssMiB: number }[]);
      w.terminate().catch(() => undefined); // the samples are in; a worker that will not stop is no failure
    });
    w.once('error', reject);
  });
}

export async function main(args: string[] = []): Promise<void> {
  const count = Number(args[0] ?? 10_000);
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, ${new Date().toISOString()}`;
  console.log(machine);
  const t0 = Date.now();
  await renderLetterPdf(ONE_PAGE);
  console.log(`first letter of the process (fonts parsed): ${Date.now() - t0} ms`);
  for (const [name, facts, rounds] of [['one page', ONE_PAGE, 300], ['three pages', threePages(), 100]] as const) {
    const { ours, bare } = await timeBoth(facts, rounds);
    console.log(
      `${name.padEnd(12)} ours p50 ${ours.p50.toFixed(1)} ms p95 ${ours.p95.toFixed(1)} ms ${(ours.bytes / 1024).toFixed(1)} KiB | bare pdfkit p50 ${bare.p50.toFixed(1)} ms p95 ${bare.p95.toFixed(1)} ms ${(bare.bytes / 1024).toFixed(1)} KiB | p50 ratio ${(ours.p50 / bare.p50).toFixed(2)}×`,
    );
  }
  const m0 = Date.now();
  const samples = await memoryRun(count);
  console.log(`worker thread, ${count} letters (all ${31} templates in turn) in ${((Date.now() - m0) / 1000).toFixed(1)} s:`);
  for (const s of samples) console.log(`  after ${String(s.at).padStart(6)}: heap ${s.heapMiB} MiB, rss ${s.rssMiB} MiB`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
