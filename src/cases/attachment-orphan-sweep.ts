import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { StoragePort } from '../common/storage/storage.port';
import { WorkerHost } from '../infra/queue/worker-host';
import { AttachmentsRepository } from './attachments.repository';

/** Files with no row are removed once this old (an upload in flight is seconds old). */
export const ORPHAN_FILE_AGE_MS = 60 * 60_000;
const ORPHAN_SWEEP_INTERVAL_MS = 60 * 60_000;
const BATCH = 500;

/** The hourly sweep of stored attachment files that no row names. */
@Injectable()
export class AttachmentOrphanSweep implements OnModuleInit {
  private readonly logger = new Logger(AttachmentOrphanSweep.name);

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly storage: StoragePort,
    private readonly workers: WorkerHost,
  ) {}

  onModuleInit(): void {
    this.workers.every(ORPHAN_SWEEP_INTERVAL_MS, 'orphan file sweep', () => this.removeOrphans());
  }

  /**
   * Removes stored files that no attachment row names (a process that died between storing an upload and its
   * commit, or a commit whose outcome was unknown) and leftovers of writes never completed, once older than
   * `olderThanMs` (by the files' own times). Identity copies must not linger unlisted. The number removed.
   */
  async removeOrphans(olderThanMs = ORPHAN_FILE_AGE_MS): Promise<number> {
    const before = new Date(Date.now() - olderThanMs);
    let removed = 0;
    let batch: string[] = [];
    const drop = async (keys: string[]) => {
      if (!keys.length) return;
      const known = await this.attachments.knownStorageKeys(keys);
      for (const k of keys) {
        if (known.has(k)) continue;
        await this.storage.delete(k);
        removed++;
      }
    };
    for await (const f of this.storage.listOlderThan('cases', before)) {
      if (!f.complete) {
        await this.storage.delete(f.key);
        removed++;
        continue;
      }
      batch.push(f.key);
      if (batch.length >= BATCH) {
        await drop(batch);
        batch = [];
      }
    }
    await drop(batch);
    if (removed) this.logger.warn({ removed }, 'stored files with no attachment row removed');
    return removed;
  }
}
