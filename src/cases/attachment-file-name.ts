import { EXTENSIONS, type SniffedType } from '../common/storage/content-sniffer';

/** Display names are cut to this many characters. */
export const FILE_NAME_MAX = 200;

/**
 * The client's file name as display text: the last path segment, NFC, without control,
 * bidirectional-override or zero-width characters and without characters that file systems
 * refuse; with an extension that fits the type the content shows; at most 200 characters.
 */
export function sanitizeFileName(raw: string | undefined, type: SniffedType): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    // eslint-disable-next-line no-control-regex -- control characters are what this removes from a client's file name
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const exts = EXTENSIONS[type];
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  let base = name;
  let suffix = '';
  if (!name) {
    base = '附件';
    suffix = `.${exts[0]}`;
  } else if (exts.includes(ext)) {
    base = name.slice(0, dot);
    suffix = name.slice(dot);
  } else {
    suffix = `.${exts[0]}`;
  }
  const room = FILE_NAME_MAX - Array.from(suffix).length;
  return Array.from(base).slice(0, room).join('').trimEnd() + suffix;
}
