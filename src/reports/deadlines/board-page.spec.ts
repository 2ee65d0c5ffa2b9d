import fc from 'fast-check';
import { computeReplyClock } from '../../statute/reply-clock';
import { officialCalendar } from '../../statute/working-calendar';
import { compareBoardKeys, mergeBoardPage, parseBoardCursor, pausedReceiptCutoff, type BoardKey } from './board-page';

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

describe('pausedReceiptCutoff', () => {
  const cal = officialCalendar();
  const d = (base: string, n: number) => {
    const x = new Date(`${base}T00:00:00Z`);
    x.setUTCDate(x.getUTCDate() + n);
    return x.toISOString().slice(0, 10);
  };

  it('leaves out only paused cases whose resumed deadline is beyond the horizon', () => {
    const seen = { kept: 0, left: 0 };
    fc.assert(
      fc.property(
        fc.record({
          receiptAgo: fc.integer({ min: 0, max: 60 }),
          correction: fc.option(fc.integer({ min: 0, max: 20 })),
          closed: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })), { maxLength: 3 }),
          openAfter: fc.integer({ min: 0, max: 60 }),
          extension: fc.integer({ min: 0, max: 20 }),
          within: fc.integer({ min: 0, max: 60 }),
          today: fc.integer({ min: 0, max: 700 }).map((n) => d('2024-01-01', n)),
        }),
        (x) => {
          const receipt = d(x.today, -x.receiptAgo);
          const corr = x.correction === null ? null : d(receipt, x.correction);
          const start = corr ?? receipt;
          const open = d(start, x.openAfter);
          if (open > x.today || (corr !== null && corr > x.today)) return;
          const pauses = [...x.closed.map(([a, len]) => ({ kind: 'third_party' as const, from: d(start, a), to: d(start, a + len) })).filter((p) => p.to < open), { kind: 'other_agency' as const, from: open, to: null }];
          const s = computeReplyClock({ receiptDate: receipt, correctionReceivedOn: corr, pauses, extensionDays: x.extension }, cal, x.today);
          if (!s.paused) return; // the pause began after the deadline: the case is among the running ones
          const horizon = x.within === 0 ? x.today : cal.addWorkingDays(x.today, x.within).date;
          const onBoard = s.dueIfResumedToday! <= horizon;
          const cutoff = pausedReceiptCutoff(x.today, x.within);
          if (onBoard) expect(cutoff === null || receipt <= cutoff).toBe(true);
          if (cutoff !== null && onBoard) seen.kept++;
          if (cutoff !== null && receipt > cutoff) seen.left++;
        },
      ),
      { numRuns: 2000, seed: 1621 },
    );
    // the property was not vacuous: cases near the horizon were kept, recent ones left out
    expect(seen.kept).toBeGreaterThan(20);
    expect(seen.left).toBeGreaterThan(20);
  });

  it('no cutoff once the horizon reaches the whole period', () => {
    expect(pausedReceiptCutoff('2025-01-15', 20)).toBeNull();
    expect(pausedReceiptCutoff('2025-01-15', 5)).toBe('2024-12-31');
  });
});
