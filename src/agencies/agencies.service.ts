import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService } from '../common/idempotency.service';
import { DEFAULT_ART35_THRESHOLDS, type Art35Thresholds } from '../statute/art35';
import { AgenciesRepository } from './agencies.repository';
import type { AgencyEntity } from './agency.entity';
import { AgencyDirectoryDto, AgencyDto, CreateAgencyDto, mapAgency, UpdateAgencyDto } from './dto/agency.dto';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly ds: DataSource,
    private readonly agencies: AgenciesRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create(dto: CreateAgencyDto, idempotencyKey: string | undefined, caller: AuthUser): Promise<AgencyDto> {
    return this.idempotency.run(`agencies:${caller.id}`, idempotencyKey, dto, async (m) => {
      if (dto.parentId && !(await this.agencies.findById(dto.parentId, m))) throw DomainError.field('parentId', '上级机关不存在');
      if (await this.agencies.findByCode(dto.code, m)) throw new DomainError('AGENCY_CODE_TAKEN', undefined, { field: 'code' });
      const saved = await this.agencies.insert(m, { ...dto, parentId: dto.parentId ?? null });
      return mapAgency(saved);
    });
  }

  async update(id: string, dto: UpdateAgencyDto): Promise<AgencyDto> {
    return this.ds.transaction(async (m) => {
      const a = await this.agencies.findById(id, m);
      if (!a) throw DomainError.notFound('机关');
      await this.agencies.update(m, id, { ...dto });
      return mapAgency((await this.agencies.findById(id, m))!);
    });
  }

  /** The platform's directory: every agency, id, name, code and parent only, for any signed-in user. */
  /** The agency a portal application names none of: the first top-level agency; null when there is none. */
  defaultPortalAgencyId(): Promise<string | null> {
    return this.agencies.firstRootId();
  }

  /** The agency (in the caller's transaction when given), null when there is none. */
  findById(id: string, m?: EntityManager): Promise<AgencyEntity | null> {
    return this.agencies.findById(id, m);
  }

  /** Whether the agency exists (in the caller's transaction when given). */
  async exists(id: string, m?: EntityManager): Promise<boolean> {
    return (await this.agencies.findById(id, m)) !== null;
  }

  /** The ids of the agency and of every agency below it. */
  subtreeIds(rootId: string, m?: EntityManager): Promise<string[]> {
    return this.agencies.subtreeIds(rootId, m);
  }

  /** Whether `agencyId` is `ancestorId` or an agency below it. */
  isWithin(agencyId: string, ancestorId: string, m?: EntityManager): Promise<boolean> {
    return this.agencies.isWithin(agencyId, ancestorId, m);
  }

  /** The agency's Art 35 thresholds: its own, else the defaults. */
  async art35Thresholds(id: string, m?: EntityManager): Promise<Art35Thresholds> {
    return (await this.agencies.findById(id, m))?.art35Thresholds ?? DEFAULT_ART35_THRESHOLDS;
  }

  async directory(): Promise<AgencyDirectoryDto> {
    return { items: (await this.agencies.listAll()).map((a) => ({ id: a.id, name: a.name, code: a.code, parentId: a.parentId })) };
  }

  /** Administrators see every agency; others their own agency and those below it. */
  async list(caller: AuthUser): Promise<AgencyDto[]> {
    if (caller.role === 'admin') return (await this.agencies.listAll()).map(mapAgency);
    if (!caller.agencyId) return [];
    return (await this.agencies.findSubtree(caller.agencyId)).map(mapAgency);
  }

  async get(id: string, caller: AuthUser): Promise<AgencyDto> {
    const a = await this.agencies.findById(id);
    if (!a) throw DomainError.notFound('机关');
    if (caller.role !== 'admin') {
      const visible = caller.agencyId ? await this.agencies.subtreeIds(caller.agencyId) : [];
      if (!visible.includes(id)) throw DomainError.notFound('机关');
    }
    return mapAgency(a);
  }
}
