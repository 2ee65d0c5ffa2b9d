import type { Readable } from 'node:stream';

/**
 * Where uploaded files live. Keys are chosen by the server (uuids, `/`-separated segments of
 * `[A-Za-z0-9._-]`), never by a client. The local-disk adapter is the default; an object store
 * can take its place behind the same port.
 */
export abstract class StoragePort {
  /** Writes the whole stream or buffer under `key`; the file appears only once complete. */
  abstract put(key: string, data: Readable | Buffer): Promise<void>;

  /** Opens the stored file for reading; rejects with {@link StorageObjectMissing} when there is none. */
  abstract get(key: string): Promise<Readable>;

  /** Removes the file; a missing file is not an error. */
  abstract delete(key: string): Promise<void>;

  /**
   * What is stored under `prefix` and was last written before `before`: complete objects by key, and the
   * leftovers of writes that never completed (a process that died mid-write), which `delete` also takes.
   */
  abstract listOlderThan(prefix: string, before: Date): AsyncIterable<{ key: string; complete: boolean }>;
}

/** The key names nothing stored (an inconsistency between the database and the store). */
export class StorageObjectMissing extends Error {
  constructor(readonly key: string) {
    super(`storage object missing: ${key}`);
    this.name = 'StorageObjectMissing';
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,9}$/;

/** Keys are server-made; anything else (`..`, absolute paths, odd characters) is a programming error. */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
