import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AgenciesRepository } from '../../src/agencies/agencies.repository';
import { AppModule } from '../../src/app.module';
import { ManualClock } from '../../src/common/clock/clock';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { configureHttpApp, createFastifyAdapter, type NestFastifyApplication } from '../../src/http-app';
import { hashPassword } from '../../src/users/users.service';
import { UsersRepository } from '../../src/users/users.repository';
import { DataSource } from 'typeorm';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { createTestDatabase } from './database';
import { installResponseCheck, type OpenApiDocument } from './openapi-check';
import { exampleEnv, REDIS_URL } from './env';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => request.Agent;
  config: AppConfig;
  clock: ManualClock;
  databaseUrl: string;
  ds: DataSource;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  /** the time the clock starts at; default now */
  now?: string;
  workers?: boolean;
  /** reuse a database (another app on the same data) */
  databaseUrl?: string;
  /** capture the logs (with LOG_LEVEL in env): the request log and Nest's logger write here */
  logDestination?: DestinationStream;
}

/** The real AppModule on a fresh database (cloned from the template) and a unique queue prefix. */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = opts.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = opts.databaseUrl ?? db!.url;
  const env = {
    ...exampleEnv(),
    NODE_ENV: 'test',
    DEMO_DATA: 'off',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    VAR_DIR: `var/test-${randomBytes(4).toString('hex')}`,
    // the tests stand for many client addresses through X-Forwarded-For
    TRUST_PROXY: 'true',
    ...opts.env,
  };
  const config = loadConfig(env);
  const clock = new ManualClock(opts.now ? new Date(opts.now) : new Date());
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl, workers: opts.workers ?? false, clock, logDestination: opts.logDestination })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config.trustProxy), opts.logDestination ? { bufferLogs: true } : { logger: false });
  if (opts.logDestination) app.useLogger(app.get(Logger));
  await configureHttpApp(app, config);
  // every answer is checked against the live OpenAPI document (test/support/openapi-check.ts)
  let document: OpenApiDocument | null = null;
  installResponseCheck(app.getHttpAdapter().getInstance(), () => document);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  document = JSON.parse((await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' })).body) as OpenApiDocument;
  const server = app.getHttpServer();
  return {
    app,
    http: () => request.agent(server),
    config,
    clock,
    databaseUrl,
    ds: app.get(DataSource),
    close: async () => {
      await app.close();
      await db?.drop();
    },
  };
}

export interface Person {
  id: string;
  username: string;
  password: string;
  role: 'clerk' | 'supervisor' | 'auditor' | 'admin';
  agencyId: string | null;
  token: string;
}

export interface TestOrg {
  city: string;
  dept: string;
  district: string;
  /** another top-level agency outside the city's tree */
  other: string;
  people: Record<string, Person>;
}

const PASSWORD = 'correct-horse-battery';

/**
 * Creates a small tree (city office → department, district; and an unrelated agency) with one
 * user of each role in each, directly through the repositories, and signs them all in.
 */
export async function seedOrg(t: TestApp): Promise<TestOrg> {
  const agencies = t.app.get(AgenciesRepository);
  const users = t.app.get(UsersRepository);
  const hash = await hashPassword(PASSWORD);
  const ids = await t.ds.transaction(async (m) => {
    const city = await agencies.insert(m, { name: '测试市人民政府办公室', code: 'city', parentId: null, reconsiderationBody: '测试市人民政府', court: '测试市中级人民法院' });
    const dept = await agencies.insert(m, { name: '测试市教育局', code: 'dept', parentId: city.id, reconsiderationBody: '测试市人民政府', court: '测试区人民法院' });
    const district = await agencies.insert(m, { name: '测试区人民政府', code: 'district', parentId: city.id });
    const other = await agencies.insert(m, { name: '另一市人民政府办公室', code: 'other', parentId: null });
    return { city: city.id, dept: dept.id, district: district.id, other: other.id };
  });
  const people: Record<string, Person> = {};
  const specs: [string, Person['role'], string | null][] = [['admin', 'admin', null]];
  for (const a of ['city', 'dept', 'district', 'other'] as const) {
    for (const r of ['clerk', 'supervisor', 'auditor'] as const) specs.push([`${a}.${r}`, r, ids[a]]);
  }
  await t.ds.transaction(async (m) => {
    for (const [username, role, agencyId] of specs) {
      const u = await users.save(m, { username, passwordHash: hash, displayName: `测试${username}`, email: `${username}@example.cn`, role, agencyId });
      people[username] = { id: u.id, username, password: PASSWORD, role, agencyId, token: '' };
    }
  });
  for (const p of Object.values(people)) {
    const res = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
    if (res.status !== 200) throw new Error(`login ${p.username}: ${res.status} ${JSON.stringify(res.body)}`);
    p.token = res.body.accessToken;
  }
  return { ...ids, people };
}

export const bearer = (p: Person): Record<string, string> => ({ Authorization: `Bearer ${p.token}` });

/** Signs a person in again (after the test moved the clock past the token's lifetime). */
export async function relogin(t: TestApp, p: Person): Promise<Person> {
  const res = await t.http().post('/api/v1/auth/login').send({ username: p.username, password: p.password });
  if (res.status !== 200) throw new Error(`login ${p.username}: ${res.status}`);
  return { ...p, token: res.body.accessToken };
}
