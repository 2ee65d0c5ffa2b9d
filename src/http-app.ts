import type { IncomingMessage } from 'node:http';
import multipart from '@fastify/multipart';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from './config/app-config';
import { ERROR_CODES } from './common/errors/error-codes';
import { correlationIdFor, requestLogHook, ROOT_LOGGER, type PinoRoot } from './common/logging/logging';
import { QueueService } from './infra/queue/queue.service';
import { mountQueueBoard } from './notifications/queue-board';
import { AuthService } from './auth/auth.service';
import { MetricsService } from './health/metrics.service';
import { UPLOAD_LIMITS } from './common/storage/upload-limits';
import { corsOptions, staticSecurityHeaders } from './common/http/security-headers';
import { IN_FLIGHT_PER_POOLED_CONNECTION, installLoadShedding } from './common/http/load-shedding';
import { clientErrorHandler, frameworkErrors, installRequestLimits, jsonDepthExceeds, jsonTooDeep } from './common/http/request-limits';
import { finishDocument } from './common/openapi/finish-document';
import { schemaFromValidators } from './common/openapi/schema-from-validators';

/** Request bodies are limited to 1 MB (uploads have their own route and limit). */
export const BODY_LIMIT = 1024 * 1024;

const REQUEST_TIMEOUT_MS = 300_000;

export function createFastifyAdapter(trustProxy = false): FastifyAdapter {
  const options = {
    bodyLimit: BODY_LIMIT,
    trustProxy,
    genReqId: (req: IncomingMessage) => correlationIdFor(req),
    requestIdHeader: false,
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    // a request whose headers and body have not all arrived within five minutes (Node's own default, which Fastify
    // turns off) is ended with 408: a client that trickles or withholds its body holds no connection for ever; an
    // upload of the largest file allowed (20 MB) needs about 70 KB/s
    requestTimeout: REQUEST_TIMEOUT_MS,
    // routing errors (a path parameter over 100 characters, a malformed URL) and requests Node cannot parse
    // (headers over 16 KB) answered in the error shape, the request not echoed
    frameworkErrors: frameworkErrors(securityHeaders),
    clientErrorHandler,
  };
  return new HardenedFastifyAdapter(options as never);
}

let securityHeadersOnce: Readonly<Record<string, string>> | undefined;
const securityHeaders = () => (securityHeadersOnce ??= staticSecurityHeaders());

/**
 * Nest's adapter, with JSON bodies nested deeper than MAX_JSON_DEPTH refused on the raw bytes before JSON.parse
 * (the validation pipe recurses once per level: a 4 KB body of 2,000 levels overflowed the stack).
 */
class HardenedFastifyAdapter extends FastifyAdapter {
  override useBodyParser(...[type, rawBody, options, parser]: Parameters<FastifyAdapter['useBodyParser']>): void {
    if (type === 'application/json' && parser) {
      const parse = parser;
      parser = (req, body, done) => (jsonDepthExceeds(body) ? done(jsonTooDeep(), undefined) : parse(req, body, done));
    }
    super.useBodyParser(type, rawBody, options, parser);
  }
}

/** Everything an HTTP app needs besides its modules: headers, CORS, errors, docs. */
export async function configureHttpApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own errors (malformed JSON, body too large) reach the global filter through
  // Nest's error handler, which maps them to HttpExceptions: see toErrorBody.
  // One log line per answered request (no per-request logger: see loggerParams).
  fastify.addHook('onResponse', requestLogHook(app.get<symbol, PinoRoot>(ROOT_LOGGER)));
  // every answer, errors included, carries its correlation id and the security headers
  const headers = securityHeaders();
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('X-Request-Id', req.id).headers(headers);
    done();
  });
  // before any route: the route table (405 with Allow) learns every route; over-long URLs are 414
  installRequestLimits(fastify);
  // an overload is refused (503, Retry-After) rather than queued until everything times out; the health check, the
  // docs and the queue board never are
  installLoadShedding(fastify, {
    maxInFlight: IN_FLIGHT_PER_POOLED_CONNECTION * config.databasePoolSize,
    retryAfterSeconds: 1,
    exempt: (url) => !url.startsWith('/api/v1/'),
  });
  // multipart/form-data for uploads (attachments): parsed as a stream by the route, with its own limits
  await app.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: false });
  app.enableCors(corsOptions(config.corsOrigins));
  setupOpenApi(app);
  await mountQueueBoard(fastify, app.get(QueueService), app.get(AuthService), config);
  // GET /metrics (Prometheus) only with METRICS_TOKEN set
  app.get(MetricsService).mount(fastify);
  app.enableShutdownHooks();
}

export function setupOpenApi(app: INestApplication): void {
  const errorCodes = Object.entries(ERROR_CODES)
    .map(([code, v]) => `| \`${code}\` | ${v.status} | ${v.message} |`)
    .join('\n');
  const doc = new DocumentBuilder()
    .setTitle('政府信息公开依申请公开办理系统 API')
    .setDescription(
      `Case management for government-information disclosure requests.\n\nErrors: \`{ statusCode, code, message, details, correlationId }\`.\n\n| code | status | message |\n| --- | --- | --- |\n${errorCodes}`,
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  schemaFromValidators();
  const document = finishDocument(SwaggerModule.createDocument(app, doc));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** For tests: the 404 and error shape for unknown routes comes from Nest; nothing to do here. */
export type { NestFastifyApplication };
