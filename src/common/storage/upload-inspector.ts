import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { HEAD_BYTES, sniffHead, zipEntryNames, zipKind, type SniffedType } from './content-sniffer';

/** Bytes kept from the end of a ZIP for its central directory (ample for office documents). */
const ZIP_TAIL_BYTES = 1024 * 1024 + 0xffff + 22;

export interface Inspection {
  /** the type the bytes show, or null when not an allowed one */
  type: SniffedType | null;
  /** every byte that came through, passed on or not */
  size: number;
  /** hex SHA-256 of the bytes passed on (the whole file when the type is allowed) */
  sha256: string;
}

/**
 * A pass-through that hashes, counts and sniffs a file while it streams to storage, holding
 * only the first bytes and (for ZIPs) the last megabyte. Once the head shows a type that is
 * not allowed it stops passing bytes on but keeps reading, so the request is still consumed
 * and next to nothing is written.
 */
export class UploadInspector extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer[] = [];
  private heldLength = 0;
  private head: ReturnType<typeof sniffHead> | undefined;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private size = 0;
  private digest: string | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.head === null) return cb();
    if (this.head === undefined) {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      if (this.heldLength >= HEAD_BYTES) this.decideHead();
      return cb();
    }
    this.accept(chunk);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.head === undefined && this.heldLength > 0) this.decideHead();
    cb();
  }

  private decideHead(): void {
    const all = Buffer.concat(this.held);
    this.held = [];
    this.head = sniffHead(all.subarray(0, HEAD_BYTES));
    if (this.head !== null) this.accept(all);
  }

  private accept(chunk: Buffer): void {
    this.hash.update(chunk);
    if (this.head === 'zip') {
      this.tail.push(chunk);
      this.tailLength += chunk.length;
      while (this.tail.length > 1 && this.tailLength - this.tail[0].length >= ZIP_TAIL_BYTES) {
        this.tailLength -= this.tail.shift()!.length;
      }
    }
    this.push(chunk);
  }

  /** The verdict, once the stream has ended. */
  result(): Inspection {
    this.digest ??= this.hash.digest('hex');
    let type: SniffedType | null = null;
    if (this.head === 'zip') {
      const tail = Buffer.concat(this.tail).subarray(-ZIP_TAIL_BYTES);
      const names = zipEntryNames(tail, this.size);
      type = names ? zipKind(names) : null;
    } else if (this.head) {
      type = this.head;
    }
    return { type, size: this.size, sha256: this.digest };
  }
}
