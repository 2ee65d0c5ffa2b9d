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
