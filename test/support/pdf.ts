import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** supertest collects a binary body (a PDF, a stored file) as a Buffer with this parser */
export const binaryBody = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The PDF's text as pdfjs-dist reads it back (test/support/pdf-text.mjs), every page's items joined. */
export function pdfTextOf(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
  try {
    const f = join(dir, 'document.pdf');
    writeFileSync(f, bytes);
    const out = JSON.parse(execFileSync(process.execPath, [resolve(__dirname, 'pdf-text.mjs'), f]).toString()) as { pages: { items: { str: string }[] }[] }[];
    return out[0].pages.map((p) => p.items.map((i) => i.str).join('')).join('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
