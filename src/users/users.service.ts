import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { AuthUser } from '../auth/auth-user';
import type { Role } from '../statute/roles';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService } from '../common/idempotency.service';
import { CreateUserDto, mapUser, UpdateUserDto, UserDto } from './dto/user.dto';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { UserChanges } from './user-changes';

export const hashPassword = (p: string): Promise<string> => argon2.hash(p, { type: argon2.argon2id });

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly agencies: AgenciesService,
    private readonly idempotency: IdempotencyService,
    private readonly changes: UserChanges,
  ) {}

  private async checkAgency(m: EntityManager, role: Role, agencyId: string | null | undefined): Promise<void> {
    if (!agencyId) {
      if (role !== 'admin') throw DomainError.field('agencyId', '除管理员外，用户必须属于一个机关');
      return;
    }
    if (!(await this.agencies.exists(agencyId, m))) throw DomainError.field('agencyId', '机关不存在');
  }

  async create(dto: CreateUserDto, idempotencyKey: string | undefined, caller: AuthUser): Promise<UserDto> {
    // hash outside the transaction (argon2 is deliberately slow)
    const passwordHash = await hashPassword(dto.password);
    return this.idempotency.run(`users:${caller.id}`, idempotencyKey, dto, async (m) => {
      await this.checkAgency(m, dto.role, dto.agencyId);
      if (await this.users.findByUsername(dto.username, m)) throw new DomainError('USERNAME_TAKEN', undefined, { field: 'username' });
      const u = await this.users.save(m, {
        username: dto.username,
        passwordHash,
        displayName: dto.displayName,
        email: dto.email ?? null,
        role: dto.role,
        agencyId: dto.agencyId ?? null,
      });
      return mapUser(u);
    });
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserDto> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const updated = await this.ds.transaction(async (m) => {
      const u = await this.users.findById(id, m);
      if (!u) throw DomainError.notFound('用户');
      const role = dto.role ?? u.role;
      await this.checkAgency(m, role, dto.agencyId !== undefined ? dto.agencyId : u.agencyId);
      const patch: Partial<UserEntity> = {};
      if (passwordHash) patch.passwordHash = passwordHash;
      if (dto.displayName !== undefined) patch.displayName = dto.displayName;
      if (dto.email !== undefined) patch.email = dto.email;
      if (dto.role !== undefined) patch.role = dto.role;
      if (dto.agencyId !== undefined) patch.agencyId = dto.agencyId;
      if (dto.active !== undefined) patch.active = dto.active;
      await this.users.update(m, id, patch);
      if (dto.active === false || passwordHash) await this.changes.accessWithdrawn(m, id);
      return mapUser((await this.users.findById(id, m))!);
    });
    this.changes.changed(id);
    return updated;
  }

  /** Administrators list everyone; a supervisor lists the people of their agency (to assign cases). */
  async list(caller: AuthUser, agencyId?: string): Promise<UserDto[]> {
    if (caller.role === 'admin') return (agencyId ? await this.users.listByAgency(agencyId) : await this.users.listAll()).map(mapUser);
    if (!caller.agencyId) return [];
    const visible = await this.agencies.subtreeIds(caller.agencyId);
    const target = agencyId ?? caller.agencyId;
    if (!visible.includes(target)) throw DomainError.notFound('机关');
    return (await this.users.listByAgency(target)).map(mapUser);
  }

  async get(id: string, caller: AuthUser): Promise<UserDto> {
    const u = await this.users.findById(id);
    if (!u) throw DomainError.notFound('用户');
    if (caller.role !== 'admin' && caller.id !== id) {
      const visible = caller.agencyId ? await this.agencies.subtreeIds(caller.agencyId) : [];
      if (!u.agencyId || !visible.includes(u.agencyId)) throw DomainError.notFound('用户');
    }
    return mapUser(u);
  }

  /** The first administrator, from ADMIN_USERNAME / ADMIN_PASSWORD, when there is none. */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      await this.users.lockAdminCreation(m);
      if ((await this.users.countAdmins(m)) > 0) return false;
      if (await this.users.findByUsername(username, m)) return false;
      await this.users.save(m, { username, passwordHash: await hashPassword(password), displayName: '系统管理员', role: 'admin', agencyId: null });
      return true;
    });
  }
}
