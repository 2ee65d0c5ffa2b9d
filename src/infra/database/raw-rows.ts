import { QueryFailedError, type DataSource, type EntityManager, type EntityMetadata, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { Pool } from 'pg';
import { DateUtils } from 'typeorm/util/DateUtils';

/**
 * Turns a raw row (a `SELECT` of {@link selectList}, `RETURNING`, or a row of `json_agg`) into an entity, column by
 * column, as TypeORM's own reads do (`prepareHydratedValue`: dates, jsonb, bigint, arrays).
 * For hot paths answered by one hand-written statement instead of a query builder: each entity's columns are
 * planned once (plain columns set directly, with TypeORM's own date and boolean conversions; embedded, virtual,
 * transformed or unusual ones through TypeORM's generic path), so a case read does not walk TypeORM's type switch
 * per column per row.
 */
export function hydrate<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>, into?: T): T {
  const meta = m.connection.getMetadata(target);
  const entity = into ?? (meta.create() as T);
  let plan = PLANS.get(meta);
  if (!plan) PLANS.set(meta, (plan = planOf(meta, m.connection.driver)));
  for (const step of plan) {
    const v = row[step.name];
    if (v !== undefined) step.set(entity, v);
  }
  return entity;
}

interface HydrateStep {
  /** the column's name in the row */
  name: string;
  set(entity: ObjectLiteral, value: unknown): void;
}

const PLANS = new WeakMap<EntityMetadata, HydrateStep[]>();

/** Column types whose value pg already hands over as TypeORM would leave it. */
const AS_IS = new Set<unknown>(['varchar', 'character varying', 'char', 'character', 'text', 'uuid', 'int', 'integer', 'int4', 'smallint', 'bigint', 'int8', 'jsonb', 'json', 'numeric', 'decimal']);
const TIMESTAMPS = new Set<unknown>(['timestamptz', 'timestamp with time zone', 'timestamp', 'timestamp without time zone', 'datetime', Date]);

function planOf(meta: EntityMetadata, driver: EntityManager['connection']['driver']): HydrateStep[] {
  return meta.columns.map((col): HydrateStep => {
    const name = col.databaseName;
    const prop = col.propertyName;
    const generic = (entity: ObjectLiteral, v: unknown) => col.setEntityValue(entity, driver.prepareHydratedValue(v, col));
    if (col.embeddedMetadata || col.isVirtual || col.transformer || col.relationMetadata) return { name, set: generic };
    const direct = (convert: (v: unknown) => unknown) => ({
      name,
      set: (entity: ObjectLiteral, v: unknown) => {
        (entity as Record<string, unknown>)[prop] = v === null ? null : convert(v);
      },
    });
    if (col.isArray) return col.type === 'text' || col.type === 'varchar' || col.type === 'uuid' ? direct((v) => v) : { name, set: generic };
    if (AS_IS.has(col.type)) return direct((v) => v);
    if (col.type === 'boolean' || col.type === Boolean) return direct((v) => !!v);
    if (TIMESTAMPS.has(col.type)) return direct((v) => DateUtils.normalizeHydratedDate(v as Date | string));
    if (col.type === 'date') return direct((v) => DateUtils.mixedDateToDateString(v as Date | string, { utc: col.utc }));
    return { name, set: generic };
  });
}

/** The columns a TypeORM read loads (not those marked `select: false`), as a SELECT list. */
export function selectList<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, alias?: string): string {
  return m.connection
    .getMetadata(target)
    .columns.filter((c) => c.isSelect)
    .map((c) => (alias ? `${alias}."${c.databaseName}"` : `"${c.databaseName}"`))
    .join(', ');
}

/** A value, or a raw SQL expression (`() => "nextval('…')"`, as TypeORM's query builder takes them). */
export type InsertValues<T> = { [K in keyof T]?: T[K] | (() => string) };

/**
 * INSERT of one row in one statement, built from the entity's metadata (column names,
 * `preparePersistentValue`: jsonb, dates, transformers); columns left undefined take their
 * database default. With `returning`, the entity as written: the values given, and what the
 * database chose (ids, sequences, defaults, timestamps, raw expressions) from `RETURNING`.
 */
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning: true): Promise<T>;
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning?: false): Promise<void>;
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: InsertValues<T>, returning = false): Promise<T | void> {
  const meta = m.connection.getMetadata(target);
  const names: string[] = [];
  const exprs: string[] = [];
  const params: unknown[] = [];
  /** what the database decides: defaults, generated values, raw expressions */
  const generated: string[] = [];
  const entity = meta.create() as T;
  for (const col of meta.columns) {
    const v = col.isInsert ? col.getEntityValue(values) : undefined;
    if (v === undefined || typeof v === 'function') {
      if (col.isSelect) generated.push(`"${col.databaseName}"`);
      if (v === undefined) continue;
    } else col.setEntityValue(entity, v);
    names.push(`"${col.databaseName}"`);
    if (typeof v === 'function') exprs.push((v as () => string)());
    else {
      params.push(m.connection.driver.preparePersistentValue(v, col));
      exprs.push(`$${params.length}`);
    }
  }
  const back = returning && generated.length ? ` RETURNING ${generated.join(', ')}` : '';
  const rows: Record<string, unknown>[] = await m.query(`INSERT INTO "${meta.tableName}" (${names.join(', ')}) VALUES (${exprs.join(', ')})${back}`, params);
  if (returning) return back ? hydrate(m, target, rows[0], entity) : entity;
}

/** The rows of a raw `… RETURNING` statement: TypeORM answers an UPDATE or DELETE with [rows, affected], an INSERT with rows. */
export function returnedRows<T>(res: unknown): T[] {
  return (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as T[];
}

/**
 * One read statement straight on the data source's pool, outside any transaction: for the hottest reads, without
 * TypeORM's per-query runner (create, connect, broadcast before and after, release: five awaits and their
 * allocations around one query). As on TypeORM's path, a failure to get a connection is raised as it comes (pg-pool's
 * wait, pg's connect) and a failed statement as `QueryFailedError` around pg's error, so the error mapping sees no
 * difference; a connection is discarded only when it broke (an error without PostgreSQL's severity), not for an
 * error PostgreSQL answered. Never inside a transaction: take the manager's `query` there.
 */
export async function poolRead<R = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[]): Promise<R[]> {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return (await client.query(sql, params)).rows as R[];
  } catch (e) {
    if (!(e as { severity?: unknown }).severity) broken = e as Error;
    throw new QueryFailedError(sql, params, e as Error);
  } finally {
    client.release(broken);
  }
}
