import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AnnualTables } from '../../statute/annual-report';
import type { AnnualFees } from './annual-report.types';

/**
 * A published annual report (公开的年度报告), frozen as it was on the day: one row per agency, year and
 * scope (with or without sub-agencies). Insert-only: a trigger refuses UPDATE and DELETE.
 */
@Entity({ name: 'annual_report_publications' })
@Index('uq_annual_report_publications_scope', ['agencyId', 'year', 'includeSubAgencies'], { unique: true })
export class ReportPublicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ name: 'include_sub_agencies', type: 'boolean' })
  includeSubAgencies: boolean;

  /** the Asia/Shanghai date of publication */
  @Column({ name: 'published_on', type: 'date' })
  publishedOn: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy: string;

  /** tables 三 and 四 as published */
  @Column({ type: 'jsonb' })
  tables: AnnualTables;

  @Column({ type: 'jsonb' })
  fees: AnnualFees;
}
