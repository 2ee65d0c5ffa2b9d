import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { LettersController } from './letters.controller';
import { LettersListener } from './letters.listener';
import { LettersRepository } from './letters.repository';

/** Letters (文书): written with the steps that imply them; rendering, templates and delivery build on these rows. */
@Module({
  imports: [CasesModule],
  controllers: [LettersController],
  providers: [LettersRepository, LettersListener],
  exports: [LettersRepository],
})
export class LettersModule {}
