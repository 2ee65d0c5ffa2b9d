/**
 * Agency overrides of the letter templates over HTTP: listed, read, saved as new versions (never edited),
 * validated on save (each refusal with its code and nothing written), previewed as a PDF read back, scoped to
 * administrators; the service tells the letters which version is in force.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LetterTemplatesService } from '../src/letters/templates/letter-templates.service';
import { getTemplate } from '../src/letters/rendering/template-catalogue';
import { bearer, createTestApp, seedOrg, type Person, type TestApp, type TestOrg } from './support/test-app';

const CODE = 'reply.withheld.process_info';

describe('letter templates: agency overrides', () => {
  let t: TestApp;
  let org: TestOrg;
  let P: Record<string, Person>;
  const dir = mkdtempSync(join(tmpdir(), 'tpl-'));

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedOrg(t);
    P = org.people;
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  const base = (agencyId: string) => `/api/v1/agencies/${agencyId}/letter-templates`;
  const rows = async () => Number((await t.ds.query(`SELECT count(*)::int AS n FROM letter_template_overrides`))[0].n);
  const pdfText = (pdf: Buffer): string => {
    const f = join(dir, `p${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(f, pdf);
    const out = JSON.parse(execFileSync(process.execPath, [resolve(__dirname, 'support/pdf-text.mjs'), f]).toString()) as { pages: { items: { str: string }[] }[] }[];
    return out[0].pages.flatMap((p) => p.items.map((i) => i.str)).join('');
  };
  const binary = (req: import('supertest').Test) =>
    req.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

  it('lists every template with the built-in version 0 and reads one', async () => {
    const list = await t.http().get(base(org.dept)).set(bearer(P.admin));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(31);
    const item = list.body.items.find((i: { code: string }) => i.code === CODE);
    expect(item).toEqual({ code: CODE, title: '政府信息公开申请答复书', version: 0, requires: ['receiptDate', 'channel', 'subject', 'withheld', 'reasons'], optional: [], requiredParts: ['citation', 'remedies'], savedAt: null });
    const one = await t.http().get(`${base(org.dept)}/${CODE}`).set(bearer(P.admin));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ code: CODE, version: 0, savedBy: null, source: getTemplate(CODE).source, builtInSource: getTemplate(CODE).source });
  });

  it('saves a new text as a new version each time, never editing the old one; the letters get the version in force', async () => {
    const text1 = getTemplate(CODE).source.replace('经审查，', '经本局审查，');
    const s1 = await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P.admin)).send({ source: text1 });
    expect(s1.status).toBe(201);
    expect(s1.body).toMatchObject({ code: CODE, version: 1, source: text1, savedBy: P.admin.id });
    const text2 = text1.replace('具体如下', '不予公开的内容如下');
    const s2 = await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P.admin)).send({ source: text2 });
    expect(s2.body.version).toBe(2);
    expect((await t.http().get(`${base(org.dept)}/${CODE}`).set(bearer(P.admin))).body).toMatchObject({ version: 2, source: text2 });
    // another agency still has the built-in text
    expect((await t.http().get(`${base(org.city)}/${CODE}`).set(bearer(P.admin))).body.version).toBe(0);
    const svc = t.app.get(LetterTemplatesService);
    expect(await svc.inForce(org.dept, CODE)).toEqual({ code: CODE, version: 2, source: text2 });
    expect(await svc.sourceOf(org.dept, CODE, 1)).toBe(text1);
    expect(await svc.inForce(org.city, CODE)).toEqual({ code: CODE, version: 0, source: null });
    // insert-only
    await expect(t.ds.query(`UPDATE letter_template_overrides SET source = 'x'`)).rejects.toThrow(/insert-only/);
    await expect(t.ds.query(`DELETE FROM letter_template_overrides`)).rejects.toThrow(/insert-only/);
  });

  it('refuses a bad text with its reason on the field source, and writes nothing', async () => {
    const before = await rows();
    const builtin = getTemplate(CODE).source;
    const cases: [string, RegExp][] = [
      ['{{#if reasons}}未闭合', /语法错误/],
      [builtin + '{{idNumber}}', /未声明的变量 idNumber/],
      [builtin.replace('{{> remedies}}', ''), /救济途径/],
      [builtin.replace('{{citation}}', '有关规定'), /所依据的条款/],
    ];
    for (const [source, message] of cases) {
      const r = await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P.admin)).send({ source });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.details.fields[0]).toEqual({ field: 'source', message: expect.stringMatching(message) });
    }
    const empty = await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P.admin)).send({ source: '' });
    expect(empty.status).toBe(400);
    const extra = await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P.admin)).send({ source: builtin, version: 7 });
    expect(extra.status).toBe(400);
    expect(await rows()).toBe(before);
  });

  it('answers 404 for an unknown template or agency, 403 to anyone but an administrator', async () => {
    expect((await t.http().get(`${base(org.dept)}/reply.nonsense`).set(bearer(P.admin))).status).toBe(404);
    expect((await t.http().post(`${base(org.dept)}/reply.nonsense/versions`).set(bearer(P.admin)).send({ source: 'x' })).status).toBe(404);
    expect((await t.http().get(base('00000000-0000-4000-8000-000000000000')).set(bearer(P.admin))).status).toBe(404);
    for (const who of ['dept.supervisor', 'dept.clerk', 'dept.auditor']) {
      expect((await t.http().get(base(org.dept)).set(bearer(P[who]))).status).toBe(403);
      expect((await t.http().post(`${base(org.dept)}/${CODE}/versions`).set(bearer(P[who])).send({ source: getTemplate(CODE).source })).status).toBe(403);
    }
    expect((await t.http().get(base(org.dept))).status).toBe(401);
  });

  it('previews a text, or the version in force, as a PDF with sample facts and the agency’s own name, body and court', async () => {
    const text = getTemplate('reply.granted').source.replace('本机关予以公开', '本局予以公开（预览）');
    const r = await binary(t.http().post(`${base(org.dept)}/reply.granted/preview`).set(bearer(P.admin)).send({ source: text }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/pdf/);
    const pdf = r.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const words = pdfText(pdf);
    expect(words).toContain('本局予以公开（预览）');
    expect(words).toContain('测试市教育局');
    expect(words).toContain('测试区人民法院');
    // nothing saved by a preview
    expect((await t.http().get(`${base(org.dept)}/reply.granted`).set(bearer(P.admin))).body.version).toBe(0);
    const current = await binary(t.http().post(`${base(org.dept)}/${CODE}/preview`).set(bearer(P.admin)).send({}));
    expect(current.status).toBe(200);
    expect(pdfText(current.body as Buffer)).toContain('不予公开的内容如下');
    const bad = await t.http().post(`${base(org.dept)}/${CODE}/preview`).set(bearer(P.admin)).send({ source: '{{remedies' });
    expect(bad.status).toBe(400);
  }, 120_000);

  it('documents the routes in OpenAPI', async () => {
    const doc = await t.http().get('/api/docs-json');
    const p = doc.body.paths['/api/v1/agencies/{agencyId}/letter-templates/{code}/versions'].post;
    expect(p.responses['201'].content['application/json'].schema.$ref).toMatch(/LetterTemplateDto/);
    expect(Object.keys(p.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404']));
    expect(doc.body.paths['/api/v1/agencies/{agencyId}/letter-templates/{code}/preview'].post.responses['200'].content).toHaveProperty(['application/pdf']);
    expect(doc.body.components.schemas.LetterTemplateSummaryDto.properties.savedAt.nullable).toBe(true);
  });
});
