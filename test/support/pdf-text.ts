import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Each PDF's text as pdfjs-dist reads it back (in one child process: it is ESM), every page's items joined. */
export function pdfTexts(...pdfs: Buffer[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
  try {
    const files = pdfs.map((b, i) => {
      const f = join(dir, `${i}.pdf`);
      writeFileSync(f, b);
      return f;
    });
    const out = execFileSync(process.execPath, [resolve(__dirname, 'pdf-text.mjs'), ...files], { maxBuffer: 64 << 20 });
    return (JSON.parse(out.toString()) as { pages: { items: { str: string }[] }[] }[]).map((d) => d.pages.map((p) => p.items.map((i) => i.str).join('')).join(''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
