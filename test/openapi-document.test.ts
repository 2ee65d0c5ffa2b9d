/**
 * The OpenAPI document as a contract a client can be generated from: every schema compiles in ajv's strict mode,
 * no property lost its type, every operation documents its success body and the error body, sign-in is documented
 * exactly where the service asks for it, If-Match only where it means something. (Every answer of every test is
 * also checked against this document: test/support/openapi-check.ts.)
 */
import { randomUUID } from 'node:crypto';
import { makeAjv, toJsonSchema, type OpenApiDocument } from './support/openapi-check';
import { createTestApp, type TestApp } from './support/test-app';

type Json = Record<string, any>;  
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument & Json;
  const ops: { method: string; path: string; op: Json }[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    const r = await t.http().get('/api/docs-json');
    doc = r.body;
    for (const [path, item] of Object.entries(doc.paths)) for (const m of METHODS) if (item[m]) ops.push({ method: m, path, op: item[m] as Json });
  }, 120_000);
  afterAll(async () => t?.close());

  it('compiles in ajv strict mode, every schema', () => {
    const ajv = makeAjv(doc);
    for (const name of Object.keys(doc.components!.schemas!)) expect(() => ajv.getSchema(`openapi.json#/definitions/${name}`)).not.toThrow();
    for (const { op } of ops) for (const r of Object.values(op.responses as Json)) for (const c of Object.values((r.content ?? {}) as Json)) ajv.compile(toJsonSchema(c.schema, true) as Json);
  });

  it('types every property: no bare object standing for a string, number or null', () => {
    const bare: string[] = [];
    const walk = (s: unknown, at: string) => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}/${i}`));
      if (!s || typeof s !== 'object') return;
      const o = s as Json;
      if (o.type === 'object' && !o.properties && o.additionalProperties === undefined && !o.allOf) bare.push(at);
      if (o.type === 'array' && !o.items) bare.push(at);
      for (const [k, v] of Object.entries(o)) if (k !== 'example') walk(v, `${at}/${k}`);
    };
    walk(doc.components, '#/components');
    walk(doc.paths, '#/paths');
    expect(bare).toEqual([]);
  });

  it('documents a success answer with its body for every operation, and lists as { items, nextCursor }', () => {
    const missing: string[] = [];
    for (const { method, path, op } of ops) {
      const ok = Object.entries(op.responses as Json).filter(([s]) => s.startsWith('2'));
      if (!ok.length) missing.push(`${method} ${path}: no success answer`);
      for (const [s, r] of ok) if (s !== '204' && !r.content) missing.push(`${method} ${path} ${s}: no body schema`);
    }
    expect(missing).toEqual([]);
    for (const path of ['/api/v1/agencies', '/api/v1/users', '/api/v1/cases']) {
      const ref = doc.paths[path].get.responses['200'].content!['application/json'].schema!.$ref as string;
      const schema = doc.components!.schemas![ref.split('/').pop()!] as Json;
      expect(schema.required).toEqual(expect.arrayContaining(['items', 'nextCursor']));
      expect(schema.properties.items.type).toBe('array');
    }
  });

  it('documents the error body on every error answer, 401 on every secured operation, 503 on every API operation', () => {
    const wrong: string[] = [];
    for (const { method, path, op } of ops) {
      for (const [s, r] of Object.entries(op.responses as Json)) {
        if (Number(s) >= 400 && r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody') wrong.push(`${method} ${path} ${s}`);
      }
      if (op.security?.length && !op.responses['401']) wrong.push(`${method} ${path}: secured without 401`);
      if (path.startsWith('/api/v1/') && !op.responses['503']) wrong.push(`${method} ${path}: no 503`);
    }
    expect(wrong).toEqual([]);
  });

  it('says If-Match only on case actions, and that an action needs expectedVersion', () => {
    const action = /^\/api\/v1\/cases\/\{id\}\/(?!history$|letters$|attachments|reveal-identity$)[a-z-]+$/;
    for (const { method, path, op } of ops) {
      const ifMatch = (op.parameters ?? []).some((p: Json) => p.in === 'header' && p.name.toLowerCase() === 'if-match');
      expect({ op: `${method} ${path}`, ifMatch }).toEqual({ op: `${method} ${path}`, ifMatch: method === 'post' && action.test(path) });
      if (method === 'post' && action.test(path)) {
        const ref = op.requestBody.content['application/json'].schema.$ref as string;
        expect({ op: path, required: (doc.components!.schemas![ref.split('/').pop()!] as Json).required ?? [] }).toEqual({ op: path, required: expect.arrayContaining(['expectedVersion']) });
      }
    }
  });

  it('asks for sign-in exactly where the service does: anonymous calls answer 401 on secured operations only', async () => {
    const wrong: string[] = [];
    for (const { method, path, op } of ops) {
      if (!path.startsWith('/api/v1/')) continue;
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const req = t.http()[method as 'get'](url);
      const r = method === 'get' ? await req : await req.send({});
      const secured = (op.security ?? []).length > 0;
      if (secured !== (r.status === 401)) wrong.push(`${method} ${path}: documented ${secured ? 'secured' : 'public'}, answered ${r.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
