import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** Agencies as a tree, by materialised path. */
@Injectable()
export class AgenciesRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.ds.manager).getRepository(AgencyEntity);
  }

  findById(id: string, m?: EntityManager): Promise<AgencyEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  findByCode(code: string, m?: EntityManager): Promise<AgencyEntity | null> {
    return this.repo(m).findOne({ where: { code } });
  }

  /** The agency and every agency below it. */
  async findSubtree(rootId: string, m?: EntityManager): Promise<AgencyEntity[]> {
    return this.repo(m)
      .createQueryBuilder('a')
      .where(`a.path LIKE (SELECT r.path FROM agencies r WHERE r.id = :rootId) || '%'`, { rootId })
      .orderBy('a.path')
      .getMany();
  }

  async subtreeIds(rootId: string, m?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await (m ?? this.ds.manager).query(
      `SELECT a.id FROM agencies a WHERE a.path LIKE (SELECT r.path FROM agencies r WHERE r.id = $1) || '%'`,
      [rootId],
    );
    return rows.map((r) => r.id);
  }

  /** Whether `agencyId` is `ancestorId` or an agency below it (false when either does not exist). */
  async isWithin(agencyId: string, ancestorId: string, m?: EntityManager): Promise<boolean> {
    const rows: { ok: boolean }[] = await (m ?? this.ds.manager).query(
      `SELECT EXISTS (SELECT 1 FROM agencies a, agencies me WHERE a.id = $1 AND me.id = $2 AND a.path LIKE me.path || '%') AS ok`,
      [agencyId, ancestorId],
    );
    return rows[0]?.ok === true;
  }

  /** The first top-level agency (by creation, then code): where a portal application without an agency goes. */
  async firstRootId(m?: EntityManager): Promise<string | null> {
    const rows = await (m ?? this.ds.manager).query<{ id: string }[]>(`SELECT id FROM agencies WHERE parent_id IS NULL ORDER BY created_at, code LIMIT 1`);
    return rows[0]?.id ?? null;
  }

  listAll(m?: EntityManager): Promise<AgencyEntity[]> {
    return this.repo(m).find({ order: { path: 'ASC' } });
  }

  async insert(m: EntityManager, a: Partial<AgencyEntity> & { name: string; code: string; parentId: string | null }): Promise<AgencyEntity> {
    const parentPath = a.parentId ? (await this.findById(a.parentId, m))?.path : '/';
    const saved = await this.repo(m).save(this.repo(m).create({ ...a, path: 'pending' }));
    saved.path = `${parentPath}${saved.id}/`;
    await this.repo(m).update({ id: saved.id }, { path: saved.path });
    return saved;
  }

  async update(m: EntityManager, id: string, patch: Partial<AgencyEntity>): Promise<void> {
    await this.repo(m).update({ id }, patch);
  }

  async count(m?: EntityManager): Promise<number> {
    return this.repo(m).count();
  }
}
