import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_SERVICES, type PlatformService } from '@lead-sla/platform';
import { workspaceRoot } from '../workspace-paths';

export const SERVICE_NAMES = PLATFORM_SERVICES;
export type ServiceName = PlatformService;

export interface RunningService {
  readonly name: ServiceName;
  readonly url: string;
  readonly logFile: string;
  readonly process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceLaunch {
  readonly name: ServiceName;
  readonly port: number;
  /** A second instance of the same service gets its own log file. */
  readonly instance?: string;
}

const NODE_FLAGS = ['--enable-source-maps', '--no-warnings=ExperimentalWarning', '-r', '@swc-node/register'];

function mainOf(name: ServiceName): string {
  return join(workspaceRoot, 'services', name, 'src', 'main.ts');
}

/** Applies a service's migrations (the explicit deployment step). */
export function migrateService(name: ServiceName, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, mainOf(name), 'migrate'], { cwd: workspaceRoot, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`migrating ${name} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
}

/** The last lines of a service's log: a failed start is explained in the error itself (a run's folder is removed after it). */
function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let lastAnswer = 'no answer (not listening yet)';
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode} before it was ready; see ${logFile}; its last lines:\n${logTail(logFile)}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
      lastAnswer = `${res.status} ${(await res.text()).slice(0, 500)}`;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`service at ${url} not ready after ${timeoutMs} ms; its readiness last answered: ${lastAnswer}; see ${logFile}; its last lines:\n${logTail(logFile)}`);
}

/**
 * Starts a service as its own Node process (logs to a file) and waits until it is ready.
 * Local runs (npm start, the tests' harness) are in identity's demo mode unless the env sets
 * AUTH_MODE (the identity tests set enforce); a deployment starts services directly, where
 * the default is enforce.
 */
export async function startService(launch: ServiceLaunch, env: NodeJS.ProcessEnv, logDir: string, timeoutMs = 90_000): Promise<RunningService> {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${launch.name}${launch.instance ? `-${launch.instance}` : ''}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...NODE_FLAGS, mainOf(launch.name)], {
    cwd: workspaceRoot,
    env: { AUTH_MODE: 'demo', ...env, PORT: String(launch.port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const url = `http://127.0.0.1:${launch.port}`;
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', (code) => {
        clearTimeout(killer);
        resolve(code);
      });
      child.kill(signal);
    });
  try {
    await waitReady(url, child, logFile, timeoutMs);
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return { name: launch.name, url, logFile, process: child, stop };
}

export interface ReplayRun {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `<service main> replay` (rebuild from offset 0 into a replay database, compare with live) and returns its exit code and output. */
export function replayService(name: ServiceName, env: NodeJS.ProcessEnv, timeoutMs = 300_000): ReplayRun {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, mainOf(name), 'replay', '--show-values'], { cwd: workspaceRoot, env, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
