import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import type { AuthUser } from '../auth/auth-user';

/** How far the caller reaches: own agency to act, own agency and below to read. */
export type Access = 'act' | 'read' | 'none';

/** The caller's reach over an agency's cases (the scope lives here, not in controllers); the tree is the agencies module's. */
@Injectable()
export class CaseAccess {
  constructor(private readonly agencies: AgenciesService) {}

  async of(agencyId: string, user: AuthUser, m?: EntityManager): Promise<Access> {
    if (!user.agencyId || user.role === 'admin') return 'none';
    if (agencyId === user.agencyId) return user.role === 'auditor' ? 'read' : 'act';
    if (user.role === 'clerk') return 'none';
    return (await this.agencies.isWithin(agencyId, user.agencyId, m)) ? 'read' : 'none';
  }
}
