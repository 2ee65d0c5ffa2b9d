import fc from 'fast-check';
import { breakParagraph, NO_LINE_END, NO_LINE_START, tokenize } from './line-breaking';

/** Grid measure: a full-width character takes one 10-point cell, an ASCII character half. */
const measure = (ch: string): number => (ch.charCodeAt(0) < 0x2000 && ch !== '—' && ch !== '…' ? 5 : 10);
const grid = { firstIndent: 20, maxChars: 56, width: 280, measure };
const widthOf = (s: string): number => Array.from(s).reduce((w, c) => w + measure(c), 0);

const HAN = [...'政府信息公开申请答复本机关依法审查予以不经检索条例规定'];
const CLOSE = [...'，。、；：？！）》”'];
const OPEN = [...'（《“'];

/** Words a real text is made of: a character, a character and one or two closing marks, an opening mark and a character, digits, ——. */
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HAN) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HAN), fc.array(fc.constantFrom(...CLOSE), { minLength: 1, maxLength: 2 })).map(([h, c]) => h + c.join('')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...OPEN), fc.constantFrom(...HAN)).map(([o, h]) => o + h) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{1,12}$/) },
  { weight: 1, arbitrary: fc.constant('——') },
);
const text = fc.array(word, { minLength: 1, maxLength: 400 }).map((w) => w.join(''));

describe('Chinese line breaking', () => {
  it('fills a grid line with 28 full-width characters, 26 after the indent', () => {
    const s = '一'.repeat(100);
    const lines = breakParagraph(s, grid);
    expect(lines.map((l) => l.length)).toEqual([26, 28, 28, 18]);
  });

  it('moves a closing mark’s character down instead of starting a line with it, and an opening mark too', () => {
    const lines = breakParagraph('一'.repeat(26) + '。二', grid);
    expect(lines).toEqual(['一'.repeat(25), '一。二']);
    const open = breakParagraph('一'.repeat(25) + '《条例》', grid);
    expect(open).toEqual(['一'.repeat(25), '《条例》']);
  });

  it('keeps runs of digits and doubled dashes whole', () => {
    expect(tokenize('于2025年——0427-2822345…')).toEqual(['于', '2025', '年', '——', '0427-2822345', '…']);
    expect(tokenize('于2025年3月10日前')).toEqual(['于', '2025年3月10日', '前']);
    expect(breakParagraph('一'.repeat(20) + '于2025年3月10日前', grid)).toEqual(['一'.repeat(20) + '于', '2025年3月10日前']);
    const lines = breakParagraph('一'.repeat(25) + '2025年', grid);
    expect(lines).toEqual(['一'.repeat(25), '2025年']);
  });

  it('never breaks the rules, never loses a character, never overfills a line (property)', () => {
    fc.assert(
      fc.property(text, (s) => {
        const lines = breakParagraph(s, grid);
        expect(lines.join('')).toBe(s);
        lines.forEach((l, i) => {
          expect(l.length).toBeGreaterThan(0);
          expect(widthOf(l)).toBeLessThanOrEqual(grid.width - (i === 0 ? grid.firstIndent : 0));
          const chars = Array.from(l);
          if (i > 0) expect(NO_LINE_START.has(chars[0])).toBe(false);
          if (i < lines.length - 1) expect(NO_LINE_END.has(chars[chars.length - 1])).toBe(false);
        });
        // greedy: the next line's first word would not have fitted, or taking it would break a rule
        lines.slice(0, -1).forEach((l, i) => {
          const next = tokenize(lines[i + 1]);
          const fits = widthOf(l + next[0]) <= grid.width - (i === 0 ? grid.firstIndent : 0);
          if (fits) expect((next[1] !== undefined && NO_LINE_START.has(next[1][0])) || NO_LINE_END.has(Array.from(next[0]).pop()!) || NO_LINE_START.has(next[0][0])).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a run longer than a line', () => {
    const lines = breakParagraph('1'.repeat(120), grid);
    expect(lines.join('')).toBe('1'.repeat(120));
    expect(lines.every((l) => widthOf(l) <= 280)).toBe(true);
  });
});
