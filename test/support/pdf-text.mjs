// Reads PDFs back with pdfjs-dist (ESM, so run as a child process from the CommonJS tests):
//   node test/support/pdf-text.mjs a.pdf [b.pdf …]  →  JSON [{ pages: [{ width, height, items: [{ str, x, y, width, height, size, font }] }], fonts }]
// x, y: the item's origin (baseline start) in points from the page's bottom left, as in the PDF.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const out = [];
for (const file of process.argv.slice(2)) {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  const fonts = new Set();
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const [x0, y0, x1, y1] = page.view;
    const content = await page.getTextContent();
    const items = content.items
      .filter((i) => 'str' in i && i.str.length > 0)
      .map((i) => {
        const style = content.styles[i.fontName];
        if (style) fonts.add(style.fontFamily);
        return { str: i.str, x: i.transform[4], y: i.transform[5], width: i.width, height: i.height, size: Math.hypot(i.transform[2], i.transform[3]), font: i.fontName };
      });
    pages.push({ width: x1 - x0, height: y1 - y0, items });
  }
  out.push({ pages, fonts: [...fonts] });
  await doc.destroy();
}
process.stdout.write(JSON.stringify(out));
