/**
 * Idle pooled connections live a minute, and a few stay open. Opening or closing a batch of PostgreSQL
 * backends at once stalled every request for about half a second on a 2-core machine; with pg-pool's
 * default (close after 10 s idle) each burst of load was followed by such a stall, and the next burst
 * by another while the connections were opened again (BENCHMARKS.md: intake p99 at 100/s went from
 * 500–700 ms to under 70 ms).
 */
export function poolTiming(poolSize: number): { idleTimeoutMillis: number; min: number } {
  return { idleTimeoutMillis: 60_000, min: Math.min(4, poolSize) };
}
