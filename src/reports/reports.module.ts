import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { ChartController } from './chart/chart.controller';
import { ChartRepository } from './chart/chart.repository';
import { ChartService } from './chart/chart.service';
import { DeadlinesController } from './deadlines/deadlines.controller';
import { DeadlinesRepository } from './deadlines/deadlines.repository';
import { DeadlinesService } from './deadlines/deadlines.service';
import { PerformanceController } from './performance/performance.controller';
import { PerformanceRepository } from './performance/performance.repository';
import { PerformanceService } from './performance/performance.service';
import { ReportDb } from './report-db';
import { ReportScopeService } from './report-scope';
import { AnnualReportController } from './annual/annual-report.controller';
import { AnnualReportRepository } from './annual/annual-report.repository';
import { AnnualReportService } from './annual/annual-report.service';
import { ProactiveCandidatesController } from './candidates/proactive-candidates.controller';
import { ProactiveCandidatesRepository } from './candidates/proactive-candidates.repository';
import { ProactiveCandidatesService } from './candidates/proactive-candidates.service';

/**
 * Reports (报表): the national annual report (table 三 and 四), operational figures, the deadline board,
 * their downloads. Reads only, through ReportDb (the replica where there is one), scoped by ReportScopeService.
 */
@Module({
  imports: [AgenciesModule, CalendarModule],
  controllers: [AnnualReportController, PerformanceController, DeadlinesController, ChartController, ProactiveCandidatesController],
  providers: [ReportDb, ReportScopeService, AnnualReportRepository, AnnualReportService, PerformanceRepository, PerformanceService, DeadlinesRepository, DeadlinesService, ChartRepository, ChartService, ProactiveCandidatesService, ProactiveCandidatesRepository],
  exports: [],
})
export class ReportsModule {}
