import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** 行政复议 / 行政诉讼 against a case (statute §7): feeds table 四 of the annual report. */
@Entity({ name: 'reviews' })
@Index('ix_reviews_agency_filed', ['agencyId', 'filedOn'])
export class ReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_reviews_case')
  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 40 })
  kind: 'reconsideration' | 'litigation_direct' | 'litigation_after_reconsideration';

  @Column({ name: 'filed_on', type: 'date' })
  filedOn: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  result: 'upheld' | 'corrected' | 'other' | 'pending';

  @Column({ name: 'concluded_on', type: 'date', nullable: true })
  concludedOn: string | null;

  @Column({ name: 'decision_received_on', type: 'date', nullable: true })
  decisionReceivedOn: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
