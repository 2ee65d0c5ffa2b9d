import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The `idempotency_keys` table: the first answer to each scoped key, with the hash of its request. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  async find(key: string): Promise<{ requestHash: string; response: unknown } | null> {
    const rows = await this.ds.query<{ request_hash: string; response: unknown }[]>(`SELECT request_hash, response FROM idempotency_keys WHERE key = $1`, [key]);
    return rows[0] ? { requestHash: rows[0].request_hash, response: rows[0].response } : null;
  }

  /** In the transaction that created what the answer describes; a concurrent twin fails on pk_idempotency_keys. */
  async insert(m: EntityManager, key: string, requestHash: string, response: unknown): Promise<void> {
    await m.query(`INSERT INTO idempotency_keys (key, request_hash, status_code, response) VALUES ($1, $2, 201, $3)`, [key, requestHash, JSON.stringify(response)]);
  }
}
