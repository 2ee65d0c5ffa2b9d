import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AttachmentEntity } from './attachment.entity';
import { CaseEntity } from './case.entity';

/** The `attachments` table, through TypeORM's repository API only. */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly ds: DataSource) {}

  private mgr(m?: EntityManager): EntityManager {
    return m ?? this.ds.manager;
  }

  countOf(caseId: string, m?: EntityManager): Promise<number> {
    return this.mgr(m).getRepository(AttachmentEntity).count({ where: { caseId } });
  }

  /**
   * Locks the case's row for the rest of the transaction (`FOR UPDATE`): uploads to one case are serialised, so
   * the per-case limit holds under concurrency. The case's state and version, null when there is no such case.
   */
  async lockCase(m: EntityManager, caseId: string): Promise<Pick<CaseEntity, 'state' | 'version'> | null> {
    const c = await m.getRepository(CaseEntity).findOne({ select: { id: true, state: true, version: true }, where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
    return c ? { state: c.state, version: c.version } : null;
  }

  /** Inserts the row (`created_at` from the database: the transaction's time, which orders the list) and reads it back. */
  async insert(m: EntityManager, row: Omit<AttachmentEntity, 'createdAt'>): Promise<AttachmentEntity> {
    const repo = m.getRepository(AttachmentEntity);
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  }

  /** The case's attachments, oldest first. */
  listOf(caseId: string): Promise<AttachmentEntity[]> {
    return this.ds.getRepository(AttachmentEntity).find({ where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findOfCase(caseId: string, id: string): Promise<AttachmentEntity | null> {
    return this.ds.getRepository(AttachmentEntity).findOne({ where: { id, caseId } });
  }

  exists(id: string): Promise<boolean> {
    return this.ds.getRepository(AttachmentEntity).exists({ where: { id } });
  }

  /** Which of these storage keys an attachment row names. */
  async knownStorageKeys(keys: string[]): Promise<Set<string>> {
    const rows = await this.ds.getRepository(AttachmentEntity).find({ select: { storageKey: true }, where: { storageKey: In(keys) } });
    return new Set(rows.map((r) => r.storageKey));
  }
}
