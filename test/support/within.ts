/**
 * The promise's value, or `late` once `ms` have passed without it: a hang detector for tests. Its timer is
 * cleared either way, so a test file leaves no timer behind to hold its Jest worker.
 */
export async function within<T, L>(p: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<L>((r) => { timer = setTimeout(() => r(late), ms); });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
