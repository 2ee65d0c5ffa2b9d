import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/infra/database/data-source-options';
import { createTestDatabase } from './support/database';

/** The entities and the migrations agree: a schema diff of the migrated database is empty. */
describe('schema drift', () => {
  it('has nothing to change after all migrations ran', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it('runs every migration down and up again', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    try {
      const count = (await ds.query(`SELECT count(*)::int AS n FROM migrations`))[0].n as number;
      for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect((await ds.query(`SELECT count(*)::int AS n FROM migrations`))[0].n).toBe(0);
      await ds.runMigrations({ transaction: 'each' });
      expect((await ds.query(`SELECT count(*)::int AS n FROM migrations`))[0].n).toBe(count);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
