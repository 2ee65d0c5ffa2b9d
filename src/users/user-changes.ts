import { Injectable } from '@nestjs/common';

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
}
