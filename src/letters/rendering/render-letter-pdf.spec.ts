/**
 * Letters rendered and read back with pdfjs-dist (test/support/pdf-text.mjs in a child process: it is ESM):
 * the content every letter must state, and the GB/T 9704 layout measured from the PDF itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { documentNumber } from '../../statute/letter-catalogue';
import { REMEDIES_MARKERS, type RemediesVariant } from '../../statute/remedies';
import { DEFAULT_FONT_FILES } from './fonts';
import { TEMPLATE_CODES, type LetterFacts } from './letter-facts';
import { A4, GRID, TYPE_AREA } from './letter-layout';
import { NO_LINE_START } from './line-breaking';
import { buildView, letterDate, titleOf } from './letter-view';
import { renderLetterPdf } from './render-letter-pdf';
import { sampleFacts } from './sample-facts';

interface Item { str: string; x: number; y: number; width: number; height: number; size: number; font: string }
interface Parsed { pages: { width: number; height: number; items: Item[] }[]; fonts: string[] }

const ROOT = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders each case to a file and parses them all in one child process. */
async function renderAndParse(cases: Record<string, { facts: LetterFacts; fonts?: { body?: string; title?: string } }>): Promise<Record<string, { pdf: Buffer; parsed: Parsed }>> {
  const names = Object.keys(cases);
  const pdfs: Buffer[] = [];
  for (const n of names) {
    const pdf = await renderLetterPdf(cases[n].facts, { fonts: cases[n].fonts });
    writeFileSync(join(dir, `${n}.pdf`), pdf);
    pdfs.push(pdf);
  }
  const json = execFileSync(process.execPath, [join(ROOT, 'test/support/pdf-text.mjs'), ...names.map((n) => join(dir, `${n}.pdf`))], { cwd: ROOT, maxBuffer: 64 << 20 });
  const parsed = JSON.parse(json.toString()) as Parsed[];
  return Object.fromEntries(names.map((n, i) => [n, { pdf: pdfs[i], parsed: parsed[i] }]));
}

/** Lines of a page: items of the body grid grouped by baseline, left to right. */
function lines(page: Parsed['pages'][number]): { y: number; size: number; text: string; x: number; right: number }[] {
  const by = new Map<string, Item[]>();
  for (const it of page.items) {
    const k = `${it.size}:${it.y.toFixed(1)}`;
    by.set(k, [...(by.get(k) ?? []), it]);
  }
  return [...by.values()]
    .map((its) => its.sort((a, b) => a.x - b.x))
    .map((its) => ({ y: its[0].y, size: its[0].size, text: its.map((i) => i.str).join(''), x: its[0].x, right: Math.max(...its.map((i) => i.x + i.width)) }))
    .sort((a, b) => b.y - a.y);
}

const textOf = (p: Parsed): string => p.pages.map((pg) => lines(pg).map((l) => l.text).join('')).join('');
/** grid cells: a full-width character one, a half-width (ASCII) one half */
const cells = (s: string): number => Array.from(s).reduce((n, c) => n + (c.charCodeAt(0) < 0x2000 ? 0.5 : 1), 0);

const TOP = A4.height - TYPE_AREA.top; // PDF coordinates: y up
const BOTTOM = TOP - TYPE_AREA.height;
const LEFT = TYPE_AREA.left;
const RIGHT = TYPE_AREA.left + TYPE_AREA.width;
const ID = '11010519491231002X';
const MOBILE = '13800138000';

function longLetter(pages: number): LetterFacts {
  const f = sampleFacts('reply.granted');
  const files = Array.from({ length: pages * 14 }, (_, i) => `兴隆台区第${i + 1}号地块国有土地使用权出让合同（含附件、补充协议及宗地图）`);
  return { ...f, providedFiles: files };
}

let all: Record<string, { pdf: Buffer; parsed: Parsed }>;

beforeAll(async () => {
  const cases: Record<string, { facts: LetterFacts; fonts?: { body?: string; title?: string } }> = {};
  for (const code of TEMPLATE_CODES) cases[code] = { facts: sampleFacts(code) };
  cases['partial-2023'] = { facts: { ...sampleFacts('reply.partial'), date: '2023-12-29' } };
  cases['personal-numbers'] = { facts: { ...sampleFacts('reply.withheld.third_party'), reasons: `申请人（身份证号${ID}，手机${MOBILE}，或138-0013-8000）所申请信息涉及他人隐私。` } };
  cases['three-pages'] = { facts: longLetter(3) };
  cases['draft'] = { facts: { ...sampleFacts('reply.granted'), number: null } };
  cases['rare-name'] = { facts: { ...sampleFacts('reply.granted'), addresseeName: '王\u{25AD7}' } };
  cases['licensed-face'] = { facts: sampleFacts('reply.granted'), fonts: { body: require.resolve(DEFAULT_FONT_FILES.sansRegular) } };
  all = await renderAndParse(cases);
}, 240_000);

describe('every template rendered and read back', () => {
  it.each(TEMPLATE_CODES.map((c) => [c]))('%s states its title, number, addressee, articles, remedies and date', (code) => {
    const facts = sampleFacts(code);
    const view = buildView(facts);
    const { parsed } = all[code];
    const text = textOf(parsed);
    expect(text).toContain(titleOf(code));
    expect(text).toContain(facts.agencyName);
    expect(text).toContain(documentNumber(facts.number!.prefix, facts.number!.year, facts.number!.n));
    expect(text).toMatch(/〔\d{4}〕[1-9]\d*号/);
    expect(text).toContain(`${facts.addresseeName}：`);
    if (view.citation) expect(text).toContain(view.citation as string);
    if (code.startsWith('reply.') || code === 'termination_notice') expect(text).toContain(view.remedies as string);
    else expect(text).not.toContain('行政诉讼');
    expect(text).toContain(letterDate(facts.date));
    expect(letterDate(facts.date)).toMatch(/^\d{4}年[1-9]\d?月[1-9]\d?日$/);
    expect(text).toContain(code === 'agency_consultation' ? '特此函商。' : '特此告知。');
    expect(text).not.toMatch(/\d{17}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)|null|undefined/);
  });

  it('picks the remedies variant by outcome and date', () => {
    const variant = (name: string, v: RemediesVariant) => expect(textOf(all[name].parsed)).toContain(REMEDIES_MARKERS[v]);
    variant('reply.partial', 'partial_split');
    variant('partial-2023', 'choice');
    expect(textOf(all['partial-2023'].parsed)).not.toContain('应当先依法');
    variant('reply.withheld.state_secret', 'reconsideration_first');
    variant('reply.withheld.administrative_query', 'choice');
    expect(textOf(all['reply.withheld.administrative_query'].parsed)).not.toContain('应当先依法');
    variant('reply.granted', 'choice');
    variant('termination_notice', 'choice');
  });

  it('never prints an identity or mobile number, even typed into free text', () => {
    const text = textOf(all['personal-numbers'].parsed);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(MOBILE);
    expect(text).not.toMatch(/\d{17}[\dXx]|1[3-9]\d[- ]?\d{4}[- ]?\d{4}/);
    expect(text).toContain('110*************2X');
    expect(text).toContain('138****8000');
  });

  it('marks a draft as such, without a number', () => {
    const text = textOf(all.draft.parsed);
    expect(text).toContain('（草稿）');
    expect(text).not.toMatch(/〔\d{4}〕\d+号/);
  });
});

describe('GB/T 9704 layout measured from the PDF', () => {
  it('A4, every glyph inside the type area, at most 28 characters a line and 22 lines a page, no line starting with closing punctuation', () => {
    for (const [name, { parsed }] of Object.entries(all)) {
      for (const [p, page] of parsed.pages.entries()) {
        expect([name, Math.round(page.width * 100) / 100, Math.round(page.height * 100) / 100]).toEqual([name, 595.28, 841.89]);
        const ls = lines(page);
        const grid = ls.filter((l) => l.size !== GRID.pageNumberSize);
        expect(grid.length).toBeLessThanOrEqual(GRID.lines);
        for (const l of grid) {
          const where = `${name} p${p + 1} 「${l.text}」`;
          expect([where, l.x >= LEFT - 0.01]).toEqual([where, true]);
          // pdfjs counts the character spacing after the last glyph too: half a point (0.18 mm) of slack
          expect([where, l.right <= RIGHT + 0.5]).toEqual([where, true]);
          expect([where, l.y - 0.12 * l.size >= BOTTOM - 0.01 && l.y + 0.88 * l.size <= TOP + 0.01]).toEqual([where, true]);
          if (l.size === GRID.bodySize) expect([where, cells(l.text) <= GRID.chars]).toEqual([where, true]);
          expect([where, NO_LINE_START.has(Array.from(l.text)[0])]).toEqual([where, false]);
        }
        // rows on the grid: baselines 225 mm / 22 apart
        const rows = grid.map((l) => (TOP - l.y) / (TYPE_AREA.height / GRID.lines));
        for (const r of rows) expect(r).toBeLessThan(GRID.lines);
      }
    }
  });

  it('puts the date four characters from the right and the agency name centred above it', () => {
    const f = sampleFacts('reply.granted');
    const ls = all['reply.granted'].parsed.pages.flatMap(lines);
    const date = ls.find((l) => l.text === letterDate(f.date))!;
    const agency = ls.filter((l) => l.text === f.agencyName && l.size === GRID.bodySize).pop()!;
    const cell = TYPE_AREA.width / GRID.chars;
    expect(Math.abs(RIGHT - 4 * cell - date.right)).toBeLessThan(0.5);
    expect(Math.abs((agency.x + agency.right) / 2 - (date.x + date.right) / 2)).toBeLessThan(0.5);
    expect(agency.y).toBeGreaterThan(date.y);
    // the title: 22 pt, centred
    const title = ls.find((l) => l.text === titleOf('reply.granted'))!;
    expect(title.size).toBe(GRID.titleSize);
    expect(Math.abs((title.x + title.right) / 2 - (LEFT + RIGHT) / 2)).toBeLessThan(0.5);
  });

  it('numbers the pages of a long letter "— N —", odd pages right and even pages left, below the type area', () => {
    const { parsed } = all['three-pages'];
    expect(parsed.pages.length).toBeGreaterThanOrEqual(3);
    parsed.pages.forEach((page, i) => {
      const pn = lines(page).filter((l) => l.size === GRID.pageNumberSize);
      expect(pn.map((l) => l.text)).toEqual([`— ${i + 1} —`]);
      expect(pn[0].y).toBeLessThan(BOTTOM);
      if (i % 2 === 0) expect(pn[0].right).toBeGreaterThan((LEFT + RIGHT) / 2);
      else expect(pn[0].x).toBeLessThan((LEFT + RIGHT) / 2);
    });
    for (const name of TEMPLATE_CODES) if (all[name].parsed.pages.length === 1) expect(all[name].parsed.pages[0].items.some((i) => i.size === GRID.pageNumberSize)).toBe(false);
  });

  it('embeds every font as a subset; a one-page letter stays under 150 KiB', () => {
    for (const [name, { pdf, parsed }] of Object.entries(all)) {
      const raw = pdf.toString('latin1');
      const baseFonts = [...raw.matchAll(/\/BaseFont \/([^\s/<>\]]+)/g)].map((m) => m[1]);
      const distinct = [...new Set(baseFonts)];
      expect(distinct.length).toBeGreaterThanOrEqual(2);
      for (const b of distinct) expect([name, b]).toEqual([name, expect.stringMatching(/^[A-Z]{6}\+/)]);
      // one embedded font program (FontFile2) per subset font
      expect([name, (raw.match(/\/FontFile2 /g) ?? []).length]).toEqual([name, distinct.length]);
      if (parsed.pages.length === 1) expect([name, pdf.length < 150 * 1024]).toEqual([name, true]);
    }
  });

  it('draws a character the main face lacks with the fallback face, and uses a configured face', () => {
    const rare = all['rare-name'].pdf.toString('latin1');
    expect(rare).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(textOf(all['rare-name'].parsed)).toContain('王\u{25AD7}：');
    const licensed = all['licensed-face'].pdf.toString('latin1');
    expect(licensed).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(licensed).not.toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(readFileSync(join(dir, 'licensed-face.pdf')).length).toBeGreaterThan(0);
  });
});
