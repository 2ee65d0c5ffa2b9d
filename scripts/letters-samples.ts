/**
 * Renders a few sample letters (sample facts, default faces) to PNG under docs/letters/ with pdftoppm
 * (Debian's poppler-utils), so a reader of the README sees what the service produces.
 *
 *   npm run letters:samples
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderLetterPdf, sampleFacts, type LetterFacts } from '../src/letters/rendering';

const OUT = resolve(__dirname, '../docs/letters');
const DPI = Number(process.env.LETTER_SAMPLE_DPI ?? 60);

const long = (): LetterFacts => ({
  ...sampleFacts('reply.granted'),
  providedFiles: Array.from({ length: 24 }, (_, i) => `兴隆台区第${i + 1}号地块国有土地使用权出让合同（含补充协议及宗地图）`),
});

const SAMPLES: Record<string, LetterFacts> = {
  receipt: sampleFacts('receipt'),
  'reply-partial': sampleFacts('reply.partial'),
  'reply-not-held': sampleFacts('reply.unavailable.not_held'),
  'fee-notice': sampleFacts('fee_notice'),
  'reply-granted-long': long(),
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT).filter((f) => f.endsWith('.png'))) rmSync(join(OUT, f));
  const tmp = mkdtempSync(join(tmpdir(), 'letter-samples-'));
  try {
    for (const [name, facts] of Object.entries(SAMPLES)) {
      const pdf = join(tmp, `${name}.pdf`);
      writeFileSync(pdf, await renderLetterPdf(facts));
      execFileSync('pdftoppm', ['-r', String(DPI), '-png', pdf, join(tmp, name)]);
      const pages = readdirSync(tmp).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
      pages.forEach((p, i) => renameSync(join(tmp, p), join(OUT, pages.length === 1 ? `${name}.png` : `${name}-${i + 1}.png`)));
      console.log(`${name}: ${pages.length} page(s)`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
