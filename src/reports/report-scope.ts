import { Injectable } from '@nestjs/common';
import { AgenciesRepository } from '../agencies/agencies.repository';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';

/** What a report covers: the agency asked for and, with sub-agencies, every agency below it. */
export interface ReportScope {
  agency: { id: string; name: string };
  includeSubAgencies: boolean;
  /** the agencies whose cases are counted */
  agencyIds: string[];
}

/**
 * Who reads which report (api-contract.md, roles): supervisors and auditors the reports of their agency and the
 * agencies below it; a clerk only the deadline board of their own agency; an administrator none (separation of
 * duties). An agency outside the caller's scope is 403 FORBIDDEN (agencies are known by name on the platform);
 * an id that names no agency is 404.
 */
@Injectable()
export class ReportScopeService {
  constructor(private readonly agencies: AgenciesRepository) {}

  async resolve(caller: AuthUser, agencyId: string | undefined, includeSubAgencies: boolean, kind: 'report' | 'board'): Promise<ReportScope> {
    if (caller.role === 'admin' || !caller.agencyId) throw new DomainError('FORBIDDEN', '系统管理员不能查看案件统计');
    if (caller.role === 'clerk' && kind === 'report') throw new DomainError('FORBIDDEN', '承办人员不能查看统计报表');
    const id = agencyId ?? caller.agencyId;
    // the agency and the caller's tree in one round
    const [agency, visible] = await Promise.all([this.agencies.findById(id), caller.role === 'clerk' ? null : this.agencies.subtreeIds(caller.agencyId)]);
    if (!agency) throw DomainError.notFound('机关');
    if (caller.role === 'clerk' || !visible) {
      if (id !== caller.agencyId || includeSubAgencies) throw new DomainError('FORBIDDEN', '承办人员只能查看本机关的期限看板');
      return { agency: { id, name: agency.name }, includeSubAgencies: false, agencyIds: [id] };
    }
    if (!visible.includes(id)) throw new DomainError('FORBIDDEN', '只能查看本机关及下级机关的统计');
    const agencyIds = includeSubAgencies ? (id === caller.agencyId ? visible : await this.agencies.subtreeIds(id)) : [id];
    return { agency: { id, name: agency.name }, includeSubAgencies, agencyIds };
  }
}
