import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

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

/**
 * Signs `login` in to the dashboard at `dashboardUrl` through the provider's
 * login and consent pages, as a person would; resolves on the dashboard.
 * `signInTimeoutMs`: how long the sign-in button may take to appear (the
 * browser's default when not given).
 */
export async function signInThroughProvider(page: Page, dashboardUrl: string, login: string, signInTimeoutMs?: number): Promise<void> {
  await page.goto(dashboardUrl);
  await page.locator('#sign-in').click(signInTimeoutMs === undefined ? undefined : { timeout: signInTimeoutMs });
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]').click(); // the consent page: "Continue"
  await page.waitForURL(/\/dashboard$/, { timeout: 15_000 });
}
