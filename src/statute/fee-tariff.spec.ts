import fc from 'fast-check';
import { feeFor, perItemFee, perPageFee } from './fee-tariff';

describe('per item (按件计收)', () => {
  it('follows fees.md', () => {
    expect(perItemFee(35)).toBe(200); // the worked example
    const table: [number, number][] = [
      [1, 0],
      [10, 0],
      [11, 100],
      [30, 100],
      [31, 200],
      [40, 200],
      [41, 300],
      [50, 300],
      [51, 400],
      [101, 900],
    ];
    for (const [nth, fee] of table) expect([nth, perItemFee(nth)]).toEqual([nth, fee]);
  });

  it('is free for the first 10, in whole hundreds, monotonic, and rises by 100 at each band of 10 from the 31st', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const f = perItemFee(n);
        const g = perItemFee(n + 1);
        if (n <= 10 && f !== 0) return false;
        if (f % 100 !== 0 || g < f) return false;
        const stepsUp = n === 10 || (n >= 30 && (n - 30) % 10 === 0);
        return g - f === (stepsUp ? 100 : 0);
      }),
    );
  });

  it('refuses a rank below 1 or not an integer', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity]) expect(() => perItemFee(bad)).toThrow(RangeError);
  });
});

describe('per page (按量计收)', () => {
  it('follows fees.md', () => {
    expect(perPageFee(150)).toBe(1700); // 70 × 10 + 50 × 20
    const table: [number, number][] = [
      [0, 0],
      [1, 0],
      [30, 0],
      [31, 10],
      [100, 700],
      [101, 720],
      [200, 2700],
      [201, 2740],
      [250, 4700],
    ];
    for (const [pages, fee] of table) expect([pages, perPageFee(pages)]).toEqual([pages, fee]);
  });

  /** Marginal rate of page p, from the text of fees.md. */
  const rate = (p: number): number => (p <= 30 ? 0 : p <= 100 ? 10 : p <= 200 ? 20 : 40);

  it('charges each extra page at its band rate (progressive over the excess)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => perPageFee(n + 1) - perPageFee(n) === rate(n + 1)));
  });

  it('is free up to 30 pages, monotonic and convex', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), (n) => perPageFee(n) === 0));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return perPageFee(lo) <= perPageFee(hi);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        return perPageFee(n + 2) - perPageFee(n + 1) >= perPageFee(n + 1) - perPageFee(n);
      }),
    );
  });

  it('equals a closed form above 200 pages', () => {
    fc.assert(fc.property(fc.integer({ min: 200, max: 1_000_000 }), (n) => perPageFee(n) === 2700 + 40 * (n - 200)));
  });

  it('refuses negative or fractional pages', () => {
    for (const bad of [-1, 2.5, NaN]) expect(() => perPageFee(bad)).toThrow(RangeError);
  });
});

describe('feeFor', () => {
  it('applies the chosen tariff', () => {
    expect(feeFor({ tariff: 'per_item', nth: 35 })).toBe(200);
    expect(feeFor({ tariff: 'per_page', pages: 150 })).toBe(1700);
    expect(feeFor({ tariff: 'per_page', pages: 150, nth: 35 })).toBe(1700);
  });

  it('needs the input of its tariff', () => {
    expect(() => feeFor({ tariff: 'per_item', pages: 3 })).toThrow(RangeError);
    expect(() => feeFor({ tariff: 'per_page', nth: 3 })).toThrow(RangeError);
    expect(() => feeFor({ tariff: 'per_word' as never, nth: 3 })).toThrow(RangeError);
  });
});
