import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An agency's text for one letter template, versioned: a new text is a new row (version + 1), never an edit;
 * the highest version is in force. Version 0 stands for the built-in template (templates/letters) and has
 * no row. Insert-only (a trigger refuses UPDATE and DELETE).
 */
@Entity({ name: 'letter_template_overrides' })
@Index('uq_letter_template_overrides_version', ['agencyId', 'templateCode', 'version'], { unique: true })
export class LetterTemplateOverrideEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ name: 'template_code', type: 'varchar', length: 64 })
  templateCode: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
