import PDFDocument from 'pdfkit';
import { DEFAULT_FONT_FILES } from '../letters/rendering/fonts';

/** A one-page PDF of these lines (the first as its heading), in the letters' Chinese sans face: a demo city's file. */
export function demoDocumentPdf(lines: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: lines[0] ?? '', Producer: 'demo city' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font(require.resolve(DEFAULT_FONT_FILES.sansRegular));
    lines.forEach((line, i) => doc.fontSize(i === 0 ? 16 : 12).text(line, { paragraphGap: 8 }));
    doc.end();
  });
}
