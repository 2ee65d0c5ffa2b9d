import { Module } from '@nestjs/common';
import { AgenciesModule } from '../../agencies/agencies.module';
import { LetterTemplatesController } from './letter-templates.controller';
import { LetterTemplatesRepository } from './letter-templates.repository';
import { LetterTemplatesService } from './letter-templates.service';

/** Agencies' letter template overrides (versioned, validated, previewed). */
@Module({
  imports: [AgenciesModule],
  controllers: [LetterTemplatesController],
  providers: [LetterTemplatesRepository, LetterTemplatesService],
  exports: [LetterTemplatesService],
})
export class LetterTemplatesModule {}
