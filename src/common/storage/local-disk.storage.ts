import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, opendir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, StorageObjectMissing, StoragePort } from './storage.port';

/**
 * Files on the local disk under one root (default `${VAR_DIR}/files`). A write goes to a
 * temporary name beside the target and is renamed into place when complete, so a reader
 * never sees half a file and a failed write leaves nothing behind.
 */
export class LocalDiskStorage extends StoragePort {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  /** The absolute path of a key (for operations and tests; callers use the port). */
  pathOf(key: string): string {
    assertStorageKey(key);
    const p = join(this.root, key);
    if (!p.startsWith(this.root + '/')) throw new Error(`storage key escapes the root: ${key}`);
    return p;
  }

  async put(key: string, data: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.part`;
    try {
      const source = Buffer.isBuffer(data) ? Readable.from([data]) : data;
      await pipeline(source, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      await rename(tmp, target);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // open first, so a missing file is reported before any response header is sent
      const handle = await open(path, 'r');
      return handle.createReadStream({ autoClose: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageObjectMissing(key);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  async *listOlderThan(prefix: string, before: Date): AsyncIterable<{ key: string; complete: boolean }> {
    const start = this.pathOf(prefix);
    const walk = async function* (dir: string): AsyncGenerator<string> {
      let handle;
      try {
        handle = await opendir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for await (const entry of handle) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(path);
        else if (entry.isFile()) yield path;
      }
    };
    for await (const path of walk(start)) {
      const info = await stat(path).catch(() => null);
      if (!info || info.mtime >= before) continue;
      const key = path.slice(this.root.length + 1);
      // a temporary name ({key}.{uuid}.part) is a write that never completed
      yield { key, complete: !key.endsWith('.part') };
    }
  }
}
