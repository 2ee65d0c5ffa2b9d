/**
 * What an uploaded file is, judged by its bytes alone (never by the client's name or
 * Content-Type). Pure: no I/O. The allowed set is deliberately small:
 *  PDF `%PDF-`; PNG; JPEG `FF D8 FF`; TIFF `II*\0` / `MM\0*`; and ZIP containers whose central
 *  directory shows a DOCX (`word/`), an XLSX (`xl/`) or an OFD (GB/T 33190, `OFD.xml`).
 */

export type SniffedType = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'docx' | 'xlsx' | 'ofd';

export const CONTENT_TYPES: Record<SniffedType, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ofd: 'application/ofd',
};

/** File-name extensions for each type; the first is added when a name lacks a fitting one. */
export const EXTENSIONS: Record<SniffedType, string[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg', 'jpe'],
  tiff: ['tif', 'tiff'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  ofd: ['ofd'],
};

/** Bytes of the head needed to decide (the longest signature, PNG's, is 8). */
export const HEAD_BYTES = 8;

const startsWith = (b: Buffer, sig: number[]): boolean => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** First look at the head: a final type, `zip` (decided from the tail), or null (refused). */
export function sniffHead(head: Buffer): Exclude<SniffedType, 'docx' | 'xlsx' | 'ofd'> | 'zip' | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip'; // PK\3\4: a local file header
  return null;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;

/**
 * The entry names of a ZIP's central directory, read from the file's last bytes (`tail`,
 * which ends where the file ends; `fileSize` is the whole file's length). Null when the
 * directory is missing, malformed, ZIP64 or not wholly within the tail.
 */
export function zipEntryNames(tail: Buffer, fileSize: number, maxEntries = 20000): string[] | null {
  const tailStart = fileSize - tail.length;
  // the end-of-central-directory record: 22 bytes plus a comment of up to 65,535
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - 0xffff; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null; // ZIP64
  if (entries === 0 || entries > maxEntries) return null;
  const cdStart = cdOffset - tailStart;
  if (cdStart < 0 || cdStart + cdSize > eocd) return null;
  const names: string[] = [];
  let p = cdStart;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > cdStart + cdSize || tail.readUInt32LE(p) !== CDH_SIG) return null;
    const nameLen = tail.readUInt16LE(p + 28);
    const extraLen = tail.readUInt16LE(p + 30);
    const commentLen = tail.readUInt16LE(p + 32);
    if (p + 46 + nameLen > cdStart + cdSize) return null;
    names.push(tail.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Which ZIP-based format the entry names show, if any allowed one. */
export function zipKind(names: string[]): 'docx' | 'xlsx' | 'ofd' | null {
  const has = (n: string) => names.includes(n);
  if (has('[Content_Types].xml') && has('word/document.xml')) return 'docx';
  if (has('[Content_Types].xml') && has('xl/workbook.xml')) return 'xlsx';
  if (has('OFD.xml')) return 'ofd';
  return null;
}
