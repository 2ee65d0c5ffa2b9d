import { DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AgenciesModule } from './agencies/agencies.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import { PortalModule } from './portal/portal.module';
import { LettersModule } from './letters/letters.module';
import { LetterTemplatesModule } from './letters/templates/letter-templates.module';
import { NotificationsModule } from './notifications/notifications.module';
import { JobsModule } from './infra/queue/jobs.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createRootLogger, loggerParams, ROOT_LOGGER } from './common/logging/logging';
import { createValidationPipe } from './common/validation/validation.pipe';
import { HealthModule } from './health/health.module';
import { CoreModule, type CoreOptions } from './infra/core.module';
import { DemoModule } from './demo/demo.module';
import { UsersModule } from './users/users.module';
import { ReportsModule } from './reports/reports.module';
import { AuditModule } from './audit/audit.module';

export interface AppModuleOptions extends CoreOptions {
  /** run the queue processors and the sweep in this process */
  workers: boolean;
  /** seed the demo city into an empty database */
  demoData?: boolean;
  /** where the logs go (tests); default stdout */
  logDestination?: DestinationStream;
}

/** Domain modules shared by the API and the worker. */
const DOMAIN_MODULES: Type[] = [AgenciesModule, UsersModule, AuthModule, CalendarModule, CasesModule, LettersModule, PortalModule, NotificationsModule, ReportsModule, DemoModule, LetterTemplatesModule];

@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions): DynamicModule {
    const pretty = !opts.config.production && process.stdout.isTTY === true;
    const root = createRootLogger(opts.config.logLevel, pretty, opts.logDestination);
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot(loggerParams(root)), CoreModule.forRoot(opts), JobsModule.forRoot(opts.workers), AuditModule, ...DOMAIN_MODULES, HealthModule],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: ROOT_LOGGER, useValue: root },
      ],
    };
  }
}
