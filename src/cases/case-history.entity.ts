import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The append-only case history: a trigger rejects UPDATE and DELETE. */
@Entity({ name: 'case_history' })
@Index('ix_case_history_case', ['caseId', 'id'])
export class CaseHistoryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  /** when it was recorded */
  @Column({ type: 'timestamptz' })
  at: Date;

  /** the day the thing happened (the action's `on`) */
  @Column({ type: 'date', nullable: true })
  on: string | null;

  /** null for the system (calendar reloads) and the portal */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ name: 'from_state', type: 'varchar', length: 24, nullable: true })
  fromState: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 24, nullable: true })
  toState: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>;

  /** recorded more than one working day after `on`: flagged for supervisors and auditors */
  @Column({ name: 'recorded_late', type: 'boolean', default: false })
  recordedLate: boolean;

  @Column({ name: 'version_after', type: 'int', nullable: true })
  versionAfter: number | null;
}
