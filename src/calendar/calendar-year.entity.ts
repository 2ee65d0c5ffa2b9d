import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A year's official arrangement (国务院办公厅节假日安排) loaded by an administrator at run time. */
@Entity({ name: 'calendar_years' })
export class CalendarYearEntity {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ type: 'date', array: true })
  off: string[];

  @Column({ type: 'date', array: true })
  work: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  notices: string[];

  @Column({ name: 'loaded_by', type: 'uuid', nullable: true })
  loadedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
