import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../statute/roles';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.ds.manager).getRepository(UserEntity);
  }

  findById(id: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  findByUsername(username: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
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
