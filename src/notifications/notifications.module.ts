import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CalendarModule } from '../calendar/calendar.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CasesModule } from '../cases/cases.module';
import { UsersModule } from '../users/users.module';
import { MailPort } from './mail/mail.port';
import { FileMailer, SmtpMailer } from './mail/smtp-mailer';
import { NotificationsRepository } from './notifications.repository';
import { ReminderPlanner } from './reminder-planner';
import { ReminderSender } from './reminder-sender';
import { Sweeper } from './sweeper';

@Module({
  imports: [AgenciesModule, UsersModule, CalendarModule, CasesModule],
  providers: [
    NotificationsRepository,
    ReminderPlanner,
    ReminderSender,
    Sweeper,
    {
      provide: MailPort,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailPort => (config.smtp ? new SmtpMailer(config.smtp) : new FileMailer(config.mailDir, config.mailFrom)),
    },
  ],
  exports: [NotificationsRepository, Sweeper, ReminderSender, MailPort],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(private readonly mail: MailPort) {}
  async onApplicationShutdown(): Promise<void> {
    await this.mail.close();
  }
}
