import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface RefreshTokenRow {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** The `refresh_tokens` table (tokens stored as their SHA-256), in plain SQL. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(m: EntityManager, row: { tokenHash: string; familyId: string; userId: string; expiresAt: Date }): Promise<void> {
    await m.query(`INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, $4)`, [row.tokenHash, row.familyId, row.userId, row.expiresAt]);
  }

  /** The token's row, locked for the rest of the transaction; null for an unknown hash. */
  async lockByHash(m: EntityManager, tokenHash: string): Promise<RefreshTokenRow | null> {
    const rows = await m.query<{ id: string; family_id: string; user_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }[]>(
      `SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    const r = rows[0];
    return r ? { id: r.id, familyId: r.family_id, userId: r.user_id, expiresAt: r.expires_at, usedAt: r.used_at, revokedAt: r.revoked_at } : null;
  }

  async familyOf(m: EntityManager, tokenHash: string): Promise<{ familyId: string; userId: string } | null> {
    const rows = await m.query<{ family_id: string; user_id: string }[]>(`SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? { familyId: rows[0].family_id, userId: rows[0].user_id } : null;
  }

  async markUsed(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
  }

  async revokeFamily(m: EntityManager, familyId: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, at]);
  }

  /** Every open session of the user, at the transaction's time (a user disabled or given a new password). */
  async revokeAllOfUser(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  /** Whether some token of the family is not revoked (the session is open). */
  async familyOpen(familyId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL LIMIT 1`, [familyId]);
    return rows.length > 0;
  }
}
