import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit, prepareInfrastructure } from './bootstrap';
import { configureHttpApp, createFastifyAdapter, type NestFastifyApplication } from './http-app';
import { UsersService } from './users/users.service';
import { DemoSeeder } from './demo/demo-seeder';
import { AppShutdown } from './infra/app-shutdown';

/** The API (and, unless WORKERS=off, the workers): `node dist/main.js`. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const infra = await prepareInfrastructure(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: infra.databaseUrl, workers: config.workers, demoData: config.demoData }),
    createFastifyAdapter(config.trustProxy),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  await configureHttpApp(app, config);
  if (infra.embedded) {
    const stop = infra.embedded.stop;
    app.get(AppShutdown).register(stop);
  }
  // module hooks (listeners, the calendar from the database, workers) run before anything is seeded
  await app.init();
  if (config.admin) {
    const created = await app.get(UsersService).ensureAdmin(config.admin.username, config.admin.password);
    if (created) new NestLogger('Bootstrap').log(`administrator "${config.admin.username}" created`);
  }
  if (config.demoData) await app.get(DemoSeeder).seedIfEmpty();
  await app.listen({ port: config.port, host: '0.0.0.0' });
  new NestLogger('Bootstrap').log(`listening on http://localhost:${config.port} (OpenAPI: /api/docs)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`start-up failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
