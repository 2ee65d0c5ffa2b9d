/**
 * Renders letters off the event loop that serves HTTP: one worker thread per process, started on first use,
 * fonts parsed once in it; requests queue in order. Used by the API's previews (and by any process that
 * renders while serving requests, e.g. WORKERS=on).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LetterFacts } from './letter-facts';
import type { RenderOptions } from './render-letter-pdf';

interface Pending {
  resolve(b: Buffer): void;
  reject(e: Error): void;
}

export class LetterRenderThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const js = join(__dirname, 'render-worker.js');
    // built (dist): the compiled worker; under ts (tests, scripts): the TypeScript one through @swc-node/register
    const w = existsSync(js)
      ? new Worker(js)
      : new Worker(`require('@swc-node/register'); require(${JSON.stringify(join(__dirname, 'render-worker.ts'))});`, { eval: true });
    w.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref(); // an idle thread keeps no process alive
      if (m.pdf) p.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      else p.reject(new Error(m.error ?? 'render failed'));
    });
    const fail = (e: Error): void => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`letter render thread exited (${code})`)));
    w.unref();
    return (this.worker = w);
  }

  render(facts: LetterFacts, options: RenderOptions = {}): Promise<Buffer> {
    const w = this.start();
    const id = ++this.seq;
    return new Promise<Buffer>((resolve, reject) => {
      if (this.pending.size === 0) w.ref(); // a render under way keeps the process alive until it answers
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, facts, options });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
