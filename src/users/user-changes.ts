import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type AccessWithdrawnHandler = (m: EntityManager, userId: string) => Promise<void>;

/**
 * Told when a user's account changes (disabled, role, agency, password) after the change commits: the
 * access checks of this process forget what they knew of that account at once (other processes within
 * their short cache time).
 */
@Injectable()
export class UserChanges {
  private readonly listeners: ((userId: string) => void)[] = [];

  onChange(fn: (userId: string) => void): void {
    this.listeners.push(fn);
  }

  changed(userId: string): void {
    for (const fn of this.listeners) fn(userId);
  }

  private readonly withdrawals: AccessWithdrawnHandler[] = [];

  /** `fn` runs in the transaction that disables a user or sets a new password (the auth module revokes the sessions). */
  onAccessWithdrawn(fn: AccessWithdrawnHandler): void {
    this.withdrawals.push(fn);
  }

  /** In the account's transaction; refuses when nothing would end the user's sessions (no auth module in this process). */
  async accessWithdrawn(m: EntityManager, userId: string): Promise<void> {
    if (!this.withdrawals.length) throw new Error('no handler ends the sessions of a withdrawn account');
    for (const fn of this.withdrawals) await fn(m, userId);
  }
}
