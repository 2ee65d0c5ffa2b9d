import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { YearArrangement } from '../statute/working-calendar';

/** A stored year as read back: dates as `YYYY-MM-DD`, sorted. */
export interface StoredYear {
  year: number;
  off: string[];
  work: string[];
  notices: string[];
  loadedBy: string | null;
  loadedAt: Date;
}

/**
 * A stored year's load time exactly as the database holds it (microseconds: a JavaScript `Date` would cut
 * them), as text to hand back to SQL.
 */
export interface YearLoad {
  year: number;
  loadedAt: string;
}

/** Changes whenever any stored year changes (a row added, removed, re-loaded, or edited by hand). */
const SIGNATURE_SQL = `
  SELECT count(*)::int AS n,
         max(updated_at) AS latest,
         md5(coalesce(string_agg(year::text || ':' || off::text || ':' || work::text || ':' || notices::text || ':' || updated_at::text, '|' ORDER BY year), '')) AS digest
    FROM calendar_years`;

const ROWS_SQL = `
  SELECT year,
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(off) AS d ORDER BY d) AS off,
         array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(work) AS d ORDER BY d) AS work,
         notices, loaded_by, updated_at
    FROM calendar_years
   ORDER BY year`;

const UPSERT_SQL = `
  INSERT INTO calendar_years (year, off, work, notices, loaded_by, updated_at)
  VALUES ($1, $2::date[], $3::date[], $4::text[], $5, clock_timestamp())
  ON CONFLICT (year) DO UPDATE
     SET off = EXCLUDED.off, work = EXCLUDED.work, notices = EXCLUDED.notices,
         loaded_by = EXCLUDED.loaded_by, updated_at = EXCLUDED.updated_at`;

/** The `calendar_years` table (years loaded by administrators), in plain SQL. */
@Injectable()
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  /** A fingerprint of the whole table: equal fingerprints, equal contents. */
  async signature(m: EntityManager = this.ds.manager): Promise<string> {
    const [row] = await m.query<{ n: number; latest: Date | null; digest: string }[]>(SIGNATURE_SQL);
    return `${row.n}:${row.latest ? new Date(row.latest).toISOString() : '-'}:${row.digest}`;
  }

  async storedYears(m: EntityManager = this.ds.manager): Promise<StoredYear[]> {
    const rows = await m.query<{ year: number; off: string[]; work: string[]; notices: string[] | null; loaded_by: string | null; updated_at: Date }[]>(ROWS_SQL);
    return rows.map((r) => ({ year: r.year, off: r.off, work: r.work, notices: r.notices ?? [], loadedBy: r.loaded_by, loadedAt: new Date(r.updated_at) }));
  }

  /**
   * Stores the year (replacing a stored one) after taking the table's write lock for the rest of the
   * transaction: writers of every process queue there, so what the transaction reads afterwards includes every
   * earlier load. Whether the year was stored before.
   */
  async storeYear(m: EntityManager, arrangement: YearArrangement, actorId: string | null): Promise<{ existed: boolean }> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('calendar_years'))`);
    const found: unknown[] = await m.query('SELECT 1 FROM calendar_years WHERE year = $1', [arrangement.year]);
    await m.query(UPSERT_SQL, [arrangement.year, arrangement.off, arrangement.work, arrangement.notices ?? [], actorId]);
    return { existed: found.length > 0 };
  }

  /** The stored years (or `year` alone) loaded at least `agoMs` before the database's clock, with their load times. */
  loadsOlderThan(year: number | null, agoMs: number): Promise<YearLoad[]> {
    return this.ds.query<YearLoad[]>(
      `SELECT year, updated_at::text AS "loadedAt" FROM calendar_years
        WHERE ($1::int IS NULL OR year = $1) AND updated_at <= clock_timestamp() - make_interval(secs => $2::float8 / 1000)`,
      [year, agoMs],
    );
  }
}
