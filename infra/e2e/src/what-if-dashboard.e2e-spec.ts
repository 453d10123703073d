import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Topics } from '@lead-sla/contracts';
import { chromiumExecutable, freePort } from '@lead-sla/local-infra';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName } from '@lead-sla/testing';
import { whatIfServer } from '@lead-sla/what-if';
import { signInThroughProvider, startOidcProvider } from './oidc-provider.fixture';
import { startTestPlatform, type TestPlatform } from './platform-harness';

const policyFile = join(__dirname, '../policies/dashboard-e2e.policy.yaml');
// Beside the runs' folders (the global teardown deletes a run's own): docs/images/what-if-page.png is copied from here.
const screenshots = join(__dirname, '../../../.cache/test-runs/artifacts/dashboard');

type Ev = ReturnType<typeof eventsOf>[number] & { recordedAt: string };

/**
 * The dashboard's what-if page (issue 16, item 3) against the whole
 * platform: reporting relays an admin's run to a real what-if engine
 * (whatIfServer, in this process, reading the platform's log), signed in
 * through the real OpenID Connect flow. Only external facts are published
 * (two leads). The admin sees the named error of a broken policy, then the
 * comparison of a candidate whose 3-second first-touch clock breaches both
 * leads; a manager gets no link and a 403.
 */
describe('the what-if page of the dashboard, end to end in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'what-if-page-'));
  const whatIfToken = randomUUID();
  let p: TestPlatform;
  let provider: ChildProcess | null = null;
  let browser: Browser | null = null;
  let engine: Server | null = null;
  const leads = [uniqueName('what-if-page'), uniqueName('what-if-page')];
  let period: { from: string; to: string };

  async function signIn(login: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, timezoneId: 'UTC' });
    const page = await context.newPage();
    await signInThroughProvider(page, p.url('reporting', '/dashboard'), login, 15_000);
    await page.waitForSelector('#live.on', { timeout: 15_000 });
    return page;
  }

  /** The policy file with another version and the standard tier's first-touch minutes. */
  const candidate = (version: string, firstTouchMinutes: string) =>
    readFileSync(policyFile, 'utf8').replace(/^version: .*$/m, `version: "${version}"`).replace('first_touch: { minutes: 600,', `first_touch: { minutes: ${firstTouchMinutes},`);

  /** An ISO instant as the page's datetime-local inputs take it (the browser runs in UTC). */
  const local = (iso: string) => iso.slice(0, 19);

  async function run(page: Page, policy: string): Promise<void> {
    await page.fill('#what-if-form textarea[name=policy]', policy);
    await page.fill('#what-if-form input[name=from]', local(period.from));
    await page.fill('#what-if-form input[name=to]', local(period.to));
    await page.click('#what-if-run');
  }

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    const port = await freePort();
    const whatIfPort = await freePort();
    p = await startTestPlatform(policyFile, {
      AUTH_MODE: 'enforce', AUTH_ISSUER: `http://127.0.0.1:${port}`, AUTH_AUDIENCE: 'lead-sla-platform', AUTH_DASHBOARD_CLIENT_ID: 'dashboard',
      WHAT_IF_URL: `http://127.0.0.1:${whatIfPort}`, WHAT_IF_ADMIN_TOKEN: whatIfToken,
    });
    engine = whatIfServer({ kafka: p.kafka, bootstrapFile: policyFile, adminToken: whatIfToken, writeCandidate: (yaml) => {
      const file = join(dir, `candidate-${randomUUID()}.policy.yaml`);
      writeFileSync(file, yaml);
      return file;
    } });
    await new Promise<void>((resolve) => engine!.listen(whatIfPort, '127.0.0.1', resolve));
    provider = await startOidcProvider(port, p.url('reporting', '/auth/callback'));
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    // Two warm EMEA leads: Ava and Cai take one each, with a 10-hour first-touch clock nobody meets in the period.
    const from = new Date(Date.now() - 1_000).toISOString();
    for (const id of leads) await p.publisher.publish([makeEvent('LeadCreated', id, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);
    let events: Ev[] = [];
    await readTopic(p.kafka, Topics.leadEvents, (ms) => {
      events = eventsOf(ms) as Ev[];
      return leads.every((id) => events.some((e) => e.type === 'SlaClockStarted' && e.leadId === id && e.data.clock === 'first_touch'));
    }, 60_000);
    // The period ends 10 s after the last clock started: long enough for the candidate's 3-second clock to run out.
    const lastStart = Math.max(...events.filter((e) => e.type === 'SlaClockStarted' && leads.includes(e.leadId!)).map((e) => Date.parse(e.recordedAt)));
    period = { from, to: new Date(lastStart + 10_000).toISOString() };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastStart + 12_000 - Date.now())));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    provider?.kill();
    engine?.close();
    await p?.stop();
  });

  it('lets an admin run a candidate over the period and shows the comparison; a broken policy is named', async () => {
    const admin = await signIn('admin@example.test');
    await admin.click('#what-if-link');
    await admin.waitForURL(/\/dashboard\/what-if$/);
    // Prefilled with the policy in force (routing published the file's version at start).
    await admin.waitForFunction(`document.querySelector('#what-if-form textarea').value.includes('version: "dashboard-e2e-1"')`, undefined, { timeout: 15_000 });

    await run(admin, candidate('what-if-page-broken', '"soon"'));
    await admin.waitForSelector('#what-if-error:not([hidden])', { timeout: 60_000 });
    expect(await admin.textContent('#what-if-error-title')).toBe('The candidate policy or the period cannot be used');
    expect(await admin.textContent('#what-if-error-detail')).toMatch(/clocks\.tiers\.1\.clocks\.first_touch\.minutes/);
    // Text that is not YAML at all: the parser's complaint, with where.
    await admin.evaluate("document.querySelector('#what-if-error').hidden = true");
    await run(admin, 'version: "what-if-page-yaml"\nteams: [\n');
    await admin.waitForSelector('#what-if-error:not([hidden])', { timeout: 60_000 });
    expect(await admin.textContent('#what-if-error-detail')).toMatch(/YAML syntax: .+ at line \d+/);

    await run(admin, candidate('what-if-page-3s', '0.05'));
    await admin.waitForSelector('#what-if-result:not([hidden])', { timeout: 240_000 });
    expect(await admin.isHidden('#what-if-error')).toBe(true);
    const report = admin.frameLocator('#what-if-report');
    const row = (name: string) => report.locator('table tr', { has: report.locator('th', { hasText: new RegExp(`^${name}$`) }) }).first().locator('td');
    // Nobody touches the leads: none is late under the 10-hour clock, both are (and whoever gets them next) under the 3-second one.
    const compliance = await row('first_touch compliance').allTextContents();
    expect(compliance[0]).toBe('100.0 %');
    expect(compliance[1]).not.toBe('100.0 %');
    const breaches = await row('first_touch breaches').allTextContents();
    expect(breaches[0]).toBe('0');
    expect(Number(breaches[1])).toBeGreaterThanOrEqual(2);
    expect(await report.locator('h1').textContent()).toContain('What-if');
    // The baseline is the version on the log in the period (routing published the file at start), checked exactly.
    const summary = await report.locator('p').first().textContent();
    expect(summary).toContain('Baseline dashboard-e2e-1 (the policy in force) against candidate what-if-page-3s');
    expect(summary).toMatch(/Baseline check passed: [1-9]\d* recorded decisions reproduced exactly/);
    mkdirSync(screenshots, { recursive: true });
    await admin.screenshot({ path: join(screenshots, 'what-if-page.png'), fullPage: true });
    await admin.context().close();
  });

  it('shows a manager no link, and reporting refuses them the run', async () => {
    const manager = await signIn('mgr-emea@example.test');
    expect(await manager.isHidden('#what-if-link')).toBe(true);
    const post = (headers: Record<string, string>) =>
      manager.evaluate(
        ([h, body]) => fetch('/api/what-if', { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body }).then(async (r) => [r.status, ((await r.json()) as { message: string }).message]),
        [headers, JSON.stringify({ policy: candidate('x', '1'), ...period })] as const,
      );
    expect(await post({ 'x-lead-sla-dashboard': '1' })).toEqual([403, expect.stringContaining('may not run a what-if of a candidate policy: only an admin can')]);
    // The session cookie alone (what another site's page could make the browser send) is no credential for a run.
    expect(await post({})).toEqual([401, expect.stringContaining('no credentials')]);
    await manager.goto(p.url('reporting', '/dashboard/what-if'));
    await manager.waitForSelector('#access:not([hidden])', { timeout: 15_000 });
    expect(await manager.textContent('#access')).toContain('Only admins can run a what-if');
    expect(await manager.isHidden('#what-if-view')).toBe(true);
  });
});
