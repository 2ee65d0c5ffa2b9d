import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { OutcomeCode } from '../statute/outcomes';
import type { Addressee, LetterCode, LetterState } from '../statute/letter-catalogue';

/**
 * A letter of a case (文书): written in the transaction of the step that implies it. Once issued
 * it carries its number (发文字号) and date, and never changes again but for its delivery and,
 * once, its rendering (the database enforces this). Rows issued and not yet rendered are the
 * letter worker's queue.
 */
@Entity({ name: 'letters' })
@Check('ck_letters_state', `"state" IN ('draft', 'approved', 'issued', 'delivered', 'cancelled', 'superseded')`)
@Check('ck_letters_issued_numbered', `"state" NOT IN ('issued', 'delivered', 'superseded') OR ("number" IS NOT NULL AND "dated_on" IS NOT NULL AND "issued_at" IS NOT NULL)`)
@Check('ck_letters_superseded_linked', `"state" <> 'superseded' OR "superseded_by" IS NOT NULL`)
@Index('ix_letters_case', ['caseId', 'createdAt'])
@Index('uq_letters_number', ['agencyId', 'series', 'numberYear', 'numberSeq'], { unique: true })
@Index('uq_letters_supersedes', ['supersedes'], { unique: true, where: `"supersedes" IS NOT NULL` })
@Index('ix_letters_to_render', ['issuedAt'], { where: `"state" IN ('issued', 'delivered') AND "rendered_at" IS NULL` })
@Index('ix_letters_to_post', ['agencyId', 'datedOn'], { where: `"state" = 'issued' AND "dispatch_way" IS NULL` })
@Index('ix_letters_mailed_unreceived', ['mailedAt'], { where: `"state" = 'issued' AND "mailed_at" IS NOT NULL` })
export class LetterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 40 })
  code: LetterCode;

  /** for a reply: the outcome that chooses its template */
  @Column({ type: 'varchar', length: 48, nullable: true })
  outcome: OutcomeCode | null;

  @Column({ type: 'varchar', length: 16 })
  addressee: Addressee;

  /** the consultation a letter to or about a consulted party belongs to */
  @Column({ name: 'consultation_id', type: 'uuid', nullable: true })
  consultationId: string | null;

  @Column({ type: 'varchar', length: 16 })
  state: LetterState;

  /** the letter's date (the day of its step), once issued */
  @Column({ name: 'dated_on', type: 'date', nullable: true })
  datedOn: string | null;

  /** 发文字号, taken at issue: one gapless series per agency, series and year of the date */
  @Column({ type: 'varchar', length: 40, nullable: true })
  series: string | null;

  @Column({ name: 'number_year', type: 'int', nullable: true })
  numberYear: number | null;

  @Column({ name: 'number_seq', type: 'int', nullable: true })
  numberSeq: number | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  number: string | null;

  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt: Date | null;

  /** the signer where the agency requires sign-off (replies, extensions, delays) */
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** the addressee's receipt (record-delivery) */
  @Column({ name: 'delivered_on', type: 'date', nullable: true })
  deliveredOn: string | null;

  @Column({ name: 'delivery_method', type: 'varchar', length: 16, nullable: true })
  deliveryMethod: string | null;

  /** the rendered PDF: set once by the letter worker */
  @Column({ name: 'rendered_at', type: 'timestamptz', nullable: true })
  renderedAt: Date | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  @Column({ name: 'storage_key', type: 'varchar', length: 200, nullable: true })
  storageKey: string | null;

  /** the template (and the agency's version of it, 0 the built-in one) the letter is made from */
  @Column({ name: 'template_code', type: 'varchar', length: 60, nullable: true })
  templateCode: string | null;

  @Column({ name: 'template_version', type: 'int', nullable: true })
  templateVersion: number | null;

  /**
   * The reply's internal sign-off as the agency runs it: each step with its name (the agency's
   * `approvalStepNames`), who and when; never printed on the letter.
   */
  @Column({ name: 'sign_offs', type: 'jsonb', default: () => "'[]'" })
  signOffs: { step: number; name: string; by: string; at: string }[];

  /** 保密审查: who confirmed the confidentiality review of the reply, and when (a fact of its own) */
  @Column({ name: 'confidentiality_reviewed_by', type: 'uuid', nullable: true })
  confidentialityReviewedBy: string | null;

  @Column({ name: 'confidentiality_reviewed_at', type: 'timestamptz', nullable: true })
  confidentialityReviewedAt: Date | null;

  /** what the document prints (LetterFacts), fixed at the step that issued it; set once */
  @Column({ type: 'jsonb', nullable: true })
  facts: Record<string, unknown> | null;

  /**
   * The receipt of a clerk-logged application prints the query code: sealed with the personal-data key
   * until the receipt is rendered, then erased (the case keeps only its keyed hash).
   */
  @Column({ name: 'sealed_query_code', type: 'text', nullable: true })
  sealedQueryCode: string | null;

  /** dispatch (发出): the way, the day and the reference (EMS waybill, message id, fax report) */
  @Column({ name: 'dispatch_way', type: 'varchar', length: 16, nullable: true })
  dispatchWay: string | null;

  @Column({ name: 'dispatched_on', type: 'date', nullable: true })
  dispatchedOn: string | null;

  @Column({ name: 'dispatch_reference', type: 'varchar', length: 300, nullable: true })
  dispatchReference: string | null;

  /** e-mail delivery: when the receiving server accepted the mail (set once, with its message id) */
  @Column({ name: 'mailed_at', type: 'timestamptz', nullable: true })
  mailedAt: Date | null;

  @Column({ name: 'mail_error', type: 'text', nullable: true })
  mailError: string | null;

  /** the mistaken letter this one replaces (set once, in the transaction that issues it) */
  @Column({ type: 'uuid', nullable: true })
  supersedes: string | null;

  /** why it was replaced (更正原因), on the replacement */
  @Column({ name: 'supersede_reason', type: 'varchar', length: 500, nullable: true })
  supersedeReason: string | null;

  /** the letter that replaced this one (its state then `superseded`); set once */
  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** An issued letter's PDF, stored once (the bytes never change) with its SHA-256. */
@Entity({ name: 'letter_pdfs' })
export class LetterPdfEntity {
  @Column({ name: 'letter_id', type: 'uuid', primary: true })
  letterId: string;

  @Column({ type: 'bytea' })
  bytes: Buffer;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ name: 'rendered_at', type: 'timestamptz' })
  renderedAt: Date;
}

/** The last number taken in one series (agency × series × year); locked by the issuing transaction. */
@Entity({ name: 'letter_series' })
export class LetterSeriesEntity {
  @Column({ name: 'agency_id', type: 'uuid', primary: true })
  agencyId: string;

  @Column({ type: 'varchar', length: 40, primary: true })
  series: string;

  @Column({ type: 'int', primary: true })
  year: number;

  @Column({ name: 'last_number', type: 'int' })
  lastNumber: number;
}

/**
 * A file provided with a reply (a `release` attachment of the case), recorded in the transaction that issues the
 * reply (and copied to a reply that supersedes it); insert-only: the database refuses any update or delete.
 */
@Entity({ name: 'letter_release_files' })
@Index('ix_letter_release_files_attachment', ['attachmentId'])
export class LetterReleaseFileEntity {
  @Column({ name: 'letter_id', type: 'uuid', primary: true, primaryKeyConstraintName: 'pk_letter_release_files' })
  letterId: string;

  @Column({ name: 'attachment_id', type: 'uuid', primary: true, primaryKeyConstraintName: 'pk_letter_release_files' })
  attachmentId: string;

  /** the order the reply lists it in (1, 2, …) */
  @Column({ type: 'int' })
  position: number;
}
