import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_PATTERN } from './validation/patterns';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from './errors/domain-error';
import { IdempotencyRepository } from './idempotency.repository';


function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * `Idempotency-Key` on creating requests: the same key with the same body answers the
 * first answer and creates nothing more; with another body, 422 IDEMPOTENCY_KEY_REUSED.
 * The record is written in the same transaction as what it creates.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly ds: DataSource,
    private readonly keys: IdempotencyRepository,
  ) {}

  /** Runs `create` in one transaction, or returns the stored answer for a repeated key. */
  async run<T>(scope: string, key: string | undefined, body: unknown, create: (m: EntityManager) => Promise<T>): Promise<T> {
    if (key === undefined) return this.ds.transaction(create);
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw DomainError.field('Idempotency-Key', 'Idempotency-Key 格式不正确（1–200个字母、数字或 _.:-）');
    const fullKey = `${scope}:${key}`;
    const hash = createHash('sha256').update(stableJson(body)).digest('hex');
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.find(fullKey, hash);
      if (stored !== undefined) return stored as T;
      try {
        return await this.ds.transaction(async (m) => {
          const result = await create(m);
          await this.keys.insert(m, fullKey, hash, result);
          return result;
        });
      } catch (e) {
        // a concurrent request with the same key won: read its answer
        if ((e as { code?: string; constraint?: string }).code === '23505' && (e as { constraint?: string }).constraint === 'pk_idempotency_keys') continue;
        throw e;
      }
    }
    throw new DomainError('CONFLICT');
  }

  private async find(fullKey: string, hash: string): Promise<unknown> {
    const stored = await this.keys.find(fullKey);
    if (!stored) return undefined;
    if (stored.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    return stored.response;
  }
}
