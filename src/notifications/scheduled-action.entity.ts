import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { ACTION_KINDS, type ActionKind, type Audience } from '../statute/reminder-rules';

export { ACTION_KINDS, type ActionKind, type Audience };

export type ActionStatus = 'pending' | 'sent' | 'cancelled' | 'failed';

/**
 * A reminder, escalation or digest to send: the truth lives here, in PostgreSQL. BullMQ jobs
 * carry only `{ actionId, attempt }` and are rebuilt by the sweep if Redis loses them.
 */
@Entity({ name: 'scheduled_actions' })
@Index('ix_scheduled_actions_due', ['status', 'dueAt'])
@Index('ix_scheduled_actions_case', ['caseId', 'status'])
export class ScheduledActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** what makes the action unique (kind, case, the date it is about): planned once, sent once */
  @Index('uq_scheduled_actions_key', { unique: true })
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 32 })
  kind: ActionKind;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: ActionStatus;

  /** BullMQ job id is `${id}-${attempt}`: bumped whenever the sweep enqueues again */
  @Column({ type: 'int', default: 0 })
  attempt: number;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** facts for the message that are not personal data (dates, counts) */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  /** user ids the mail went to */
  @Column({ type: 'uuid', array: true, nullable: true })
  recipients: string[] | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'message_id', type: 'varchar', length: 200, nullable: true })
  messageId: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
