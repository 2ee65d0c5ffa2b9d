import fc from 'fast-check';
import { jsonDepthExceeds, MAX_JSON_DEPTH, RouteTable } from './request-limits';

/** The nesting depth of a parsed value, counted as the scanner counts it. */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('jsonDepthExceeds', () => {
  it('agrees with the depth of the parsed value, on text and on UTF-8 bytes, for any JSON (odd strings and keys included)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 8 }), (v, limit) => {
        const text = JSON.stringify(v);
        const want = depthOf(JSON.parse(text)) > limit;
        return jsonDepthExceeds(text, limit) === want && jsonDepthExceeds(Buffer.from(text, 'utf8'), limit) === want;
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts at the limit, and counts no bracket inside a string (escaped quotes included)', () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(jsonDepthExceeds(nest(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nest(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(`["${'['.repeat(1000)}"]`)).toBe(false);
    expect(jsonDepthExceeds(`["\\"${'{'.repeat(1000)}"]`)).toBe(false);
    expect(jsonDepthExceeds(`["\\\\"${'['.repeat(MAX_JSON_DEPTH)}`)).toBe(true);
  });
});

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('GET', '/api/v1/cases');
  table.add(['POST'], '/api/v1/cases');
  table.add('GET', '/api/v1/cases/:id');
  table.add('POST', '/api/v1/cases/:id/assign');
  table.add('PATCH', '/api/v1/agencies/:id');
  table.add('GET', '/api/docs/*');
  table.add('OPTIONS', '*');

  it('names the methods of every route a path matches, parameters and wildcards included', () => {
    expect(table.allowed('/api/v1/cases')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/api/v1/cases/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/api/v1/cases?limit=5')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/api/v1/cases/abc')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/api/v1/cases/abc/assign')).toEqual(['POST']);
    expect(table.allowed('/api/v1/agencies/x')).toEqual(['PATCH']);
    expect(table.allowed('/api/docs/swagger.css')).toEqual(['GET', 'HEAD']);
  });

  it('names none for a path no route has (the catch-all OPTIONS of CORS does not count)', () => {
    expect(table.allowed('/api/v1/nothing')).toEqual([]);
    expect(table.allowed('/api/v1/cases/abc/unknown')).toEqual([]);
    expect(table.allowed('/')).toEqual([]);
  });
});
