import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ApplicantType, Channel, DeliveryMethod, InformationForm } from '../statute/intake';
import type { CaseState } from '../statute/case-states';
import type { OutcomeCode, OutcomeDetails } from '../statute/outcomes';
import type { Art35Flag, ReasonsRequest } from '../statute/art35';
import type { ForwardRecord } from '../statute/forwarding';

import type { Consultation, Correction, Delivery, Extension, FeeNotice, ReplyDraft } from '../statute/case-record';
export type { Consultation, Correction, Delivery, Extension, FeeNotice, ReplyDraft };

/**
 * A disclosure application (依申请公开) and its handling. The row is the aggregate: every
 * action rewrites it with compare-and-set on `version` and appends one history row.
 */
@Entity({ name: 'cases' })
@Index('ix_cases_agency_created', ['agencyId', 'createdAt'])
@Index('ix_cases_id_hash', ['applicantIdHash'])
@Index('ix_cases_due', ['dueDate'])
@Index('ix_cases_state', ['state'])
@Index('ix_cases_search_grams', { synchronize: false })
// the annual report's covering indexes (agency, date) INCLUDE (other date, applicant type, outcome), and fees (migration 1765700000000)
@Index('ix_cases_agency_receipt', { synchronize: false })
@Index('ix_cases_agency_concluded', { synchronize: false })
@Index('ix_cases_agency_fee', { synchronize: false })
@Index('ix_cases_agency_carried', { synchronize: false })
@Index('ix_cases_agency_concluded_clock', { synchronize: false })
// reports: the deadline board and the reply rate (migration 1765100000000, partial indexes)
@Index('ix_cases_board', { synchronize: false })
@Index('ix_cases_agency_computed_due', { synchronize: false })
@Index('ix_cases_board_due', { synchronize: false })
// the board's paused cases: by case_days_before_pause, and those with an Art 35 date (migration 1765900000000)
@Index('ix_cases_board_paused', { synchronize: false })
@Index('ix_cases_board_art35', { synchronize: false })
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** creation order, for keyset pagination */
  @Index('uq_cases_seq', { unique: true })
  @Column({ type: 'bigint', generated: 'increment', insert: false, update: false })
  seq: string;

  @Index('uq_cases_tracking_number', { unique: true })
  @Column({ name: 'tracking_number', type: 'varchar', length: 20 })
  trackingNumber: string;

  /** HMAC of the applicant's query code; the code itself is never stored. */
  @Column({ name: 'query_code_hash', type: 'char', length: 64 })
  queryCodeHash: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 24 })
  state: CaseState;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 20 })
  channel: Channel;

  /** portal submissions: when it was submitted (before a clerk confirms receipt) */
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /** Art 31 receipt date (收到申请之日), Asia/Shanghai calendar date */
  @Column({ name: 'receipt_date', type: 'date', nullable: true })
  receiptDate: string | null;

  // ---- the applicant (申请人) ----
  @Column({ name: 'applicant_type', type: 'varchar', length: 20 })
  applicantType: ApplicantType;

  @Column({ name: 'applicant_name', type: 'varchar', length: 100 })
  applicantName: string;

  @Column({ name: 'applicant_id_type', type: 'varchar', length: 20 })
  applicantIdType: string;

  /** AES-256-GCM ciphertext of the identity number */
  @Column({ name: 'applicant_id_enc', type: 'text' })
  applicantIdEnc: string;

  /** HMAC-SHA-256 of the identity number: matching the same applicant without decrypting */
  @Column({ name: 'applicant_id_hash', type: 'char', length: 64 })
  applicantIdHash: string;

  @Column({ name: 'applicant_id_masked', type: 'varchar', length: 40 })
  applicantIdMasked: string;

  @Column({ name: 'applicant_phone_enc', type: 'text', nullable: true })
  applicantPhoneEnc: string | null;

  @Column({ name: 'applicant_phone_masked', type: 'varchar', length: 40, nullable: true })
  applicantPhoneMasked: string | null;

  @Column({ name: 'applicant_email', type: 'varchar', length: 200, nullable: true })
  applicantEmail: string | null;

  @Column({ name: 'applicant_address', type: 'varchar', length: 200, nullable: true })
  applicantAddress: string | null;

  // ---- what is sought ----
  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'document_number', type: 'varchar', length: 100, nullable: true })
  documentNumber: string | null;

  @Column({ type: 'varchar', length: 16 })
  form: InformationForm;

  @Column({ type: 'varchar', length: 16 })
  delivery: DeliveryMethod;

  /** character unigrams and bigrams of description and applicant name, for short Chinese search terms */
  @Column({ name: 'search_grams', type: 'text', array: true, select: false })
  searchGrams: string[];

  // ---- handling ----
  /** 承办人 */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  correction: Correction | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  consultations: Consultation[];

  @Column({ type: 'jsonb', nullable: true })
  extension: Extension | null;

  /** Art 35: the later date set for the reply */
  @Column({ name: 'delayed_until', type: 'date', nullable: true })
  delayedUntil: string | null;

  @Column({ name: 'delayed_reason', type: 'text', nullable: true })
  delayedReason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  fee: FeeNotice | null;

  @Column({ name: 'reply_draft', type: 'jsonb', nullable: true })
  replyDraft: ReplyDraft | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  deliveries: Delivery[];

  /** the `on` of the latest step of the clock: later steps may not be dated before it */
  @Column({ name: 'last_step_on', type: 'date', nullable: true })
  lastStepOn: string | null;

  // ---- conclusion ----
  @Index('ix_cases_outcome')
  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome: OutcomeCode | null;

  @Column({ name: 'outcome_details', type: 'jsonb', nullable: true })
  outcomeDetails: OutcomeDetails | null;

  @Column({ name: 'concluded_on', type: 'date', nullable: true })
  concludedOn: string | null;

  @Column({ name: 'discard_reason', type: 'text', nullable: true })
  discardReason: string | null;

  // ---- derived from the clock (recomputed on every change and calendar reload) ----
  /** current reply deadline; null with no clock, while paused, and after conclusion */
  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  /** the deadline that applied at conclusion (or applies now); null while paused */
  @Column({ name: 'computed_due', type: 'date', nullable: true })
  computedDue: string | null;

  @Column({ name: 'deadline_provisional', type: 'boolean', default: false })
  deadlineProvisional: boolean;

  /** concluded after the deadline that applied */
  @Column({ name: 'concluded_late', type: 'boolean', nullable: true })
  concludedLate: boolean | null;

  /** new case opened after a `corrected` review of this one (Art 51, 行政复议法) */
  @Column({ name: 'reopened_from', type: 'uuid', nullable: true })
  reopenedFrom: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** 分办: the forward of a portal submission to another agency of the platform (once) */
  @Column({ type: 'jsonb', nullable: true })
  forwarded: ForwardRecord | null;

  /** Art 35: the request for reasons, the answer and the agency's finding */
  @Column({ name: 'reasons_request', type: 'jsonb', nullable: true })
  reasonsRequest: ReasonsRequest | null;

  /** Art 35: set at intake (or confirmation) when the applicant's applications exceed the agency's thresholds */
  @Column({ name: 'art35_flag', type: 'jsonb', nullable: true })
  art35Flag: Art35Flag | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
