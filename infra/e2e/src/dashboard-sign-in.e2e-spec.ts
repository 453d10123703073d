import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '@lead-sla/local-infra';
import { leadCreatedData, makeEvent, uniqueName } from '@lead-sla/testing';
import { signInThroughProvider, startOidcProvider } from './oidc-provider.fixture';
import { startTestPlatform, type TestPlatform } from './platform-harness';

const workspace = join(__dirname, '../../..');
const artifacts = join(workspace, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const policyFile = join(__dirname, '../policies/identity-e2e.policy.yaml');

/**
 * The dashboard's sign-in through the real authorization-code flow with
 * PKCE: headless Chromium, the reporting service, and a local OpenID
 * provider (oidc-provider) whose development login form signs anyone in.
 */
describe('dashboard sign-in end to end (authorization code + PKCE)', () => {
  let p: TestPlatform;
  let provider: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  let profile = '';

  beforeAll(async () => {
    const port = await freePort();
    // The services discover the provider lazily (first token, first sign-in), so it can start after them, once the callback URL is known.
    p = await startTestPlatform(policyFile, { AUTH_MODE: 'enforce', AUTH_ISSUER: `http://127.0.0.1:${port}`, AUTH_AUDIENCE: 'lead-sla-platform', AUTH_DASHBOARD_CLIENT_ID: 'dashboard' });
    provider = await startOidcProvider(port, p.url('reporting', '/auth/callback'));
    profile = mkdtempSync(join(tmpdir(), 'lead-sla-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    provider?.kill();
    await p?.stop();
  });

  const signIn = (page: Page, login: string) => signInThroughProvider(page, p.url('reporting', '/dashboard'), login);

  it('offers sign-in to a stranger, then shows an admin the live board; the session cookie changes nothing', async () => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    await page.goto(p.url('reporting', '/dashboard'));
    await page.locator('#sign-in').waitFor({ timeout: 15_000 });
    expect(await page.locator('#board tbody tr').count()).toBe(0);

    await signIn(page, 'admin@example.test');
    await page.waitForSelector('#live.on', { timeout: 15_000 });
    const lead = uniqueName('signed-in-lead');
    await p.publisher.publish([makeEvent('LeadCreated', lead, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);
    await page.locator(`tr[data-lead-id="${lead}"]`).waitFor({ timeout: 30_000 });
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard-signed-in.png'), fullPage: true });

    // The session is an HttpOnly cookie the API honours for reads only: it cannot be used to change anything.
    const session = (await context!.cookies()).find((c) => c.name === 'lead_sla_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const cookie = `lead_sla_session=${session!.value}`;
    expect((await fetch(p.url('reporting', '/api/board'), { headers: { cookie } })).status).toBe(200);
    const post = await fetch(p.url('routing', '/api/reps/ava/reinstate'), { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(401);
  });

  it("shows a manager their teams' slice of the board without asking", async () => {
    await context!.clearCookies();
    const page = context!.pages()[0] ?? (await context!.newPage());
    await signIn(page, 'mgr-emea@example.test');
    await page.waitForSelector('#live.on', { timeout: 15_000 });
    expect(await page.locator('#whoami').textContent()).toContain('manager');
    await page.locator('#board tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('#access').isHidden()).toBe(true);
  });
});
