import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';
import { AgencyEntity } from '../src/agencies/agency.entity';
import { dataSourceOptions } from '../src/infra/database/data-source-options';
import { hydrate, poolRead } from '../src/infra/database/raw-rows';
import { createTestDatabase } from './support/database';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/**
 * raw-rows.ts reaches into TypeORM past its public API: `typeorm/util/DateUtils`, the driver's `master` pool and
 * `prepareHydratedValue` / `preparePersistentValue`, the column metadata's `setEntityValue` / `getEntityValue`. These
 * are not covered by semver, so TypeORM is pinned exactly, and this test fails the day an upgrade moves them.
 */
describe('raw-rows: the TypeORM internals it relies on', () => {
  const root = join(__dirname, '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

  it('TypeORM is pinned to one exact version, the one installed', () => {
    const pinned = pkg.dependencies.typeorm;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = (JSON.parse(readFileSync(join(root, 'node_modules', 'typeorm', 'package.json'), 'utf8')) as { version: string }).version;
    expect(installed).toBe(pinned);
  });

  it('typeorm/util/DateUtils has the conversions the hydration plan calls', () => {
    expect(typeof DateUtils.normalizeHydratedDate).toBe('function');
    expect(typeof DateUtils.mixedDateToDateString).toBe('function');
  });

  describe('on a real PostgreSQL', () => {
    let db: TestDatabase;
    let ds: DataSource;
    beforeAll(async () => {
      db = await createTestDatabase();
      ds = new DataSource(dataSourceOptions(db.url));
      await ds.initialize();
    }, 120_000);
    afterAll(async () => {
      await ds?.destroy();
      await db?.drop();
    });

    it('the driver keeps its pg pool as `master`, with prepareHydratedValue and preparePersistentValue', () => {
      const driver = ds.driver as unknown as Record<string, unknown>;
      const master = driver.master as { connect?: unknown; query?: unknown } | undefined;
      expect(typeof master?.connect).toBe('function');
      expect(typeof driver.prepareHydratedValue).toBe('function');
      expect(typeof driver.preparePersistentValue).toBe('function');
      for (const col of ds.getMetadata(AgencyEntity).columns) {
        expect(typeof col.setEntityValue).toBe('function');
        expect(typeof col.getEntityValue).toBe('function');
      }
    });

    it('a row read on the pool and hydrated equals what TypeORM itself reads (dates, jsonb, numbers, nulls)', async () => {
      const saved = await ds.getRepository(AgencyEntity).save(
        ds.getRepository(AgencyEntity).create({ name: '原始行测试局', code: 'raw-rows', parentId: null, path: '/', letterPrefixes: { notice: '测依' }, reminderRules: { beforeDue: [3], onDueDay: false, escalateOverdue: true, dailyDigest: false } }),
      );
      const [row] = await poolRead(ds, `SELECT * FROM agencies WHERE id = $1`, [saved.id]);
      const ours = hydrate(ds.manager, AgencyEntity, row);
      const theirs = await ds.getRepository(AgencyEntity).findOneByOrFail({ id: saved.id });
      expect(ours).toEqual(theirs);
      expect(ours.createdAt).toBeInstanceOf(Date);
    });

    it('a failed statement on the pool is a QueryFailedError, as on TypeORM’s own path', async () => {
      await expect(poolRead(ds, `SELECT * FROM no_such_table`, [])).rejects.toMatchObject({ name: 'QueryFailedError' });
    });
  });
});
