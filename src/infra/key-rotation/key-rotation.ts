import type { DataSource, EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../../common/crypto/personal-data-cipher';
import { ID_HASH } from '../../cases/cases.service';

export interface RotationCounts {
  /** cases read, and those whose sealed identity number or phone, or identity hash, were rewritten */
  cases: number;
  casesRewritten: number;
  /** idempotency records read, and those with a sealed answer re-sealed */
  idempotencyRecords: number;
  idempotencyRewritten: number;
  /** letters holding a sealed query code (a receipt not yet rendered, or a code held for a confirmation's receipt), and those re-sealed */
  sealedQueryCodes: number;
  sealedQueryCodesRewritten: number;
  /** cases whose query-code hash may still be made with HASH_KEY_OLD: not open, not yet re-hashed; see README */
  queryCodeHashesNotRecomputable: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** told after each batch: the table and the rows read so far */
  progress?: (table: 'cases' | 'idempotency_keys' | 'letters', read: number) => void;
}

/**
 * Re-seals every sealed value under the current ENCRYPTION_KEY (the cipher opens the old ones with
 * ENCRYPTION_KEY_OLD) and re-computes every keyed hash that can be re-computed with the current HASH_KEY, in
 * batches of short transactions (each locks its batch's rows for a moment) while the service runs. Idempotent:
 * a row already under the current keys is left alone, so an interrupted run is simply run again.
 * - cases: the identity number and phone (sealed), the identity hash;
 * - idempotency records: the sealed values inside their stored answers (the query code, the case);
 * - letters: the query code sealed on a receipt until it is rendered, or held for a confirmation's receipt;
 * - query-code hashes cannot be re-computed (the codes are not kept): they keep matching through HASH_KEY_OLD, and
 *   one is re-hashed with the current key whenever its applicant uses the code on the portal.
 */
export async function rotateKeys(ds: DataSource, cipher: PersonalDataCipher, opts: RotationOptions = {}): Promise<RotationCounts> {
  const batch = opts.batchSize ?? 200;
  const counts: RotationCounts = { cases: 0, casesRewritten: 0, idempotencyRecords: 0, idempotencyRewritten: 0, sealedQueryCodes: 0, sealedQueryCodesRewritten: 0, queryCodeHashesNotRecomputable: 0 };

  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const read = await ds.transaction(async (m: EntityManager) => {
      const rows: { id: string; applicant_id_enc: string; applicant_phone_enc: string | null; applicant_id_hash: string }[] = await m.query(
        `SELECT id, applicant_id_enc, applicant_phone_enc, applicant_id_hash FROM cases WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE`,
        [after, batch],
      );
      for (const r of rows) {
        const id = cipher.open(r.applicant_id_enc);
        const phone = r.applicant_phone_enc ? cipher.open(r.applicant_phone_enc) : null;
        const hash = cipher.hash(ID_HASH, id.plain);
        if (id.key === 'current' && (phone === null || phone.key === 'current') && hash === r.applicant_id_hash) continue;
        await m.query(`UPDATE cases SET applicant_id_enc = $2, applicant_phone_enc = $3, applicant_id_hash = $4 WHERE id = $1`, [
          r.id,
          id.key === 'old' ? cipher.encrypt(id.plain) : r.applicant_id_enc,
          phone?.key === 'old' ? cipher.encrypt(phone.plain) : r.applicant_phone_enc,
          hash,
        ]);
        counts.casesRewritten++;
      }
      if (rows.length) after = rows[rows.length - 1].id;
      return rows.length;
    });
    counts.cases += read;
    opts.progress?.('cases', counts.cases);
    if (read < batch) break;
  }

  let afterKey = '';
  for (;;) {
    const read = await ds.transaction(async (m: EntityManager) => {
      const rows: { key: string; response: unknown }[] = await m.query(`SELECT key, response FROM idempotency_keys WHERE key > $1 ORDER BY key LIMIT $2 FOR UPDATE`, [afterKey, batch]);
      for (const r of rows) {
        const { value, changed } = reseal(cipher, r.response);
        if (!changed) continue;
        await m.query(`UPDATE idempotency_keys SET response = $2 WHERE key = $1`, [r.key, JSON.stringify(value)]);
        counts.idempotencyRewritten++;
      }
      if (rows.length) afterKey = rows[rows.length - 1].key;
      return rows.length;
    });
    counts.idempotencyRecords += read;
    opts.progress?.('idempotency_keys', counts.idempotencyRecords);
    if (read < batch) break;
  }

  let afterLetter = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const read = await ds.transaction(async (m: EntityManager) => {
      const rows: { id: string; sealed_query_code: string }[] = await m.query(
        `SELECT id, sealed_query_code FROM letters WHERE id > $1 AND sealed_query_code IS NOT NULL ORDER BY id LIMIT $2 FOR UPDATE`,
        [afterLetter, batch],
      );
      for (const r of rows) {
        const { value, changed } = reseal(cipher, r.sealed_query_code);
        if (!changed) continue;
        await m.query(`UPDATE letters SET sealed_query_code = $2 WHERE id = $1`, [r.id, value]);
        counts.sealedQueryCodesRewritten++;
      }
      if (rows.length) afterLetter = rows[rows.length - 1].id;
      return rows.length;
    });
    counts.sealedQueryCodes += read;
    opts.progress?.('letters', counts.sealedQueryCodes);
    if (read < batch) break;
  }

  const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM cases WHERE concluded_on IS NULL AND state NOT IN ('discarded')`);
  counts.queryCodeHashesNotRecomputable = n;
  return counts;
}

/** A JSON value with every sealed string opened by the old key sealed again under the current one. */
function reseal(cipher: PersonalDataCipher, v: unknown, depth = 0): { value: unknown; changed: boolean } {
  if (typeof v === 'string') {
    if (!PersonalDataCipher.looksSealed(v)) return { value: v, changed: false };
    const opened = cipher.open(v);
    return opened.key === 'old' ? { value: cipher.encrypt(opened.plain), changed: true } : { value: v, changed: false };
  }
  if (typeof v !== 'object' || v === null || depth > 32) return { value: v, changed: false };
  let changed = false;
  if (Array.isArray(v)) {
    const out = v.map((x) => {
      const r = reseal(cipher, x, depth + 1);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const r = reseal(cipher, x, depth + 1);
    changed ||= r.changed;
    out[k] = r.value;
  }
  return { value: out, changed };
}
