import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { ReportScopeService } from '../report-scope';
import { chartData, renderChartPng, renderChartSvg } from './chart-render';
import type { AnnualChartQuery } from './chart.dto';
import { ChartRepository } from './chart.repository';

/** The annual report's chart (图解): outcomes of the year and the monthly received and concluded counts. */
@Injectable()
export class ChartService {
  constructor(
    private readonly scopes: ReportScopeService,
    private readonly repo: ChartRepository,
    private readonly clock: Clock,
  ) {}

  async render(caller: AuthUser, q: AnnualChartQuery): Promise<{ type: string; body: Buffer; fileName: string }> {
    const thisYear = Number(this.clock.today().slice(0, 4));
    if (q.year > thisYear) throw DomainError.field('year', '年度不能晚于今年');
    const scope = await this.scopes.resolve(caller, q.agencyId?.toLowerCase(), q.includeSubAgencies ?? false, 'report');
    const title = `${scope.agency.name}${scope.includeSubAgencies ? '（含下级机关）' : ''}${q.year}年政府信息公开申请办理情况`;
    const svg = renderChartSvg(chartData(title, await this.repo.counts(scope.agencyIds, q.year)));
    if ((q.format ?? 'svg') === 'svg') return { type: 'image/svg+xml; charset=utf-8', body: Buffer.from(svg, 'utf8'), fileName: `chart-${q.year}.svg` };
    return { type: 'image/png', body: await renderChartPng(svg), fileName: `chart-${q.year}.png` };
  }
}
