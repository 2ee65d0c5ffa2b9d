import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CasesModule } from '../cases/cases.module';
import { LettersModule } from '../letters/letters.module';
import { AgenciesModule } from '../agencies/agencies.module';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';

@Module({ imports: [CasesModule, CalendarModule, LettersModule, AgenciesModule], controllers: [PortalController], providers: [PortalService] })
export class PortalModule {}
