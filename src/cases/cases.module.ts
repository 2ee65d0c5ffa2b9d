import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { UsersModule } from '../users/users.module';
import { storageProvider } from '../common/storage/storage.provider';
import { StoragePort } from '../common/storage/storage.port';
import { AttachmentsController } from './attachments.controller';
import { AttachmentOrphanSweep } from './attachment-orphan-sweep';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { CaseAccess } from './case-access';
import { CaseActionsService } from './case-actions.service';
import { CaseDeadlines } from './case-deadlines.service';
import { CaseEvents } from './case-events';
import { CasesController, ReviewsController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { DeadlineRecomputesRepository } from './deadline-recomputes.repository';
import { LetterDispatch } from './letter-dispatch';

@Module({
  imports: [AgenciesModule, UsersModule, CalendarModule],
  controllers: [CasesController, ReviewsController, AttachmentsController],
  providers: [CaseAccess, CasesRepository, DeadlineRecomputesRepository, CasesService, CaseActionsService, CaseEvents, CaseDeadlines, PersonalDataCipher, AttachmentsRepository, AttachmentsService, AttachmentOrphanSweep, storageProvider, LetterDispatch],
  exports: [CaseAccess, CasesRepository, CasesService, CaseActionsService, CaseEvents, CaseDeadlines, PersonalDataCipher, LetterDispatch, StoragePort],
})
export class CasesModule {}
