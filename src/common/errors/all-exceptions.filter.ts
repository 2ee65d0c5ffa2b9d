import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException, Optional } from '@nestjs/common';
import { AuditTrail } from '../../audit/audit-trail';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from './error-body';
import { errorBody, routeTableOf } from '../http/request-limits';

/** The one global filter: every error leaves in the contract's shape. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(@Optional() private readonly audit?: AuditTrail) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const correlationId = String(req?.id ?? '');
    // no route for this method, but the path has routes for others: 405 with Allow, not 404
    if (exception instanceof NotFoundException && exception.message.startsWith('Cannot ') && req) {
      const allowed = routeTableOf(req)?.allowed(req.url) ?? [];
      if (allowed.length) {
        void reply.header('Allow', allowed.join(', ')).status(405).send(errorBody('METHOD_NOT_ALLOWED', correlationId));
        return;
      }
    }
    const { body, known, headers } = toErrorBody(exception, correlationId);
    if (!known) this.logger.error({ err: exception, correlationId }, 'unhandled error');
    else if (body.statusCode === 503 && typeof body.details.reason === 'string' && body.details.reason.startsWith('database_')) this.logger.warn({ err: exception, correlationId }, 'database unavailable');
    // an authorisation failure goes to the audit trail (who, which route; never the request's content)
    if (body.statusCode === 403 && this.audit) {
      const user = (req as FastifyRequest & { user?: { id: string } }).user;
      this.audit.recordQuietly({ kind: 'authorization_failed', userId: user?.id ?? null, clientAddress: req.ip, correlationId, details: { method: req.method, route: req.routeOptions?.url ?? null, code: body.code } });
    }
    if (headers) void reply.headers(headers);
    void reply.status(body.statusCode).send(body);
  }
}
