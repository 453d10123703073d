import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace-paths';

export interface RunningWhatIfEngine {
  readonly url: string;
  /** The admin token it was started with: routing's dry-run and reporting's what-if page send it (WHAT_IF_ADMIN_TOKEN). */
  readonly adminToken: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the what-if engine's admin API (`npm run what-if -- serve`,
 * docs/what-if.md) as its own process with a token generated for this run:
 * a replay takes a CPU core for seconds to minutes, so it runs beside the
 * services rather than in one of them or in the demo's process.
 */
export async function startWhatIfEngine(options: { kafkaBrokers: string; policyFile: string; port: number; logDir: string }): Promise<RunningWhatIfEngine> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, 'what-if.log');
  const out = openSync(logFile, 'a');
  const adminToken = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', '@swc-node/register', join(workspaceRoot, 'libs/what-if/src/cli/what-if.main.ts'), 'serve'], {
    cwd: workspaceRoot,
    env: { ...process.env, KAFKA_BROKERS: options.kafkaBrokers, POLICY_FILE: options.policyFile, WHAT_IF_PORT: String(options.port), WHAT_IF_ADMIN_TOKEN: adminToken, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the what-if engine exited with code ${child.exitCode} before it listened; see ${logFile}`);
    // Any answer means it listens (a GET is answered 404: the API is POST /admin/what-if).
    if (await fetch(`${url}/admin/what-if`).then(() => true, () => false)) return { url, adminToken, logFile, stop };
    if (Date.now() - started > 60_000) {
      await stop();
      throw new Error(`the what-if engine did not listen on ${url} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
