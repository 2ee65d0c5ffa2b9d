/** The letter render thread's body (see render-pool.ts): facts in, PDF bytes out; or a postal batch. */
import { parentPort } from 'node:worker_threads';
import type { LetterFacts } from './letter-facts';
import { renderPostalBatch, type PostalBatchItem } from './postal-batch-pdf';
import { renderLetterPdf, type RenderOptions } from './render-letter-pdf';

type Job = { id: number; options: RenderOptions } & ({ facts: LetterFacts } | { batch: PostalBatchItem[] });

parentPort?.on('message', (m: Job) => {
  ('batch' in m ? renderPostalBatch(m.batch, m.options) : renderLetterPdf(m.facts, m.options)).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      parentPort!.postMessage({ id: m.id, pdf: bytes });
    },
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: (e as Error).message }),
  );
});
