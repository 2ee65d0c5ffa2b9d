import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/** Things to stop after Nest has closed everything else (the embedded database last). */
@Injectable()
export class AppShutdown implements OnApplicationShutdown {
  private readonly hooks: (() => Promise<void>)[] = [];

  register(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const h of this.hooks.reverse()) await h().catch(() => undefined);
  }
}
