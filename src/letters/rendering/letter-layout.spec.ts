import fc from 'fast-check';
import { ConfigError, DEVELOPMENT_SECRETS, loadConfig } from '../../config/app-config';
import { advanceEm, faceFor, letterFonts } from './fonts';
import { renderLetterPdf } from './render-letter-pdf';
import { sampleFacts } from './sample-facts';
import { getTemplate } from './template-catalogue';
import { BODY_SPACING, CELL, GRID, headingFace, layoutLetter, LINE, spacingOf, TYPE_AREA, type LetterDocument, type Measure } from './letter-layout';
import { NO_LINE_END, NO_LINE_START } from './line-breaking';

const fonts = letterFonts();
/** the renderer's measure, with the real faces */
const measure: Measure = (face, size, text) => {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    w += advanceEm(fonts[face].faces[faceFor(fonts[face], cp)], cp) * size + spacingOf(face, size);
  }
  return w;
};

const HAN = [...'政府信息公开申请答复本机关依法审查予以不经检索条例规定盘锦市自然资源局张晓梅'];
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HAN) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HAN), fc.constantFrom(...'，。、；：？！）》”')).map(([h, c]) => h + c) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...'（《“〔'), fc.constantFrom(...HAN)).map(([o, h]) => o + h) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{1,8}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z]{1,10}$/) },
);
const paragraph = fc.array(word, { minLength: 1, maxLength: 120 }).map((w) => w.join(''));

const letter = (paragraphs: string[], note: string | null = null): LetterDocument => ({
  title: ['盘锦市自然资源局', '政府信息公开申请答复书'],
  number: '盘自然资依复〔2025〕12号',
  salutation: '张晓梅：',
  paragraphs,
  closing: '特此告知。',
  agencyName: '盘锦市自然资源局',
  dateText: '2025年3月7日',
  note,
});

describe('GB/T 9704 layout with the real faces', () => {
  it('puts 16 pt body characters on the 156 mm / 28 pitch and 22 lines in 225 mm', () => {
    expect(CELL * GRID.chars).toBeCloseTo(TYPE_AREA.width, 6);
    expect(LINE * GRID.lines).toBeCloseTo(TYPE_AREA.height, 6);
    expect(LINE).toBeCloseTo(28.99, 2);
    expect(BODY_SPACING).toBeCloseTo(CELL - 16, 9);
    expect(measure('body', 16, '政'.repeat(28))).toBeCloseTo(TYPE_AREA.width, 6);
  });

  it('never overfills a line or a page, never breaks a line rule, loses nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), fc.option(paragraph, { nil: null }), (paras, note) => {
        const pages = layoutLetter(letter(paras, note), measure);
        const right = TYPE_AREA.left + TYPE_AREA.width;
        for (const p of pages) {
          const rows = new Set(p.lines.map((l) => Math.round(((l.baseline - TYPE_AREA.top) / LINE) * 1000)));
          expect(rows.size).toBe(p.lines.length);
          expect(p.lines.length).toBeLessThanOrEqual(GRID.lines);
          for (const l of p.lines) {
            expect(l.x).toBeGreaterThanOrEqual(TYPE_AREA.left - 1e-6);
            expect(l.x + measure(l.face, l.size, l.text)).toBeLessThanOrEqual(right + 1e-6);
            expect(l.baseline - 0.12 * l.size).toBeLessThanOrEqual(TYPE_AREA.top + TYPE_AREA.height + 1e-6);
            expect(l.baseline - 0.88 * l.size).toBeGreaterThanOrEqual(TYPE_AREA.top - 1e-6);
            expect(NO_LINE_START.has(Array.from(l.text)[0])).toBe(false);
          }
          if (pages.length > 1) expect(p.pageNumber?.text).toMatch(/^— \d+ —$/);
          else expect(p.pageNumber).toBeNull();
        }
        // every paragraph's text is there, in order, and no line inside a paragraph ends with an opening mark
        const all = pages.flatMap((p) => p.lines.map((l) => l.text)).join('');
        let at = 0;
        for (const para of paras) {
          const i = all.indexOf(para, at);
          expect(i).toBeGreaterThanOrEqual(0);
          at = i + para.length;
        }
        for (const p of pages) for (const l of p.lines.slice(0, -1)) if (NO_LINE_END.has(Array.from(l.text).pop()!)) expect(paras.some((x) => x.endsWith(l.text))).toBe(true);
        // the signature block ends the letter (before the note): agency, then the date
        const last = pages.at(-1)!.lines.map((l) => l.text);
        const date = last.lastIndexOf('2025年3月7日');
        expect(date).toBeGreaterThan(0);
        expect(last[date - 1]).toBe('盘锦市自然资源局');
      }),
      { numRuns: 150 },
    );
  });
});

describe('heading levels', () => {
  it('sets 一、 headings in the 黑体-style face and （一） in the bold face; 1. and （1） and running text stay body type', () => {
    expect(headingFace('一、申请的基本情况')).toBe('heading');
    expect(headingFace('十二、其他')).toBe('heading');
    expect(headingFace('（二）不予公开的内容')).toBe('title');
    expect(headingFace('1. 出让合同')).toBe('body');
    expect(headingFace('（1）出让合同')).toBe('body');
    expect(headingFace('一、经审查，所申请信息不存在。本机关依法答复。')).toBe('body');
    expect(headingFace('本机关于2025年2月10日收到申请。')).toBe('body');
  });

  it('embeds the heading face when a letter has a heading', async () => {
    const source = getTemplate('reply.granted').source.replace('{{> opening}}', '一、申请的基本情况\n{{> opening}}\n（一）处理结果');
    const pdf = (await renderLetterPdf(sampleFacts('reply.granted'), { templateSource: source })).toString('latin1');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    const plain = (await renderLetterPdf(sampleFacts('reply.granted'))).toString('latin1');
    expect(plain).not.toMatch(/NotoSansSC/);
  });
});

describe('letter font configuration', () => {
  const env = { ...DEVELOPMENT_SECRETS, NODE_ENV: 'test' };
  it('defaults to the Noto faces and refuses a font file that does not exist', () => {
    expect(loadConfig(env).letterFonts).toEqual({ body: null, title: null });
    const body = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
    expect(loadConfig({ ...env, LETTER_FONT_PATH: body }).letterFonts).toEqual({ body, title: null });
    expect(() => loadConfig({ ...env, LETTER_TITLE_FONT_PATH: '/nonexistent/xiaobiaosong.ttf' })).toThrow(ConfigError);
    let err: unknown = null;
    try {
      loadConfig({ ...env, LETTER_FONT_PATH: '/nonexistent/fangsong.ttf' });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).problems).toEqual(['LETTER_FONT_PATH: no such file (/nonexistent/fangsong.ttf)']);
  });
});
