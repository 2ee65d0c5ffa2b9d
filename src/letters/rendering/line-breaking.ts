/**
 * Chinese line breaking for the GB/T 9704 grid (pure): a paragraph into lines of at most `maxChars`
 * characters and `width` points, with the rules of Chinese typesetting (GB/T 15834, 行首行尾禁则): no line
 * begins with closing punctuation (，。、；：？！）》”…) and none ends with opening punctuation (（《“〔).
 * When a break would break a rule, characters move to the next line (推出). Runs of Latin letters and
 * digits (2025, 0427-2822345), dates (2025年3月10日) and the doubled marks —— and …… are never split, unless
 * longer than a line.
 */

/** May not begin a line. */
export const NO_LINE_START = new Set([...'，。、；：？！）］｝〕〉》」』】〗”’…·%‰．,.;:?!)]}']);
/** May not end a line. */
export const NO_LINE_END = new Set([...'（［｛〔〈《「『【〖“‘([{']);

export interface BreakOptions {
  /** points of the first line taken by the indent */
  readonly firstIndent: number;
  /** characters a line holds at most (besides the width) */
  readonly maxChars: number;
  /** points a line holds */
  readonly width: number;
  /** points taken by one character (its advance plus the character spacing), same units as `width` */
  readonly measure: (ch: string) => number;
}

const GLUE = /^[A-Za-z0-9@#&+\-_/.:%]$/;
/** a date in a letter's form stays on one line: 2025年3月10日 */
const DATE = /^\d{4}年\d{1,2}月\d{1,2}日/u;

/** Tokens that stay on one line: a run of Latin letters and digits, a doubled ——/……, or one character. */
export function tokenize(text: string): string[] {
  const chars = Array.from(text);
  const tokens: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const date = /\d/.test(c) && (i === 0 || !/\d/.test(chars[i - 1])) ? DATE.exec(chars.slice(i, i + 11).join('')) : null;
    if (date) {
      tokens.push(date[0]);
      i += Array.from(date[0]).length;
    } else if (GLUE.test(c)) {
      let j = i + 1;
      while (j < chars.length && GLUE.test(chars[j])) j++;
      tokens.push(chars.slice(i, j).join(''));
      i = j;
    } else if ((c === '—' || c === '…') && chars[i + 1] === c) {
      tokens.push(c + c);
      i += 2;
    } else {
      tokens.push(c);
      i += 1;
    }
  }
  return tokens;
}

const EPS = 1e-6;

/** Breaks one paragraph into lines (the indent is not part of the text). */
export function breakParagraph(text: string, o: BreakOptions): string[] {
  // a token longer than a whole line is cut into characters
  const full = o.maxChars;
  const tokens = tokenize(text).flatMap((t) => {
    const n = Array.from(t).length;
    return n > 1 && (n > full || Array.from(t).reduce((s, c) => s + o.measure(c), 0) > o.width - o.firstIndent + EPS)
      ? Array.from(t)
      : [t];
  });
  const len = tokens.map((t) => Array.from(t).length);
  const wid = tokens.map((t) => Array.from(t).reduce((s, c) => s + o.measure(c), 0));
  const lines: string[] = [];
  let i = 0;
  let first = true;
  while (i < tokens.length) {
    const capChars = o.maxChars;
    const capWidth = o.width - (first ? o.firstIndent : 0) + EPS;
    let j = i;
    let chars = 0;
    let width = 0;
    while (j < tokens.length && chars + len[j] <= capChars && width + wid[j] <= capWidth) {
      chars += len[j];
      width += wid[j];
      j++;
    }
    if (j === i) j = i + 1; // a single token wider than the line (cannot happen after the cut, but never loop)
    if (j < tokens.length) {
      // 推出: move tokens down until the next line does not start, and this one not end, with a forbidden mark
      let k = j;
      while (k - 1 > i && (startsForbidden(tokens[k]) || endsForbidden(tokens[k - 1]))) k--;
      if (!(startsForbidden(tokens[k]) || endsForbidden(tokens[k - 1]))) j = k;
    }
    lines.push(tokens.slice(i, j).join(''));
    i = j;
    first = false;
  }
  return lines;
}

const startsForbidden = (t: string): boolean => NO_LINE_START.has(Array.from(t)[0]);
const endsForbidden = (t: string): boolean => {
  const a = Array.from(t);
  return NO_LINE_END.has(a[a.length - 1]);
};
