import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { QUEUES, type QueueName } from '../infra/queue/job-names';
import type { QueueService } from '../infra/queue/queue.service';
import type { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/errors/domain-error';

export const QUEUE_BOARD_PATH = '/admin/queues';

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Bull Board for administrators: HTTP basic auth with an administrator's account (or the
 * BULL_BOARD_USERNAME / BULL_BOARD_PASSWORD pair from the environment). Passwords are checked as at
 * sign-in, failures counting against the same limits (429 with Retry-After once too many). Exhausted
 * jobs stay listed here until removed by age.
 */
export async function mountQueueBoard(fastify: FastifyInstance, queues: QueueService, auth: AuthService, config: AppConfig): Promise<void> {
  const adapter = new BoardAdapter();
  createBullBoard({
    queues: (Object.values(QUEUES) as QueueName[]).map((q) => new BullMQAdapter(queues.queue(q), { readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: '政府信息公开 队列' } },
  });
  adapter.setBasePath(QUEUE_BOARD_PATH);
  const checked = new Map<string, number>(); // credentials verified recently (argon2 is slow on purpose)
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const header = req.headers.authorization ?? '';
        const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
        const deny = () => reply.header('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"').code(401).send({ statusCode: 401, code: 'UNAUTHENTICATED', message: '需要管理员登录', details: {}, correlationId: String(req.id) });
        if (!m) return deny();
        const decoded = Buffer.from(m[1], 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        const [user, pass] = [decoded.slice(0, i), decoded.slice(i + 1)];
        if (config.bullBoard && same(user, config.bullBoard.username) && same(pass, config.bullBoard.password)) return;
        const seen = checked.get(m[1]);
        if (seen && seen > Date.now()) return;
        if (i <= 0) return deny();
        try {
          const u = await auth.checkPassword(user, pass, req.ip);
          if (u.role !== 'admin') return deny();
        } catch (e) {
          if (e instanceof DomainError && e.code === 'RATE_LIMITED') {
            return reply
              .header('Retry-After', String(typeof e.details.retryAfterSeconds === 'number' ? e.details.retryAfterSeconds : 60))
              .code(429)
              .send({ statusCode: 429, code: 'RATE_LIMITED', message: e.message, details: e.details, correlationId: String(req.id) });
          }
          if (e instanceof DomainError) return deny();
          throw e;
        }
        if (checked.size > 1000) checked.clear();
        checked.set(m[1], Date.now() + 60_000);
      });
      await scope.register(adapter.registerPlugin() as never, { prefix: QUEUE_BOARD_PATH });
    },
  );
}
