import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditKind } from './audit-event.entity';

export interface AuditEvent {
  kind: AuditKind;
  userId?: string | null;
  clientAddress?: string | null;
  correlationId?: string | null;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(e: AuditEvent, manager: EntityManager | DataSource = this.ds): Promise<void> {
    await manager.query(`INSERT INTO audit_events (kind, user_id, client_address, correlation_id, details) VALUES ($1, $2, $3, $4, $5)`, [
      e.kind,
      e.userId ?? null,
      e.clientAddress?.slice(0, 64) ?? null,
      e.correlationId?.slice(0, 64) ?? null,
      e.details ?? {},
    ]);
  }

  /** Deletes the events older than `days` (the trigger refuses any younger than 184 days); how many went. */
  async purgeOlderThan(days: number): Promise<number> {
    const [, count]: [unknown, number] = await this.ds.query(`DELETE FROM audit_events WHERE occurred_at < now() - make_interval(days => $1)`, [days]);
    return count;
  }
}
