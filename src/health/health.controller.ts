import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { QUEUE_BACKEND } from '../infra/core.module';
import { NotificationsRepository } from '../notifications/notifications.repository';
import type { QueueBackend } from '../infra/queue/queue-backend';

/** 200 when PostgreSQL and the queue backend both answer within ~1.5 s, 503 otherwise. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(QUEUE_BACKEND) private readonly queue: QueueBackend,
    private readonly reminders: NotificationsRepository,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: '健康检查：数据库与队列' })
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1500 }),
      async () => {
        // reminders are counted, never a reason to be down: failed ones need a person to look
        const counts = await this.reminders.countByStatus().catch((): Record<string, number> => ({}));
        return this.indicator.check('reminders').up({ pending: counts.pending ?? 0, sent: counts.sent ?? 0, failed: counts.failed ?? 0 });
      },
      async () => {
        const i = this.indicator.check('queue');
        try {
          await this.queue.ping(1500);
          return i.up({ backend: this.queue.kind });
        } catch {
          return i.down({ backend: this.queue.kind });
        }
      },
    ]);
  }
}
