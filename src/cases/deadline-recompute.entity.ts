import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The progress of recomputing open cases' deadlines after a calendar year was loaded, kept in the database so
 * that a run cut short (Redis wiped, every worker stopped) is resumed where it stopped by the next worker's timer.
 */
@Entity({ name: 'deadline_recomputes' })
export class DeadlineRecomputeEntity {
  /** the calendar year whose loading asked for it */
  @PrimaryColumn({ type: 'int' })
  year: number;

  /** the run the queued batches belong to; a resumed run gets a new one */
  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  /** the last case id done (cases are taken in id order); null before the first batch */
  @Column({ name: 'after_id', type: 'uuid', nullable: true })
  afterId: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  /** the last batch's end (or the request): a run not done and not moved for a while is resumed */
  @Column({ name: 'progressed_at', type: 'timestamptz' })
  progressedAt: Date;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt: Date | null;
}
