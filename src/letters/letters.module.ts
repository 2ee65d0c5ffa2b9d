import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { LetterDeliveries } from './letter-deliveries.service';
import { LetterDispatchAdapter } from './letter-dispatch.adapter';
import { LetterDocuments } from './letter-documents.service';
import { LetterJobs } from './letter-jobs';
import { LetterPdfController } from './letter-pdf.controller';
import { LetterSupersedeController } from './letter-supersede.controller';
import { LetterSupersede } from './letter-supersede.service';
import { LetterWorkRepository } from './letter-work.repository';
import { LettersController } from './letters.controller';
import { LettersListener } from './letters.listener';
import { LettersRepository } from './letters.repository';
import { ReleaseFilesRepository } from './release-files.repository';
import { RenderPool } from './render-pool';
import { LetterTemplatesModule } from './templates/letter-templates.module';
import { PostalBatchController } from './postal-batch.controller';
import { PostalBatchRepository } from './postal-batch.repository';
import { PostalBatchService } from './postal-batch.service';

/**
 * Letters (文书): written with the steps that imply them (their facts checked and fixed there), rendered to
 * PDF by the workers in render threads, stored in PostgreSQL, served to staff and the portal, mailed.
 */
@Module({
  imports: [CasesModule, AgenciesModule, CalendarModule, NotificationsModule, LetterTemplatesModule],
  controllers: [LettersController, PostalBatchController, LetterPdfController, LetterSupersedeController],
  providers: [LettersRepository, LettersListener, LetterDispatchAdapter, LetterWorkRepository, LetterJobs, RenderPool, LetterDocuments, LetterDeliveries, PostalBatchRepository, PostalBatchService, LetterSupersede, ReleaseFilesRepository],
  exports: [LettersRepository, LetterWorkRepository, LetterJobs, LetterDocuments, ReleaseFilesRepository],
})
export class LettersModule {}
