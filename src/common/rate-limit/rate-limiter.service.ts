import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { DomainError } from '../errors/domain-error';
import { RateLimitsRepository } from './rate-limits.repository';

/**
 * Fixed-window counters in PostgreSQL, shared by every API process. `hit` counts
 * and throws 429 RATE_LIMITED with Retry-After when the window is full.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly counters: RateLimitsRepository,
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
    if ((await this.counters.increment(key, start)) > limit) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
  }

  /** Throw if the window already holds `limit` events (without counting). */
  async check(key: string, limit: number, windowSeconds: number, message?: string): Promise<void> {
    const { start, retryAfter } = this.window(windowSeconds);
    if ((await this.counters.countIn(key, start)) >= limit) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: retryAfter });
  }

  async reset(key: string): Promise<void> {
    await this.counters.deleteKey(key);
  }

  /** Old windows are worthless: called by the maintenance sweep. */
  async purgeBefore(before: Date): Promise<void> {
    await this.counters.deleteWindowsBefore(before);
  }
}
