import fc from 'fast-check';
import { FEE_TARIFF_WORDING, feeFor, MAX_PAGES, paymentMatchesNotice, perItemBand, perItemFee, perPageBreakdown, perPageFee, quoteFee } from './fee-tariff';

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

describe('the quote (收费测算)', () => {
  it('per item at every band edge: 10/11, 30/31, 40/41', () => {
    const edges: [number, number, { from: number; to: number | null; yuan: number }][] = [
      [10, 0, { from: 1, to: 10, yuan: 0 }],
      [11, 100, { from: 11, to: 30, yuan: 100 }],
      [30, 100, { from: 11, to: 30, yuan: 100 }],
      [31, 200, { from: 31, to: 40, yuan: 200 }],
      [40, 200, { from: 31, to: 40, yuan: 200 }],
      [41, 300, { from: 41, to: 50, yuan: 300 }],
    ];
    for (const [position, amount, band] of edges) {
      expect([position, quoteFee({ tariff: 'per_item', position })]).toEqual([position, { tariff: 'per_item', amount, position, pages: null, band, breakdown: [], wording: FEE_TARIFF_WORDING.per_item }]);
    }
  });

  it('per page at every band edge: 30/31, 100/101, 200/201', () => {
    const edges: [number, number, number | null][] = [
      [0, 0, null],
      [30, 0, 1],
      [31, 10, 31],
      [100, 700, 31],
      [101, 720, 101],
      [200, 2700, 101],
      [201, 2740, 201],
    ];
    for (const [pages, amount, bandFrom] of edges) {
      const q = quoteFee({ tariff: 'per_page', pages });
      expect([pages, q.amount, q.band?.from ?? null]).toEqual([pages, amount, bandFrom]);
      expect(q.breakdown.reduce((s, b) => s + b.amount, 0)).toBe(amount);
      expect(q.breakdown.reduce((s, b) => s + b.pages, 0)).toBe(pages);
    }
    expect(quoteFee({ tariff: 'per_page', pages: 150 }).breakdown).toEqual([
      { from: 1, to: 30, yuan: 0, pages: 30, amount: 0 },
      { from: 31, to: 100, yuan: 10, pages: 70, amount: 700 },
      { from: 101, to: 200, yuan: 20, pages: 50, amount: 1000 },
    ]);
  });

  it('property: the band contains the position; the breakdown adds up to the fee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const b = perItemBand(n);
        return b.from <= n && (b.to === null || n <= b.to) && b.yuan === perItemFee(n) && perItemBand(b.from).from === b.from;
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PAGES }), (p) => {
        const br = perPageBreakdown(p);
        return br.reduce((s, b) => s + b.amount, 0) === perPageFee(p) && br.reduce((s, b) => s + b.pages, 0) === p;
      }),
    );
  });

  it('refuses bad input', () => {
    expect(() => quoteFee({ tariff: 'per_page', pages: -1 })).toThrow(RangeError);
    expect(() => quoteFee({ tariff: 'per_page', pages: MAX_PAGES + 1 })).toThrow(RangeError);
    expect(() => quoteFee({ tariff: 'per_page' })).toThrow(RangeError);
    expect(() => quoteFee({ tariff: 'per_item', position: 0 })).toThrow(RangeError);
    expect(() => quoteFee({ tariff: 'per_item' })).toThrow(RangeError);
    expect(() => quoteFee({ tariff: 'by_weight' as never, pages: 1 })).toThrow(RangeError);
  });

  it('a payment matches the notice to the fen', () => {
    expect(paymentMatchesNotice(1700, 1700)).toBe(true);
    expect(paymentMatchesNotice(1700.0, 1700)).toBe(true);
    expect(paymentMatchesNotice(1699.99, 1700)).toBe(false);
    expect(paymentMatchesNotice(0.1 + 0.2, 0.3)).toBe(true);
    expect(paymentMatchesNotice(Number.NaN, 0)).toBe(false);
  });
});
