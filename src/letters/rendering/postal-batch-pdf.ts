/**
 * The day's postal batch as one PDF (pure CPU; runs in a render thread): before each letter an address sheet
 * (收件人, 邮寄地址, 寄件机关, 内件), then the letter's stored pages copied as they are. The sheet prints no
 * identity or phone number (anything shaped like one is masked, as in the letters).
 */
import { PDFDocument as PdfLibDocument } from 'pdf-lib';
import PDFDocument from 'pdfkit';
import { letterFonts } from './fonts';
import { A4, TYPE_AREA, type Face } from './letter-layout';
import { scrubPersonalNumbers } from './letter-view';
import { measurer, prepare, runs, type RenderOptions } from './render-letter-pdf';

/** What an address sheet prints: the addressee, the postal address, the sender and what is inside. */
export interface AddressSheet {
  readonly addresseeName: string;
  readonly address: string;
  readonly senderName: string;
  /** 内件: the letter's title and number */
  readonly contents: string;
}

export interface PostalBatchItem {
  readonly sheet: AddressSheet;
  /** the letter's stored PDF */
  readonly letterPdf: Uint8Array;
}

const LABEL_SIZE = 14;
const VALUE_SIZE = 18;

/** Breaks `text` into lines no wider than `width` at `size` (character by character: Chinese has no spaces). */
function wrap(measure: ReturnType<typeof measurer>, face: Face, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && measure(face, size, line + ch) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** One A4 page per sheet. */
export async function renderAddressSheets(sheets: readonly AddressSheet[], options: RenderOptions = {}): Promise<Buffer> {
  const fonts = letterFonts(options.fonts);
  const measure = measurer(fonts);
  const doc = new PDFDocument({ size: [A4.width, A4.height], margin: 0, autoFirstPage: false, lang: 'zh-CN', info: { Title: '邮寄封面', Producer: 'gov-info-disclosure', Creator: 'gov-info-disclosure' } });
  const done = prepare(doc, fonts);
  const draw = (face: Face, size: number, text: string, x: number, baseline: number): void => {
    let at = x;
    for (const r of runs(fonts[face], text)) {
      doc.font(`${face}${r.face}`).fontSize(size);
      doc.text(r.text, at, baseline, { lineBreak: false, baseline: 'alphabetic' });
      at += measure(face, size, r.text);
    }
  };
  for (const s of sheets) {
    doc.addPage({ size: [A4.width, A4.height], margin: 0 });
    let y = TYPE_AREA.top;
    const title = '邮寄封面';
    draw('title', 22, title, TYPE_AREA.left + (TYPE_AREA.width - measure('title', 22, title)) / 2, y);
    y += 22 * 3;
    const field = (label: string, value: string): void => {
      draw('heading', LABEL_SIZE, label, TYPE_AREA.left, y);
      y += VALUE_SIZE * 1.6;
      for (const line of wrap(measure, 'body', VALUE_SIZE, scrubPersonalNumbers(value), TYPE_AREA.width)) {
        draw('body', VALUE_SIZE, line, TYPE_AREA.left, y);
        y += VALUE_SIZE * 1.5;
      }
      y += VALUE_SIZE;
    };
    field('收件人', s.addresseeName);
    field('邮寄地址', s.address);
    field('寄件机关', s.senderName);
    field('内件', s.contents);
  }
  doc.end();
  return done;
}

/** The batch: each letter preceded by its address sheet, the letter's own pages copied unchanged. */
export async function renderPostalBatch(items: readonly PostalBatchItem[], options: RenderOptions = {}): Promise<Buffer> {
  const out = await PdfLibDocument.create();
  out.setTitle('邮寄批次');
  out.setProducer('gov-info-disclosure');
  if (!items.length) throw new Error('a postal batch needs at least one letter');
  {
    const sheets = await PdfLibDocument.load(await renderAddressSheets(items.map((i) => i.sheet), options));
    for (const [i, item] of items.entries()) {
      const [sheet] = await out.copyPages(sheets, [i]);
      out.addPage(sheet);
      const letter = await PdfLibDocument.load(item.letterPdf);
      for (const page of await out.copyPages(letter, letter.getPageIndices())) out.addPage(page);
    }
  }
  return Buffer.from(await out.save());
}
