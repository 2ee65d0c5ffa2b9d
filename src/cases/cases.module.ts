import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { UsersModule } from '../users/users.module';
import { CaseActionsService } from './case-actions.service';
import { CaseDeadlines } from './case-deadlines.service';
import { CaseEvents } from './case-events';
import { CasesController, ReviewsController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [AgenciesModule, UsersModule, CalendarModule],
  controllers: [CasesController, ReviewsController],
  providers: [CasesRepository, CasesService, CaseActionsService, CaseEvents, CaseDeadlines, PersonalDataCipher],
  exports: [CasesRepository, CasesService, CaseActionsService, CaseEvents, CaseDeadlines, PersonalDataCipher],
})
export class CasesModule {}
