import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The `rate_limits` table: one counter per key and fixed window. */
@Injectable()
export class RateLimitsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Counts one event in the window; the window's count after it. */
  async increment(key: string, windowStart: Date): Promise<number> {
    const rows = await this.ds.query<{ count: number }[]>(
      `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
      [key, windowStart],
    );
    return rows[0].count;
  }

  /** The window's count, 0 when nothing happened in it. */
  async countIn(key: string, windowStart: Date): Promise<number> {
    const rows = await this.ds.query<{ count: number }[]>(`SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2`, [key, windowStart]);
    return rows[0]?.count ?? 0;
  }

  async deleteKey(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM rate_limits WHERE key = $1`, [key]);
  }

  async deleteWindowsBefore(before: Date): Promise<void> {
    await this.ds.query(`DELETE FROM rate_limits WHERE window_start < $1`, [before]);
  }
}
