import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit, prepareInfrastructure } from './bootstrap';
import { AppShutdown } from './infra/app-shutdown';

/** Workers only, no HTTP: `node dist/worker.js`. Any number of copies. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const infra = await prepareInfrastructure(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: infra.databaseUrl, workers: true }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (infra.embedded) app.get(AppShutdown).register(infra.embedded.stop);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  new NestLogger('Worker').log('worker started');
}

main().catch((e: unknown) => {
  process.stderr.write(`worker start-up failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
