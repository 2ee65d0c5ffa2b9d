import fc from 'fast-check';
import { compareBoardKeys, mergeBoardPage, parseBoardCursor, type BoardKey } from './board-page';

const day = fc.integer({ min: 0, max: 40 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86400000).toISOString().slice(0, 10));

/** Distinct seqs split at random between running (clock runs) and paused entries. */
const boardArb = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 40 }).chain((seqs) =>
  fc.tuple(fc.array(day, { minLength: seqs.length, maxLength: seqs.length }), fc.array(fc.boolean(), { minLength: seqs.length, maxLength: seqs.length })).map(([dues, isPaused]) => {
    const all = seqs.map((s, i) => ({ due: dues[i], seq: String(s), paused: isPaused[i] }));
    return { running: all.filter((x) => !x.paused), paused: all.filter((x) => x.paused) };
  }),
);

describe('mergeBoardPage', () => {
  it('paging through with any limit yields every entry once, in board order', () => {
    fc.assert(
      fc.property(boardArb, fc.integer({ min: 1, max: 7 }), ({ running, paused }, limit) => {
        const expected = [...running, ...paused].sort(compareBoardKeys);
        const seen: BoardKey[] = [];
        let cursor: BoardKey | null = null;
        for (let round = 0; round <= expected.length + 1; round++) {
          // the keyset query: the first limit + 1 running entries after the cursor, in order
          const fromQuery = [...running].sort(compareBoardKeys).filter((r) => !cursor || compareBoardKeys(r, cursor) > 0).slice(0, limit + 1);
          const { page, nextCursor } = mergeBoardPage(fromQuery, [...paused].reverse(), cursor, limit);
          seen.push(...page);
          if (!nextCursor) break;
          expect(page).toHaveLength(limit);
          cursor = parseBoardCursor(nextCursor);
        }
        expect(seen.map((k) => k.seq)).toEqual(expected.map((k) => k.seq));
      }),
      { numRuns: 300, seed: 1620 },
    );
  });

  it('orders by deadline, then by creation order as numbers (seq 9 before 10)', () => {
    const { page } = mergeBoardPage([{ due: '2025-01-02', seq: '10' }], [{ due: '2025-01-02', seq: '9' }, { due: '2025-01-01', seq: '11' }], null, 5);
    expect(page.map((k) => k.seq)).toEqual(['11', '9', '10']);
  });
});
