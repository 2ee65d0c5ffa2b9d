/** A board entry's place: its deadline (for a paused case, the one it would have if resumed today), then creation order. */
export interface BoardKey {
  due: string;
  seq: string;
}

export function compareBoardKeys(a: BoardKey, b: BoardKey): number {
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  const x = BigInt(a.seq);
  const y = BigInt(b.seq);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function boardCursor(k: BoardKey): string {
  return `${k.due}.${k.seq}`;
}

export function parseBoardCursor(c: string): BoardKey {
  return { due: c.slice(0, 10), seq: c.slice(11) };
}

/**
 * One page of the board from two sources: `running`, the first `limit + 1` entries after the cursor in board order
 * (as the keyset query returns them), and `paused`, every paused entry (in any order). The page holds the first
 * `limit` entries after the cursor of both together; the next cursor is its last entry's when more follow.
 */
export function mergeBoardPage<T extends BoardKey>(running: readonly T[], paused: readonly T[], cursor: BoardKey | null, limit: number): { page: T[]; nextCursor: string | null } {
  const all = [...running, ...paused.filter((p) => !cursor || compareBoardKeys(p, cursor) > 0)].sort(compareBoardKeys);
  const page = all.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: all.length > limit && last ? boardCursor(last) : null };
}

/**
 * The latest receipt date a paused case (no Art 35 date) can have and still be due within `within` working days if
 * resumed today, or null when any can. Its days left are the period (20, more with an extension) less the working
 * days used before the pause began, which are at most the calendar days from receipt to today: a case received fewer
 * than 20 − within calendar days ago has more than `within` days left. Lets the board's query leave such cases out.
 */
export function pausedReceiptCutoff(today: string, within: number, periodDays = 20): string | null {
  const gap = periodDays - within;
  if (gap <= 0) return null;
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - gap);
  return d.toISOString().slice(0, 10);
}

/**
 * The fewest calendar days a paused case (no Art 35 date) must have run between receipt and the start of its open
 * consultation to be due within `within` working days if resumed today, or null when any can. Its days left are the
 * period less the working days used before the pause, and those are at most the calendar days from receipt (or the
 * later receipt of a correction) to the pause's start, which is no later than its earliest open consultation's.
 */
export function pausedMinDaysBeforePause(within: number, periodDays = 20): number | null {
  const gap = periodDays - within;
  return gap > 0 ? gap : null;
}
