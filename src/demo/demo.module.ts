import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { AttachmentsRepository } from '../cases/attachments.repository';
import { AttachmentsService } from '../cases/attachments.service';
import { CaseActionsService } from '../cases/case-actions.service';
import { CasesModule } from '../cases/cases.module';
import { CasesService } from '../cases/cases.service';
import { Clock, ManualClock } from '../common/clock/clock';
import { LetterSupersede } from '../letters/letter-supersede.service';
import { LettersModule } from '../letters/letters.module';
import { LetterTemplatesModule } from '../letters/templates/letter-templates.module';
import { UsersModule } from '../users/users.module';
import { DEMO_ACTIONS, DEMO_ATTACHMENTS, DEMO_CLOCK, DEMO_INTAKE, DEMO_SUPERSEDE, DemoSeeder } from './demo-seeder';

/**
 * The real case services, the attachments and the letters' supersede (same classes, same repositories, same CaseEvents listeners), instantiated a
 * second time with a clock of their own, so the demo history can be replayed at past dates while the
 * application's clock keeps real time. Only DemoSeeder uses them. The local `Clock` provider shadows the
 * global one for this module's providers only; it is not exported.
 */
@Module({
  imports: [AgenciesModule, UsersModule, CalendarModule, CasesModule, LettersModule, LetterTemplatesModule],
  providers: [
    { provide: DEMO_CLOCK, useFactory: () => new ManualClock() },
    { provide: Clock, useExisting: DEMO_CLOCK },
    CasesService,
    CaseActionsService,
    { provide: DEMO_INTAKE, useExisting: CasesService },
    { provide: DEMO_ACTIONS, useExisting: CaseActionsService },
    LetterSupersede,
    { provide: DEMO_SUPERSEDE, useExisting: LetterSupersede },
    AttachmentsRepository,
    AttachmentsService,
    { provide: DEMO_ATTACHMENTS, useExisting: AttachmentsService },
  ],
  exports: [DEMO_CLOCK, DEMO_INTAKE, DEMO_ACTIONS, DEMO_SUPERSEDE, DEMO_ATTACHMENTS],
})
export class DemoCasesModule {}

@Module({ imports: [AgenciesModule, UsersModule, CalendarModule, CasesModule, LettersModule, DemoCasesModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
