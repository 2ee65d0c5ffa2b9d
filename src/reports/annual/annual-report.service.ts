import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import {
  buildAnnualTables,
  changedCells,
  checkTables,
  FIRST_REPORT_YEAR,
  previousCarriedOut,
  type AnnualTables,
  type ChangedCell,
  type CheckProblem,
  type Checks,
  type Table3Column,
} from '../../statute/annual-report';
import { ReportScopeService, type ReportScope } from '../report-scope';
import { AnnualReportRepository } from './annual-report.repository';
import type { AnnualFees } from './annual-report.types';
import type { ReportPublicationEntity } from './report-publication.entity';

export interface AnnualFigures {
  tables: AnnualTables;
  fees: AnnualFees;
  checks: Checks;
  checkProblems: CheckProblem[];
  /** the previous year's carried-out row rule 4 compares with */
  previousCarriedOut: Record<Table3Column, number>;
}

export interface AnnualReport {
  year: number;
  agency: { id: string; name: string };
  includeSubAgencies: boolean;
  format: string;
  applications: AnnualTables['applications'];
  reviews: AnnualTables['reviews'];
  fees: AnnualFees;
  checks: Checks;
  checkProblems: CheckProblem[];
  publication: { publishedOn: string; publishedAt: string; publishedBy: string } | null;
  live: { applications: AnnualTables['applications']; reviews: AnnualTables['reviews']; fees: AnnualFees; checks: Checks; checkProblems: CheckProblem[] } | null;
  changedCells: (ChangedCell | { table: 'fees'; row: 'fees'; column: keyof AnnualFees; published: number; live: number })[];
}

export interface AnnualReportRequest {
  year: number;
  agencyId?: string;
  includeSubAgencies?: boolean;
}

const FEE_KEYS: (keyof AnnualFees)[] = ['casesCharged', 'amountCharged', 'casesPaid', 'amountCollected'];

/**
 * The national annual report of an agency (with or without its sub-agencies): one aggregate query per table,
 * mapped onto the national format on the statute floor. A published report answers as published, with the live
 * figures and the changed cells beside it.
 */
@Injectable()
export class AnnualReportService {
  constructor(
    private readonly repo: AnnualReportRepository,
    private readonly scopes: ReportScopeService,
    private readonly clock: Clock,
  ) {}

  private checkYear(year: number): void {
    const thisYear = Number(this.clock.today().slice(0, 4));
    if (year < FIRST_REPORT_YEAR) throw DomainError.field('year', `报告年度不能早于${FIRST_REPORT_YEAR}年（第一个全国年度报告格式）`);
    if (year > thisYear) throw DomainError.field('year', '报告年度不能晚于今年');
  }

  private async scopeOf(caller: AuthUser, q: AnnualReportRequest): Promise<ReportScope> {
    this.checkYear(q.year);
    return this.scopes.resolve(caller, q.agencyId, q.includeSubAgencies ?? false, 'report');
  }

  /** The live figures of year Y; `carriedOver` compares with the previous year's published table when there is one. */
  private async figures(scope: ReportScope, year: number): Promise<AnnualFigures> {
    const [{ groups: apps, fees }, reviews, previousPublication] = await Promise.all([
      this.repo.applicationCounts(scope.agencyIds, year),
      this.repo.reviewCounts(scope.agencyIds, year),
      this.repo.findPublication(scope.agency.id, year - 1, scope.includeSubAgencies),
    ]);
    const tables = buildAnnualTables(year, apps, reviews);
    const previous = previousPublication ? previousPublication.tables.applications.rows.carried_out : previousCarriedOut(apps);
    const { checks, problems } = checkTables(tables, previous);
    return { tables, fees, checks, checkProblems: problems, previousCarriedOut: previous };
  }

  async report(caller: AuthUser, q: AnnualReportRequest): Promise<AnnualReport> {
    const scope = await this.scopeOf(caller, q);
    const [live, publication] = await Promise.all([this.figures(scope, q.year), this.repo.findPublication(scope.agency.id, q.year, scope.includeSubAgencies)]);
    return publication ? this.published(scope, publication, live) : this.unpublished(scope, live);
  }

  /** Freezes the tables of the year as they are today; 409 REPORT_ALREADY_PUBLISHED when already published. */
  async publish(caller: AuthUser, q: AnnualReportRequest): Promise<AnnualReport> {
    const scope = await this.scopeOf(caller, q);
    const live = await this.figures(scope, q.year);
    const now = this.clock.now();
    const saved = await this.repo.insertPublication({
      agencyId: scope.agency.id,
      year: q.year,
      includeSubAgencies: scope.includeSubAgencies,
      publishedOn: this.clock.todayOf(now),
      publishedAt: now,
      publishedBy: caller.id,
      tables: live.tables,
      fees: live.fees,
    });
    if (!saved) {
      const existing = await this.repo.findPublication(scope.agency.id, q.year, scope.includeSubAgencies);
      throw new DomainError('REPORT_ALREADY_PUBLISHED', `${scope.agency.name}${q.year}年度报告已于${existing?.publishedOn ?? ''}公开，不能再次公开`, {
        publishedOn: existing?.publishedOn ?? null,
      });
    }
    return this.published(scope, saved, live);
  }

  private unpublished(scope: ReportScope, live: AnnualFigures): AnnualReport {
    return {
      year: live.tables.year,
      agency: scope.agency,
      includeSubAgencies: scope.includeSubAgencies,
      format: live.tables.format,
      applications: live.tables.applications,
      reviews: live.tables.reviews,
      fees: live.fees,
      checks: live.checks,
      checkProblems: live.checkProblems,
      publication: null,
      live: null,
      changedCells: [],
    };
  }

  private published(scope: ReportScope, p: ReportPublicationEntity, live: AnnualFigures): AnnualReport {
    const frozen = p.tables;
    const { checks, problems } = checkTables(frozen, live.previousCarriedOut);
    const feeChanges = FEE_KEYS.filter((k) => Number(p.fees[k]) !== live.fees[k]).map((k) => ({ table: 'fees' as const, row: 'fees' as const, column: k, published: Number(p.fees[k]), live: live.fees[k] }));
    return {
      year: frozen.year,
      agency: scope.agency,
      includeSubAgencies: scope.includeSubAgencies,
      format: frozen.format,
      applications: frozen.applications,
      reviews: frozen.reviews,
      fees: p.fees,
      checks,
      checkProblems: problems,
      publication: { publishedOn: p.publishedOn, publishedAt: new Date(p.publishedAt).toISOString(), publishedBy: p.publishedBy },
      live: { applications: live.tables.applications, reviews: live.tables.reviews, fees: live.fees, checks: live.checks, checkProblems: live.checkProblems },
      changedCells: [...changedCells(frozen, live.tables), ...feeChanges],
    };
  }
}
