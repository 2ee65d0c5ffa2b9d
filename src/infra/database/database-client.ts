import { Client } from 'pg';

const CONNECT_FAILED = Symbol('the database connection could not be made');
let lastBreak = Number.NEGATIVE_INFINITY;

/**
 * pg's client as this process's pools make it (`Client` in the pool's options), noting two things the error mapping
 * cannot tell from an error alone:
 * - an error of `connect()` (refused, reset or cut off while the connection was being made, PostgreSQL shutting
 *   down or starting): nothing reached the database; raised as it comes, marked ({@link failedToConnect}) so that a
 *   socket error of getting a connection (`read ECONNRESET`) is told from one of something else;
 * - a connection that broke once made (its `error` event: PostgreSQL shut down, the network cut): TypeORM then
 *   releases the query runner holding it, and the runner's next statement fails with `QueryRunnerAlreadyReleasedError`
 *   ({@link connectionBrokeWithin}).
 */
export class DatabaseClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => {
      lastBreak = Date.now();
    });
  }

  override connect(): Promise<Client>;
  override connect(callback: (err: Error) => void): void;
  override connect(callback?: (err: Error) => void): Promise<Client> | void {
    if (callback) return super.connect((err: Error) => callback(err ? marked(err) : err));
    return super.connect().catch((e: unknown) => {
      throw marked(e);
    });
  }
}

function marked<T>(err: T): T {
  if (err && typeof err === 'object') Object.defineProperty(err, CONNECT_FAILED, { value: true });
  return err;
}

/** The error is one of making a database connection (nothing reached PostgreSQL). */
export function failedToConnect(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Record<symbol, unknown>)[CONNECT_FAILED] === true;
}

/** A connection of this process broke within the last `ms` milliseconds. */
export function connectionBrokeWithin(ms: number): boolean {
  return Date.now() - lastBreak <= ms;
}
