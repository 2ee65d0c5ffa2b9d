import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The service's entry points as real child processes (`src/main.ts`, `src/worker.ts` under swc, as `node dist/…`
 * runs them), their output collected in `output`, each added to `procs` for {@link stopAll}.
 */
export function startEntry(entry: 'main' | 'worker', env: Record<string, string>, procs: ChildProcess[], output: string[]): ChildProcess {
  const p = spawn(process.execPath, ['-r', '@swc-node/register', `src/${entry}.ts`], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout?.on('data', (d) => output.push(String(d)));
  p.stderr?.on('data', (d) => output.push(String(d)));
  procs.push(p);
  return p;
}

/** SIGTERM to every process still running (an orderly shutdown), SIGKILL to any still there after `killAfterMs`. */
export function stopAll(procs: ChildProcess[], killAfterMs = 15_000): Promise<void[]> {
  return Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null) return resolve();
          p.on('exit', () => resolve());
          p.kill('SIGTERM');
          setTimeout(() => p.kill('SIGKILL'), killAfterMs).unref();
        }),
    ),
  );
}
