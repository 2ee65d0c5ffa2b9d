/**
 * GB/T 9704-2012 page layout of a letter (pure; measurement passed in): A4, type area 156 × 225 mm at
 * 37 mm from the top and 28 mm from the left, body 16 pt on a grid of 22 lines × 28 characters, title 22 pt
 * centred, two-character paragraph indent, the agency name centred above the date, the date four characters
 * from the right, page numbers "— N —" 7 mm below the type area (odd pages right, even pages left, one
 * character in) on letters of more than one page.
 */
import { breakParagraph } from './line-breaking';

export const MM = 72 / 25.4;
export const A4 = { width: 210 * MM, height: 297 * MM } as const;
export const TYPE_AREA = { left: 28 * MM, top: 37 * MM, width: 156 * MM, height: 225 * MM } as const;
export const GRID = { lines: 22, chars: 28, bodySize: 16, titleSize: 22, pageNumberSize: 14 } as const;
/** character pitch (156 mm / 28) and line pitch (225 mm / 22), in points */
export const CELL = TYPE_AREA.width / GRID.chars;
export const LINE = TYPE_AREA.height / GRID.lines;
/** the em box's share above the baseline (CJK faces: 0.88 em up, 0.12 em down) */
export const ASCENT = 0.88;

/** body (仿宋-style), title (小标宋-style; also second-level headings （一）), heading (黑体-style, first-level 一、) */
export type Face = 'body' | 'title' | 'heading';

/**
 * Heading levels in a body (letters.md): a paragraph that is a heading alone (no full stop inside) and opens
 * with 一、 is set in the 黑体-style face, one opening with （一） in the bold face; 1. and （1） stay body type.
 */
export function headingFace(paragraph: string): Face {
  if (/。./u.test(paragraph)) return 'body';
  if (/^[一二三四五六七八九十]+、/u.test(paragraph)) return 'heading';
  if (/^（[一二三四五六七八九十]+）/u.test(paragraph)) return 'title';
  return 'body';
}

export interface PlacedLine {
  readonly text: string;
  readonly face: Face;
  readonly size: number;
  /** left end of the text and its baseline, in points from the page's top left */
  readonly x: number;
  readonly baseline: number;
  /** the spacing added after each character (the grid's pitch minus the advance) */
  readonly characterSpacing: number;
}

export interface LetterPage {
  readonly lines: readonly PlacedLine[];
  /** "— N —" when the letter has more than one page */
  readonly pageNumber: PlacedLine | null;
}

export interface LetterDocument {
  /** the title lines: the agency's name and the document's title */
  readonly title: readonly string[];
  /** 发文字号, or a draft mark */
  readonly number: string;
  /** 称谓 with its full-width colon */
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  /** 特此告知。 */
  readonly closing: string;
  readonly agencyName: string;
  readonly dateText: string;
  /** 附注 in parentheses under the date (contact line), or null */
  readonly note: string | null;
}

/** Width in points of `text` in a face at a size, the face's character spacing (`spacingOf`) included after each character. */
export type Measure = (face: Face, size: number, text: string) => number;

interface Row {
  readonly kind: 'line' | 'blank';
  readonly text?: string;
  readonly face?: Face;
  readonly size?: number;
  readonly align?: 'left' | 'center' | 'signature-date' | 'signature-agency';
  readonly indent?: number;
  /** rows of one group stay on one page */
  readonly keep?: number;
}

/** The body's character spacing: what puts a 16 pt full-width glyph on the 15.79 pt pitch. */
export const BODY_SPACING = CELL - GRID.bodySize;

export const spacingOf = (_face: Face, size: number): number => (size === GRID.bodySize ? BODY_SPACING : 0);

function paragraphRows(text: string, face: Face, size: number, indent: number, measure: Measure, keep?: number): Row[] {
  // the grid's 28 characters a line is a width: full-width characters take a cell, half-width digits half
  const lines = breakParagraph(text, {
    firstIndent: indent * CELL,
    maxChars: 2 * GRID.chars,
    width: TYPE_AREA.width,
    measure: (ch) => measure(face, size, ch),
  });
  return lines.map((t, i) => ({ kind: 'line', text: t, face, size, align: 'left', indent: i === 0 ? indent : 0, keep }));
}

/** Lays a letter out on pages. */
export function layoutLetter(doc: LetterDocument, measure: Measure): LetterPage[] {
  const rows: Row[] = [];
  for (const t of doc.title) {
    const lines = breakParagraph(t, { firstIndent: 0, maxChars: 2 * GRID.chars, width: TYPE_AREA.width, measure: (ch) => measure('title', GRID.titleSize, ch) });
    for (const l of lines) rows.push({ kind: 'line', text: l, face: 'title', size: GRID.titleSize, align: 'center' });
  }
  if (doc.number) rows.push({ kind: 'line', text: doc.number, face: 'body', size: GRID.bodySize, align: 'center' });
  rows.push({ kind: 'blank' });
  rows.push(...paragraphRows(doc.salutation, 'body', GRID.bodySize, 0, measure));
  for (const p of doc.paragraphs) rows.push(...paragraphRows(p, headingFace(p), GRID.bodySize, 2, measure));
  // the closing, the seal's space (the seal's top within a line of the body, GB/T 9704 7.3.5.1), the signature
  // and the note stay together
  rows.push(...paragraphRows(doc.closing, 'body', GRID.bodySize, 2, measure, 1));
  rows.push({ kind: 'blank', keep: 1 });
  rows.push({ kind: 'line', text: doc.agencyName, face: 'body', size: GRID.bodySize, align: 'signature-agency', keep: 1 });
  rows.push({ kind: 'line', text: doc.dateText, face: 'body', size: GRID.bodySize, align: 'signature-date', keep: 1 });
  if (doc.note) rows.push(...paragraphRows(`（${doc.note}）`, 'body', GRID.bodySize, 2, measure, 1));

  // paginate: 22 rows a page; a keep group that does not fit starts a page; no page starts with a blank row
  const pages: Row[][] = [[]];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let page = pages[pages.length - 1];
    if (r.keep !== undefined && (i === 0 || rows[i - 1].keep !== r.keep)) {
      let n = 0;
      while (i + n < rows.length && rows[i + n].keep === r.keep) n++;
      if (page.length + n > GRID.lines && page.length > 0) pages.push((page = []));
    }
    if (page.length >= GRID.lines) pages.push((page = []));
    if (r.kind === 'blank' && page.length === 0 && r.keep === undefined) continue;
    page.push(r);
  }

  const signatureDate = doc.dateText;
  const dateWidth = measure('body', GRID.bodySize, signatureDate);
  const right = TYPE_AREA.left + TYPE_AREA.width;
  const dateX = right - 4 * CELL - dateWidth;
  const multi = pages.length > 1;
  return pages.map((rowsOfPage, p) => {
    const lines: PlacedLine[] = [];
    rowsOfPage.forEach((r, i) => {
      if (r.kind === 'blank') return;
      const face = r.face!;
      const size = r.size!;
      const text = r.text!;
      const width = measure(face, size, text);
      let x = TYPE_AREA.left + (r.indent ?? 0) * CELL;
      if (r.align === 'center') x = TYPE_AREA.left + (TYPE_AREA.width - width) / 2;
      if (r.align === 'signature-date') x = dateX;
      if (r.align === 'signature-agency') x = Math.max(TYPE_AREA.left, Math.min(dateX + dateWidth / 2 - width / 2, right - width));
      lines.push({ text, face, size, x, baseline: baselineOf(i, size), characterSpacing: spacingOf(face, size) });
    });
    let pageNumber: PlacedLine | null = null;
    if (multi) {
      const text = `— ${p + 1} —`;
      const size = GRID.pageNumberSize;
      const width = measure('body', size, text);
      const x = (p + 1) % 2 === 1 ? right - CELL - width : TYPE_AREA.left + CELL;
      pageNumber = { text, face: 'body', size, x, baseline: TYPE_AREA.top + TYPE_AREA.height + 7 * MM + ASCENT * size, characterSpacing: 0 };
    }
    return { lines, pageNumber };
  });
}

/** Baseline of grid row `row` (0–21) for a size: the em box centred on the row. */
export function baselineOf(row: number, size: number): number {
  return TYPE_AREA.top + row * LINE + LINE / 2 - size / 2 + ASCENT * size;
}
