import { todayInShanghai } from '../../statute/iso-date';

/** The time source: injected so tests can move time without sleeping. */
export abstract class Clock {
  abstract now(): Date;
  /** today's calendar date in Asia/Shanghai, YYYY-MM-DD */
  today(): string {
    return todayInShanghai(this.now());
  }
  /** the calendar date (Asia/Shanghai) of an instant */
  todayOf(at: Date): string {
    return todayInShanghai(at);
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests set by hand. */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date | string): void {
    this.current = typeof at === 'string' ? new Date(at) : at;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
