import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Fixed-window counters shared by every process (login throttling, portal intake). */
@Entity({ name: 'rate_limits' })
export class RateLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'int', default: 0 })
  count: number;
}
