import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Turns a raw row (`SELECT *`, `RETURNING *`, or a row of `json_agg`) into an entity, column by
 * column, as TypeORM's own reads do (`prepareHydratedValue`: dates, jsonb, bigint, arrays).
 * For hot paths answered by one hand-written statement instead of a query builder.
 */
export function hydrate<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>, into?: T): T {
  const meta = m.connection.getMetadata(target);
  const entity = into ?? (meta.create() as T);
  for (const col of meta.columns) {
    const v = row[col.databaseName];
    if (v !== undefined) col.setEntityValue(entity, m.connection.driver.prepareHydratedValue(v, col));
  }
  return entity;
}

/** A value, or a raw SQL expression (`() => "nextval('…')"`, as TypeORM's query builder takes them). */
export type InsertValues<T> = { [K in keyof T]?: T[K] | (() => string) };

/**
 * INSERT of one row in one statement, built from the entity's metadata (column names,
 * `preparePersistentValue`: jsonb, dates, transformers); columns left undefined take their
 * database default. With `returning`, the row as written comes back hydrated.
 */
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning: true): Promise<T>;
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning?: false): Promise<void>;
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning = false): Promise<T | void> {
  const meta = m.connection.getMetadata(target);
  const names: string[] = [];
  const exprs: string[] = [];
  const params: unknown[] = [];
  for (const col of meta.columns) {
    if (!col.isInsert) continue;
    const v = col.getEntityValue(values);
    if (v === undefined) continue;
    names.push(`"${col.databaseName}"`);
    if (typeof v === 'function') exprs.push((v as () => string)());
    else {
      params.push(m.connection.driver.preparePersistentValue(v, col));
      exprs.push(`$${params.length}`);
    }
  }
  const sql = `INSERT INTO "${meta.tableName}" (${names.join(', ')}) VALUES (${exprs.join(', ')})${returning ? ' RETURNING *' : ''}`;
  const rows: Record<string, unknown>[] = await m.query(sql, params);
  if (returning) return hydrate(m, target, rows[0]);
}
