import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts oidc-provider (its own process, oidc-provider.fixture.mjs) on `port` with the dashboard as a public client; resolves once it listens. */
export function startOidcProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.fixture.mjs'), String(port), redirectUri], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`the local OpenID provider exited (${code}) before it was ready: ${errors}`)));
  });
}
