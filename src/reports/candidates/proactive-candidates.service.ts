import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { groupSimilarRequests, SIMILARITY_THRESHOLD } from '../../statute/similar-requests';
import { ProactiveCandidatesRepository } from './proactive-candidates.repository';
import { ReportScopeService } from '../report-scope';
import type { ProactiveCandidatesDto, ProactiveCandidatesQuery } from './proactive-candidates.dto';

/** The most recent disclosed cases compared in one question (the grouping is in memory). */
export const MAX_CASES = 5000;


/**
 * Art 44 candidates: information disclosed on request to at least `min` different applicants (by the keyed hash of
 * their identity numbers), grouped by the statute floor's similarity rule, for supervisors to consider for
 * proactive disclosure.
 */
@Injectable()
export class ProactiveCandidatesService {
  constructor(
    private readonly repo: ProactiveCandidatesRepository,
    private readonly scopes: ReportScopeService,
    private readonly clock: Clock,
  ) {}

  async candidates(caller: AuthUser, q: ProactiveCandidatesQuery): Promise<ProactiveCandidatesDto> {
    const today = this.clock.today();
    const to = q.to ?? today;
    const from = q.from ?? `${today.slice(0, 4)}-01-01`;
    if (from > to) throw DomainError.field('from', '起始日期不能晚于截止日期');
    const min = q.min ?? 3;
    const scope = await this.scopes.resolve(caller, q.agencyId, q.includeSubAgencies ?? false, 'report');
    const rows = await this.repo.disclosed(scope.agencyIds, from, to, MAX_CASES + 1);
    const truncated = rows.length > MAX_CASES;
    const cases = truncated ? rows.slice(0, MAX_CASES) : rows;
    // oldest first inside a group: the first disclosure names the information
    cases.reverse();
    const groups = groupSimilarRequests(cases)
      .map((idx) => idx.map((i) => cases[i]))
      .map((members) => ({ members, applicants: new Set(members.map((m) => m.applicant)).size }))
      .filter((g) => g.applicants >= min)
      .map(({ members, applicants }) => ({
        description: members[0].description,
        documentNumber: members.find((m) => m.documentNumber)?.documentNumber ?? null,
        applicants,
        cases: members.length,
        items: members.map(({ applicant: _applicant, ...m }) => m),
      }))
      .sort((a, b) => b.applicants - a.applicants || b.cases - a.cases || a.items[0].concludedOn.localeCompare(b.items[0].concludedOn));
    return {
      agency: scope.agency,
      includeSubAgencies: scope.includeSubAgencies,
      from,
      to,
      min,
      casesConsidered: cases.length,
      truncated,
      definition: `期间内予以公开或部分公开的申请，按所需信息归组（文号相同；或所涉年份、数字相同且申请描述去除“申请公开”等套语后字符二元组相似度不低于${SIMILARITY_THRESHOLD}），列出不同申请人（按身份证件号码）达到${min}个的组（条例第四十四条）`,
      groups,
    };
  }
}
