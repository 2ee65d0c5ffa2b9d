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
  for (const step of planOf(meta, m.connection.driver)) {
    const v = row[step.name];
    if (v !== undefined) step.hydrate(entity, v);
  }
  return entity;
}

/** What a column needs, worked out once per entity: its name, and how its values are read, set and written. */
export interface ColumnStep {
  /** the column's name in rows and SQL */
  name: string;
  isInsert: boolean;
  isSelect: boolean;
  /** sets a value as the database returned it (TypeORM's prepareHydratedValue, then setEntityValue) */
  hydrate(entity: ObjectLiteral, raw: unknown): void;
  /** the entity's value for the column (getEntityValue) */
  get(entity: ObjectLiteral): unknown;
  /** sets an entity value as it is (setEntityValue) */
  set(entity: ObjectLiteral, value: unknown): void;
  /** the value as a statement parameter (preparePersistentValue) */
  persist(value: unknown): unknown;
}

const PLANS = new WeakMap<EntityMetadata, ColumnStep[]>();

/** Column types TypeORM leaves as they are both ways: pg's value is the entity's, the entity's the parameter. */
const PASSED_AS_IS = new Set<unknown>(['varchar', 'character varying', 'char', 'character', 'text', 'uuid', 'int', 'integer', 'int4', 'smallint', 'bigint', 'int8', 'numeric', 'decimal']);
/** Column types whose value pg already hands over as TypeORM would leave it: those, and json (parsed by pg, serialised on the way in). */
const AS_IS = new Set<unknown>([...PASSED_AS_IS, 'json', 'jsonb']);
const TIMESTAMPS = new Set<unknown>(['timestamptz', 'timestamp with time zone', 'timestamp', 'timestamp without time zone', 'datetime', Date]);

/** An entity's column plan (for checks against TypeORM's own conversions). */
export function columnPlan(m: EntityManager, target: EntityTarget<ObjectLiteral>): readonly ColumnStep[] {
  return planOf(m.connection.getMetadata(target), m.connection.driver);
}

function planOf(meta: EntityMetadata, driver: EntityManager['connection']['driver']): ColumnStep[] {
  let plan = PLANS.get(meta);
  if (!plan) PLANS.set(meta, (plan = meta.columns.map((col) => stepOf(col, driver))));
  return plan;
}

function stepOf(col: EntityMetadata['columns'][number], driver: EntityManager['connection']['driver']): ColumnStep {
  const name = col.databaseName;
  const prop = col.propertyName;
  const generic: ColumnStep = {
    name,
    isInsert: col.isInsert,
    isSelect: col.isSelect,
    hydrate: (entity, raw) => col.setEntityValue(entity, driver.prepareHydratedValue(raw, col)),
    get: (entity) => col.getEntityValue(entity) as unknown,
    set: (entity, value) => col.setEntityValue(entity, value),
    persist: (value) => driver.preparePersistentValue(value, col) as unknown,
  };
  if (col.embeddedMetadata || col.isVirtual || col.transformer || col.relationMetadata) return generic;
  const plain = { ...generic, get: (entity: ObjectLiteral) => (entity as Record<string, unknown>)[prop], set: (entity: ObjectLiteral, value: unknown) => void ((entity as Record<string, unknown>)[prop] = value) };
  if (col.type === 'json' || col.type === 'jsonb') plain.persist = (value) => (value === null || value === undefined ? value : JSON.stringify(value));
  else if (PASSED_AS_IS.has(col.type) && !col.isArray) plain.persist = (value) => value;
  const direct = (convert: (v: unknown) => unknown): ColumnStep => ({
    ...plain,
    hydrate: (entity, raw) => void ((entity as Record<string, unknown>)[prop] = raw === null ? null : convert(raw)),
  });
  if (col.isArray) return col.type === 'text' || col.type === 'varchar' || col.type === 'uuid' ? direct((v) => v) : plain;
  if (AS_IS.has(col.type)) return direct((v) => v);
  if (col.type === 'boolean') return direct((v) => !!v);
  if (TIMESTAMPS.has(col.type)) return direct((v) => DateUtils.normalizeHydratedDate(v as Date | string));
  if (col.type === 'date') return direct((v) => DateUtils.mixedDateToDateString(v as Date | string, { utc: col.utc }));
  return plain;
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
 * INSERT of one row in one statement, built from the entity's column plan (column names, TypeORM's
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
  for (const col of planOf(meta, m.connection.driver)) {
    const v = col.isInsert ? col.get(values) : undefined;
    if (v === undefined || typeof v === 'function') {
      if (col.isSelect) generated.push(`"${col.name}"`);
      if (v === undefined) continue;
    } else col.set(entity, v);
    names.push(`"${col.name}"`);
    if (typeof v === 'function') exprs.push((v as () => string)());
    else {
      params.push(col.persist(v));
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
