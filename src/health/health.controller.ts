import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { QUEUE_BACKEND } from '../infra/core.module';
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
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: '健康检查：数据库与队列' })
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1500 }),
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
