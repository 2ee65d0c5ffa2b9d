import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { CalendarEndpoints } from './calendar-endpoints.service';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';

/** The working-day calendar in force (shipped arrangements + years loaded by administrators). */
@Module({
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService, CalendarEndpoints],
  exports: [CalendarService],
})
export class CalendarModule {}
