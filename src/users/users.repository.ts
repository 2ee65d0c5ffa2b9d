import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Role } from '../statute/roles';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.ds.manager).getRepository(UserEntity);
  }

  /** Serialises the creation of the first administrator across processes (a transaction-scoped advisory lock). */
  async lockAdminCreation(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(727273)');
  }

  findById(id: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  findByUsername(username: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  /** What an access check needs of an account, in one indexed read (no entity): null when it does not exist. */
  async accountState(id: string): Promise<{ active: boolean; role: Role; agencyId: string | null } | null> {
    const rows = await this.ds.query<{ active: boolean; role: Role; agency_id: string | null }[]>(`SELECT active, role, agency_id FROM users WHERE id = $1`, [id]);
    return rows[0] ? { active: rows[0].active, role: rows[0].role, agencyId: rows[0].agency_id } : null;
  }

  /** The active users among these ids (in the caller's transaction when given). */
  activeByIds(ids: string[], m?: EntityManager): Promise<UserEntity[]> {
    return ids.length ? this.repo(m).find({ where: { id: In(ids), active: true } }) : Promise.resolve([]);
  }

  listAll(): Promise<UserEntity[]> {
    return this.repo().find({ order: { username: 'ASC' } });
  }

  listByAgency(agencyId: string): Promise<UserEntity[]> {
    return this.repo().find({ where: { agencyId }, order: { username: 'ASC' } });
  }

  /** Active users of an agency with one of the roles: reminder recipients, assignees. */
  activeByAgencyAndRoles(agencyId: string, roles: Role[], m?: EntityManager): Promise<UserEntity[]> {
    return this.repo(m)
      .createQueryBuilder('u')
      .where('u.agency_id = :agencyId AND u.active AND u.role IN (:...roles)', { agencyId, roles })
      .orderBy('u.username')
      .getMany();
  }

  async countAdmins(m?: EntityManager): Promise<number> {
    return this.repo(m).count({ where: { role: 'admin', active: true } });
  }

  save(m: EntityManager, u: Partial<UserEntity>): Promise<UserEntity> {
    return this.repo(m).save(this.repo(m).create(u));
  }

  async update(m: EntityManager, id: string, patch: Partial<UserEntity>): Promise<void> {
    await this.repo(m).update({ id }, patch);
  }
}
