import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { LetterFacts } from './rendering';
import type { PostalBatchItem } from './rendering/postal-batch-pdf';
import type { RenderOptions } from './rendering/render-letter-pdf';

/** threads per process that render letters; each parses the fonts once */
export const RENDER_THREADS = 2;
/** a render that takes longer than this is abandoned and its thread replaced */
const RENDER_TIMEOUT_MS = 120_000;

interface Pending {
  resolve(pdf: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
}

/** What a render thread answers. */
type Reply = { id: number; pdf: Uint8Array } | { id: number; error: string };

/**
 * Renders letters in worker threads, never on the event loop that answers HTTP (also when
 * WORKERS=on runs the queue processors in the API process). Threads start on the first render
 * and live with the process, so each parses its fonts once; a thread that dies fails the
 * renders it held (their jobs are retried) and is replaced on the next render.
 */
@Injectable()
export class RenderPool implements OnModuleDestroy {
  private readonly logger = new Logger(RenderPool.name);
  private readonly threads: Thread[] = [];
  private seq = 0;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `templateSource`: the agency's version of the template the letter was made from (null: the built-in one). */
  render(facts: LetterFacts, templateSource: string | null = null): Promise<Buffer> {
    return this.post({ facts }, templateSource ? { templateSource } : {});
  }

  /** The postal batch (address sheet, then the letter's stored pages, for each letter) as one PDF. */
  renderBatch(batch: PostalBatchItem[]): Promise<Buffer> {
    return this.post({ batch }, {});
  }

  private post(work: { facts: LetterFacts } | { batch: PostalBatchItem[] }, extra: Partial<RenderOptions>): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('render pool closed'));
    const t = this.pick();
    const id = ++this.seq;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        // a stuck render: the thread is replaced, whatever else it held is failed and retried
        this.retireQuietly(t, new Error(`letter render took longer than ${RENDER_TIMEOUT_MS} ms`));
      }, RENDER_TIMEOUT_MS);
      timer.unref();
      t.pending.set(id, { resolve, reject, timer });
      t.busy++;
      const options: RenderOptions = { fonts: this.config.letterFonts, ...extra };
      t.worker.postMessage({ id, ...work, options });
    });
  }

  private pick(): Thread {
    if (this.threads.length < RENDER_THREADS) return this.spawn();
    return this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private spawn(): Thread {
    const ts = __filename.endsWith('.ts');
    // the rendering library's thread body: facts and options in, PDF bytes out (fonts parsed once per thread)
    const file = join(__dirname, 'rendering', ts ? 'render-worker.ts' : 'render-worker.js');
    if (!existsSync(file)) throw new Error(`render thread script missing: ${file}`);
    const worker = new Worker(file, {
      // under ts (tests, the dev scripts) the thread compiles its own imports, as the process does
      execArgv: ts ? ['-r', '@swc-node/register'] : [],
    });
    const t: Thread = { worker, busy: 0, pending: new Map() };
    worker.on('message', (m: Reply) => {
      const p = t.pending.get(m.id);
      if (!p) return;
      t.pending.delete(m.id);
      t.busy--;
      clearTimeout(p.timer);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
    });
    worker.on('error', (e) => this.retireQuietly(t, e));
    worker.on('exit', (code) => this.retireQuietly(t, new Error(`render thread exited (${code})`)));
    worker.unref();
    this.threads.push(t);
    return t;
  }

  /** retire() from a callback: it fails the thread's renders itself; anything else going wrong is only logged. */
  private retireQuietly(t: Thread, err: Error): void {
    this.retire(t, err).catch((e: Error) => this.logger.warn({ err: e.message }, 'render thread retirement failed'));
  }

  private async retire(t: Thread, err: Error): Promise<void> {
    const i = this.threads.indexOf(t);
    if (i >= 0) this.threads.splice(i, 1);
    for (const p of t.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    if (t.pending.size && !this.closed) this.logger.warn({ err: err.message, renders: t.pending.size }, 'render thread failed; its letters are retried');
    t.pending.clear();
    await t.worker.terminate().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.threads].map((t) => this.retire(t, new Error('render pool closed'))));
  }
}
