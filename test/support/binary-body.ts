/** supertest collects a binary body (a PDF, a stored file) as a Buffer with this parser: `.buffer(true).parse(binaryBody as never)` */
export const binaryBody = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
