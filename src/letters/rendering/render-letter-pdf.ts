/**
 * LetterFacts → PDF (pure CPU: no database, no network; safe in a worker thread). The fonts are parsed once
 * per process and embedded as subsets by pdfkit; every character is real text (searchable, copyable).
 */
import PDFDocument from 'pdfkit';
import { LETTERS } from '../../statute/letter-catalogue';
import { advanceEm, faceFor, letterFonts, type FaceChain, type LetterFontPaths, type LetterFonts } from './fonts';
import type { LetterFacts } from './letter-facts';
import { A4, layoutLetter, spacingOf, type Face, type LetterDocument, type Measure, type PlacedLine } from './letter-layout';
import { buildView, letterDate, scrubPersonalNumbers, titleOf } from './letter-view';
import { renderBody } from './template-catalogue';

export interface RenderOptions {
  /** configured font files (LETTER_FONT_PATH, LETTER_TITLE_FONT_PATH); default the Noto faces */
  readonly fonts?: LetterFontPaths;
  /** an agency's override of the template text (validated on save) */
  readonly templateSource?: string;
}

/** The closing of each letter (letters.md §Structure 7); a letter to another agency closes as a 函. */
export function closingOf(template: LetterFacts['template']): string {
  return template === 'agency_consultation' ? '特此函商。' : '特此告知。';
}

/** The letter's parts in reading order, before layout. */
export function letterDocument(facts: LetterFacts, templateSource?: string): LetterDocument {
  const view = buildView(facts);
  return {
    title: [facts.agencyName, titleOf(facts.template)],
    number: (view.number as string | null) ?? '（草稿）',
    salutation: `${scrubPersonalNumbers(facts.addresseeName)}：`,
    paragraphs: renderBody(facts, templateSource),
    closing: closingOf(facts.template),
    agencyName: facts.agencyName,
    dateText: letterDate(facts.date),
    note: facts.contactLine?.trim() ? scrubPersonalNumbers(facts.contactLine.trim()) : null,
  };
}

export function measurer(fonts: LetterFonts): Measure {
  return (face, size, text) => {
    const chain = fonts[face];
    const cs = spacingOf(face, size);
    let w = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      w += advanceEm(chain.faces[faceFor(chain, cp)], cp) * size + cs;
    }
    return w;
  };
}

/** Splits a line into runs drawn by one face of the chain each. */
export function runs(chain: FaceChain, text: string): { face: number; text: string }[] {
  const out: { face: number; text: string }[] = [];
  for (const ch of text) {
    const f = faceFor(chain, ch.codePointAt(0)!);
    const last = out[out.length - 1];
    if (last && last.face === f) last.text += ch;
    else out.push({ face: f, text: ch });
  }
  return out;
}

/** Collects a pdfkit document's bytes (resolved at `end()`) and registers the faces of every chain as `{face}{i}`. */
export function prepare(doc: PDFKit.PDFDocument, fonts: LetterFonts): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  (['body', 'title', 'heading'] as Face[]).forEach((face) => fonts[face].faces.forEach((f, i) => doc.registerFont(`${face}${i}`, f as never)));
  return done;
}

export async function renderLetterPdf(facts: LetterFacts, options: RenderOptions = {}): Promise<Buffer> {
  const fonts = letterFonts(options.fonts);
  const measure = measurer(fonts);
  const document = letterDocument(facts, options.templateSource);
  const pages = layoutLetter(document, measure);
  const title = `${facts.agencyName}${titleOf(facts.template)}`;
  const created = new Date(`${facts.date}T00:00:00+08:00`);
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: 0,
    autoFirstPage: false,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, Author: facts.agencyName, Subject: LETTERS[facts.template.startsWith('reply.') ? 'reply' : (facts.template as keyof typeof LETTERS)].title, Producer: 'gov-info-disclosure', Creator: 'gov-info-disclosure', CreationDate: created, ModDate: created },
  });
  const done = prepare(doc, fonts);
  const draw = (l: PlacedLine): void => {
    const chain = fonts[l.face];
    let x = l.x;
    for (const r of runs(chain, l.text)) {
      doc.font(`${l.face}${r.face}`).fontSize(l.size);
      doc.text(r.text, x, l.baseline, { lineBreak: false, baseline: 'alphabetic', characterSpacing: l.characterSpacing });
      x += measure(l.face, l.size, r.text);
    }
  };
  for (const page of pages) {
    doc.addPage({ size: [A4.width, A4.height], margin: 0 });
    page.lines.forEach(draw);
    if (page.pageNumber) draw(page.pageNumber);
  }
  doc.end();
  return done;
}
