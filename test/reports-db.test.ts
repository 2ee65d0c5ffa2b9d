/**
 * ReportDb.aggregate: a large aggregate runs in its own transaction with work_mem for a hash aggregate and without
 * JIT, on the primary's pool and on the replica's; the settings end with it, and a failing query leaves no transaction
 * open on the connection.
 */
import { DataSource } from 'typeorm';
import type { AppConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/infra/database/data-source-options';
import { ReportDb } from '../src/reports/report-db';
import { createTestDatabase } from './support/database';

describe('ReportDb.aggregate', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const dbs: ReportDb[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, {}, 2));
    await ds.initialize();
    dbs.push(new ReportDb(ds, { databaseReplicaUrl: undefined, databasePoolSize: 2 } as unknown as AppConfig));
    dbs.push(new ReportDb(ds, { databaseReplicaUrl: db.url, databasePoolSize: 2 } as unknown as AppConfig));
  });
  afterAll(async () => {
    for (const r of dbs) await r.onModuleDestroy();
    await ds?.destroy();
    await db?.drop();
  });

  const SETTINGS = `SELECT current_setting('work_mem') AS "workMem", current_setting('jit') AS "jit", now() = statement_timestamp() AS "ownTransaction"`;

  it.each([
    ['the primary', 0],
    ['the replica', 1],
  ])('sets work_mem and jit for the aggregate only, on %s', async (_, i) => {
    const r = dbs[i as number];
    expect(r.usesReplica).toBe(i === 1);
    const [before] = await r.query<{ workMem: string; jit: string }>(SETTINGS);
    expect(before.workMem).not.toBe('32MB');
    expect(await r.aggregate(SETTINGS)).toEqual([{ workMem: '32MB', jit: 'off', ownTransaction: false }]);
    for (let k = 0; k < 3; k++) expect((await r.query<{ workMem: string; jit: string }>(SETTINGS))[0]).toMatchObject({ workMem: before.workMem, jit: before.jit });
    await expect(r.aggregate(`SELECT 1 / (0 * $1::int) AS x`, [1])).rejects.toThrow(/division by zero/);
    for (let k = 0; k < 3; k++) expect((await r.query<{ n: number }>(`SELECT 1 AS n`))[0].n).toBe(1);
  });
});
