import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NotificationsModule } from '../notifications/notifications.module';
import { HealthController } from './health.controller';
import { MetricsService } from './metrics.service';

@Module({ imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), NotificationsModule], controllers: [HealthController], providers: [MetricsService], exports: [MetricsService] })
export class HealthModule {}
