import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AttachmentEntity, type AttachmentKind } from './attachment.entity';

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

  findOfCase(caseId: string, id: string, m?: EntityManager): Promise<AttachmentEntity | null> {
    return this.mgr(m).getRepository(AttachmentEntity).findOne({ where: { id, caseId } });
  }

  async setKind(m: EntityManager, id: string, kind: AttachmentKind): Promise<AttachmentEntity> {
    const repo = m.getRepository(AttachmentEntity);
    await repo.update({ id }, { kind });
    return repo.findOneByOrFail({ id });
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
