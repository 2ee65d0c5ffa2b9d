import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { DomainError } from '../errors/domain-error';

/**
 * Fixed-window counters in PostgreSQL, shared by every API process. `hit` counts
 * and throws 429 RATE_LIMITED with Retry-After when the window is full.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  private window(windowSeconds: number): { start: Date; retryAfter: number } {
    const now = this.clock.now().getTime();
    const size = windowSeconds * 1000;
    const start = Math.floor(now / size) * size;
    return { start: new Date(start), retryAfter: Math.max(1, Math.ceil((start + size - now) / 1000)) };
  }

  /** Count one event; throw when more than `limit` happened in the window. */
  async hit(key: string, limit: number, windowSeconds: number, message?: string): Promise<void> {
    const { start, retryAfter } = this.window(windowSeconds);
    const rows: { count: number }[] = await this.ds.query(
      `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
      [key, start],
    );
    if (rows[0].count > limit) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
  }

  /** Throw if the window already holds `limit` events (without counting). */
  async check(key: string, limit: number, windowSeconds: number, message?: string): Promise<void> {
    const { start, retryAfter } = this.window(windowSeconds);
    const rows: { count: number }[] = await this.ds.query(`SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2`, [key, start]);
    if (rows[0] && rows[0].count >= limit) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
  }

  async reset(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM rate_limits WHERE key = $1`, [key]);
  }

  /** Old windows are worthless: called by the maintenance sweep. */
  async purgeBefore(before: Date): Promise<void> {
    await this.ds.query(`DELETE FROM rate_limits WHERE window_start < $1`, [before]);
  }
}
