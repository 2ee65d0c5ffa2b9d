/** The letter render thread's body (see render-thread.ts): facts in, PDF bytes out. */
import { parentPort } from 'node:worker_threads';
import type { LetterFacts } from './letter-facts';
import { renderLetterPdf, type RenderOptions } from './render-letter-pdf';

parentPort?.on('message', (m: { id: number; facts: LetterFacts; options: RenderOptions }) => {
  renderLetterPdf(m.facts, m.options).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      parentPort!.postMessage({ id: m.id, pdf: bytes });
    },
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: (e as Error).message }),
  );
});
