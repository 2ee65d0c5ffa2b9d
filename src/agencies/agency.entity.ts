import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ReminderRules } from '../statute/reminder-rules';
import type { Art35Thresholds } from '../statute/art35';

export type { ReminderRules };

/** Letter-number prefixes per series (发文字号 {prefix}〔{year}〕{n}号): one for all replies, one per process notice. */
export type LetterPrefixes = Record<string, string>;


/** An agency (机关): the city government, its departments, its districts, as a tree. */
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index('uq_agencies_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  /** Materialised path of ids from the root, '/'-separated, ending with '/': scoping by prefix. */
  @Index('ix_agencies_path')
  @Column({ type: 'text' })
  path: string;

  /** 行政复议机关: the body named in the remedies sentence of letters (Art 51; 行政复议法 Art 24, 27). */
  @Column({ name: 'reconsideration_body', type: 'varchar', length: 100, nullable: true })
  reconsiderationBody: string | null;

  /** 管辖法院: the court named in letters. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  court: string | null;

  @Column({ name: 'letter_prefixes', type: 'jsonb', default: () => "'{}'" })
  letterPrefixes: LetterPrefixes;

  /** The applicant's correction period (补正期限) in working days; Art 30 "reasonable period". */
  @Column({ name: 'correction_period_days', type: 'int', default: 15 })
  correctionPeriodDays: number;

  /** How many supervisor sign-off steps a reply needs. */
  @Column({ name: 'approval_steps', type: 'int', default: 1 })
  approvalSteps: number;

  /** The names of the sign-off steps (e.g. 科室负责人审核, 分管领导签发), recorded on each reply. */
  @Column({ name: 'approval_step_names', type: 'jsonb', default: () => "'[]'" })
  approvalStepNames: string[];

  @Column({ name: 'reminder_rules', type: 'jsonb', nullable: true })
  reminderRules: ReminderRules | null;

  /** Art 35: when intake flags an applicant (null: the defaults) */
  @Column({ name: 'art35_thresholds', type: 'jsonb', nullable: true })
  art35Thresholds: Art35Thresholds | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
