import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NotificationsModule } from '../notifications/notifications.module';
import { HealthController } from './health.controller';

@Module({ imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), NotificationsModule], controllers: [HealthController] })
export class HealthModule {}
