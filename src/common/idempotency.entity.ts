import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Idempotency-Key records: the first answer, stored in the transaction that created it. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  /** scope (route + caller) and the client's key */
  @PrimaryColumn({ type: 'varchar', length: 300, primaryKeyConstraintName: 'pk_idempotency_keys' })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'status_code', type: 'int' })
  statusCode: number;

  @Column({ name: 'response', type: 'jsonb' })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
