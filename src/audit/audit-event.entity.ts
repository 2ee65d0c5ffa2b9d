import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What the audit trail records. */
export const AUDIT_KINDS = ['sign_in', 'sign_in_failed', 'refresh_token_reuse', 'authorization_failed', 'identity_reveal'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * One security event, append-only: a trigger refuses every UPDATE and TRUNCATE, and any DELETE of a row younger
 * than the legal six months (184 days); the daily purge deletes rows older than AUDIT_RETENTION_DAYS. Times are
 * the database's own (`now()`), as the trigger's. No personal data beyond the user id and the client address.
 */
@Entity('audit_events')
@Index('ix_audit_events_occurred_at', ['occurredAt'])
@Index('ix_audit_events_user', ['userId', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 32 })
  kind: AuditKind;

  /** the user concerned (the one signed in, or whose name a failed sign-in gave), null when unknown */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;

  @Column({ name: 'correlation_id', type: 'varchar', length: 64, nullable: true })
  correlationId: string | null;

  /** ids and codes only: the session, the case, the route, the reason of a refusal */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
