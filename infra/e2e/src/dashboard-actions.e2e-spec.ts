import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Topics } from '@lead-sla/contracts';
import { chromiumExecutable, freePort } from '@lead-sla/local-infra';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { signInThroughProvider, startOidcProvider } from './oidc-provider.fixture';
import { startTestPlatform, type TestPlatform } from './platform-harness';

// The browser is driven with playwright-core, like the other browser specs (puppeteer-core 25 is an ES module only,
// which Jest's CommonJS runtime cannot load without --experimental-vm-modules).
const policyFile = join(__dirname, '../policies/dashboard-e2e.policy.yaml');
// Beside the runs' folders, not in this run's (the global teardown deletes that): docs/images/ copies them from here.
const screenshots = join(__dirname, '../../../.cache/test-runs/artifacts/dashboard');

type Ev = ReturnType<typeof eventsOf>[number];

/**
 * A manager acts from the dashboard, signed in through the real OpenID
 * Connect flow, against the whole platform. The test publishes only
 * external facts (leads, and no touches): routing takes Ben out of rotation
 * after two missed first touches and queues the next lead of his pool
 * (dashboard-e2e.policy.yaml). Then the manager sees both, hands the queued
 * lead to Ava, reinstates Ben, watches a countdown tick and reads a lead's
 * clock math; Ben, signed in, sees only his own leads and no reinstate button.
 */
describe('the dashboard to act from, end to end in headless Chromium', () => {
  let p: TestPlatform;
  let provider: ChildProcess | null = null;
  let browser: Browser | null = null;
  let manager: Page;
  const lead = { missed1: uniqueName('missed-1'), missed2: uniqueName('missed-2'), queued: uniqueName('queued'), open: uniqueName('open') };

  const shot = async (page: Page, name: string) => {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  };

  /** This spec's events on the log, read from the beginning until `done` holds. */
  async function eventsUntil(done: (events: Ev[]) => boolean, what: string): Promise<Ev[]> {
    let events: Ev[] = [];
    await readTopic(p.kafka, Topics.leadEvents, (ms) => done((events = eventsOf(ms))), 60_000);
    if (!done(events)) throw new Error(`timed out waiting for ${what} on ${Topics.leadEvents}`);
    return events;
  }

  /** A browser of its own (cookies included) for `login`, signed in through the provider's login and consent pages. */
  async function signIn(login: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInThroughProvider(page, p.url('reporting', '/dashboard'), login, 15_000);
    await page.waitForSelector('#live.on', { timeout: 15_000 });
    return page;
  }

  const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');
  const statusOf = (page: Page, path: string) => page.evaluate((u) => fetch(u).then((r) => r.status), path);

  beforeAll(async () => {
    // Fails at once, naming what to install, where the machine has no Chromium.
    const executablePath = chromiumExecutable();
    const port = await freePort();
    p = await startTestPlatform(policyFile, { AUTH_MODE: 'enforce', AUTH_ISSUER: `http://127.0.0.1:${port}`, AUTH_AUDIENCE: 'lead-sla-platform', AUTH_DASHBOARD_CLIENT_ID: 'dashboard' });
    provider = await startOidcProvider(port, p.url('reporting', '/auth/callback'));
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    // Cold leads go to Ben alone, with a 6-second first-touch clock; nobody touches them.
    await p.publisher.publish([
      makeEvent('LeadCreated', lead.missed1, leadCreatedData({ intentTier: 'cold' })),
      makeEvent('LeadCreated', lead.missed2, leadCreatedData({ intentTier: 'cold' })),
    ]);
    await eventsUntil((es) => es.some((e) => e.type === 'RepRotationChanged' && e.data.repId === 'ben' && e.data.inRotation === false), 'Ben out of rotation');
    // Ben is out and his pool has no backup: the next cold lead waits in the queue. A warm lead goes to Ava or Cai (10-hour clock).
    await p.publisher.publish([
      makeEvent('LeadCreated', lead.queued, leadCreatedData({ intentTier: 'cold' })),
      makeEvent('LeadCreated', lead.open, leadCreatedData({ intentTier: 'warm' })),
    ]);
    await eventsUntil((es) => es.some((e) => e.type === 'LeadQueued' && e.leadId === lead.queued) && es.some((e) => e.type === 'LeadAssigned' && e.leadId === lead.open), 'the queued and the open lead');
    manager = await signIn('mgr-emea@example.test');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    provider?.kill();
    await p?.stop();
  });

  it('shows the manager the unassigned queue, the board with every clock, and the rep out of rotation with the misses', async () => {
    await manager.waitForSelector(`#queue tr[data-lead-id="${lead.queued}"] .chip[data-clock="unassigned_queue"] .countdown`, { timeout: 30_000 });
    await manager.waitForSelector(`#board tr[data-lead-id="${lead.open}"] .chip[data-clock="first_touch"]`, { timeout: 30_000 });
    await manager.waitForSelector(`#board tr[data-lead-id="${lead.missed1}"] .chip.late[data-clock="first_touch"]`, { timeout: 30_000 });
    await manager.waitForSelector('#rotation tr[data-rep-id="ben"] button.act-reinstate', { timeout: 30_000 });
    const misses = await text(manager, '#rotation tr[data-rep-id="ben"]');
    expect(misses).toContain(lead.missed1);
    expect(misses).toContain(lead.missed2);
    expect(await text(manager, '#whoami')).toContain('manager');
    await manager.waitForSelector('#chart-speed', { state: 'visible' });
    // The policy history: the file's version, published by routing at start.
    await manager.waitForSelector('#policy-history tr[data-version="dashboard-e2e-1"]', { timeout: 30_000 });
    expect(await text(manager, '#policy-history tr[data-version="dashboard-e2e-1"]')).toContain('the policy file');
    // The digests as notifications sends them: today's missed-SLA report of the manager's team counts Ben's misses.
    await manager.waitForSelector('#digest-missed tr[data-team-id]', { timeout: 30_000 });
    expect(await text(manager, '#digest-missed-summary')).toMatch(/^[1-9]\d* breaches on [1-9]\d* leads/);
    expect(await text(manager, '#digest-fallback-summary')).toMatch(/^\d+ reassignments of \d+ leads in \d{4}-W\d{2}\.$/);
    await shot(manager, 'dashboard-manager');
  });

  it('shows a rep only their own leads, and no reinstate or reassign button; the API refuses them the rest', async () => {
    const ben = await signIn('ben@example.test');
    await ben.waitForSelector(`#board tr[data-lead-id="${lead.missed1}"]`, { timeout: 30_000 });
    await ben.waitForSelector(`#board tr[data-lead-id="${lead.missed2}"]`);
    await ben.waitForSelector('#rotation tr[data-rep-id="ben"]', { timeout: 30_000 });
    expect(await ben.$(`tr[data-lead-id="${lead.open}"]`)).toBeNull();
    expect(await ben.$(`tr[data-lead-id="${lead.queued}"]`)).toBeNull();
    expect(await ben.$('button.act-reinstate')).toBeNull();
    expect(await ben.$('button.act-reassign')).toBeNull();
    // Digests and the policy history are managers' and admins' (the API refuses a rep too).
    expect(await ben.isHidden('#digests-section')).toBe(true);
    expect(await ben.isHidden('#policy-history-section')).toBe(true);
    expect(await statusOf(ben, '/v1/policies')).toBe(403);
    // His own leads' decisions are his to make.
    expect(await ben.$(`#board tr[data-lead-id="${lead.missed1}"] button.act-accept`)).not.toBeNull();
    // Server-side: the whole board, or another rep's leads, are refused.
    expect(await statusOf(ben, '/api/clocks/open')).toBe(403);
    expect(await statusOf(ben, '/api/clocks/open?rep=ava')).toBe(403);
    expect(await statusOf(ben, '/api/clocks/open?rep=ben')).toBe(200);
    // The hidden button would not help: routing refuses Ben's own reinstatement; and without the dashboard's header the relay refuses.
    const post = (path: string, headers: Record<string, string>) =>
      ben.evaluate(([u, h]) => fetch(u, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: '{}' }).then(async (r) => [r.status, ((await r.json()) as { message: string }).message]), [path, headers] as const);
    expect(await post('/api/actions/reps/ben/reinstate', { 'x-lead-sla-dashboard': '1' })).toEqual([403, expect.stringContaining('rep "ben" may not reinstate "ben"')]);
    expect(await post('/api/actions/reps/ben/reinstate', {})).toEqual([403, expect.stringContaining("dashboard actions come from the dashboard's own script")]);
    await shot(ben, 'dashboard-rep');

    // He accepts one of his leads from the page: disposition publishes it with Ben, as verified, as the actor.
    await ben.click(`#board tr[data-lead-id="${lead.missed1}"] button.act-accept`);
    await ben.waitForSelector('#action-dialog[open]');
    await ben.click('#action-submit');
    await ben.waitForSelector('#notice.ok', { state: 'visible', timeout: 15_000 });
    const events = await eventsUntil((es) => es.some((e) => e.type === 'SalDecisionRecorded' && e.leadId === lead.missed1), "Ben's acceptance");
    expect(events.find((e) => e.type === 'LeadAccepted' && e.leadId === lead.missed1)?.data).toMatchObject({ repId: 'ben', actor: { kind: 'person', id: 'ben', role: 'rep' } });
    await ben.context().close();
  });

  it('rejects a lead with a reason code from the policy, as the manager', async () => {
    await manager.click(`#board tr[data-lead-id="${lead.missed2}"] button.act-reject`);
    await manager.waitForSelector('#action-dialog[open] select[name=reasonCode]');
    expect(await manager.$$eval('#action-dialog select[name=reasonCode] option', (os) => os.map((o) => o.getAttribute('value')))).toEqual(['not_a_fit', 'other']);
    await manager.selectOption('#action-dialog select[name=reasonCode]', 'not_a_fit');
    await manager.fill('#action-dialog input[name=reason]', 'student project');
    await manager.click('#action-submit');
    const events = await eventsUntil((es) => es.some((e) => e.type === 'SalDecisionRecorded' && e.leadId === lead.missed2), 'the rejection');
    expect(events.find((e) => e.type === 'LeadRejected' && e.leadId === lead.missed2)?.data).toMatchObject({
      reasonCode: 'not_a_fit', reason: 'student project', actor: { kind: 'person', id: 'mgr-emea', role: 'manager' },
    });
  });

  it('reassigns the queued lead to the rep the manager picks, published with the manager as actor', async () => {
    await manager.click(`#queue tr[data-lead-id="${lead.queued}"] button.act-reassign`);
    await manager.waitForSelector('#action-dialog[open] select[name=toRepId]');
    await manager.selectOption('#action-dialog select[name=toRepId]', 'ava');
    await manager.fill('#action-dialog input[name=note]', 'Ava covers Ben today');
    await shot(manager, 'dashboard-reassign-dialog');
    await manager.click('#action-submit');
    await manager.waitForSelector(`#board tr[data-lead-id="${lead.queued}"][data-owner="ava"]`, { timeout: 30_000 });
    expect(await manager.$(`#queue tr[data-lead-id="${lead.queued}"]`)).toBeNull();

    const events = await eventsUntil((es) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === lead.queued), 'the reassignment');
    const request = events.find((e) => e.type === 'LeadReassignmentRequested' && e.leadId === lead.queued);
    expect(request?.data).toEqual({ toRepId: 'ava', fromRepId: null, actor: { kind: 'person', id: 'mgr-emea', role: 'manager' }, note: 'Ava covers Ben today' });
    const assigned = events.find((e) => e.type === 'LeadAssigned' && e.leadId === lead.queued);
    expect(assigned).toMatchObject({ causationId: request?.eventId, data: { repId: 'ava', reason: 'reassignment', reassignment: false, reassignmentCause: 'reassigned by manager mgr-emea: Ava covers Ben today' } });
  });

  it('reinstates the rep: routing puts Ben back into rotation and the panel empties', async () => {
    await manager.click('#rotation tr[data-rep-id="ben"] button.act-reinstate');
    await manager.waitForSelector('#action-dialog[open]');
    await manager.fill('#action-dialog input[name=note]', 'talked it through');
    await manager.click('#action-submit');
    await manager.waitForFunction('!document.querySelector(\'#rotation tr[data-rep-id="ben"]\')', { timeout: 30_000 });
    const events = await eventsUntil((es) => es.some((e) => e.type === 'RepRotationChanged' && e.data.repId === 'ben' && e.data.inRotation === true), 'Ben back in rotation');
    expect(events.find((e) => e.type === 'RepReinstated')?.data).toMatchObject({ repId: 'ben', managerId: 'mgr-emea', actor: { kind: 'person', id: 'mgr-emea', role: 'manager' }, note: 'talked it through' });
  });

  it('ticks the countdowns live', async () => {
    const selector = `#board tr[data-lead-id="${lead.open}"] .chip[data-clock="first_touch"] .countdown`;
    const before = await text(manager, selector);
    expect(before).toMatch(/^\d+:\d{2}:\d{2} left$/);
    await waitFor(async () => ((await text(manager, selector)) !== before ? true : undefined), 'the countdown to tick', 5000);
    await shot(manager, 'dashboard-after-actions');
  });

  it("opens the lead page with each deadline's clock math", async () => {
    await manager.click(`#board tr[data-lead-id="${lead.open}"] a.lead-link`);
    await manager.waitForURL(/\/dashboard\/leads\//);
    await manager.waitForSelector('#lead-deadlines tr[data-clock="first_touch"] td.math', { timeout: 15_000 });
    expect(await text(manager, '#lead-deadlines tr[data-clock="first_touch"] td.math')).toMatch(/^started .+, \+ 600 coverage minutes in calendar "always-on" \(UTC\), = deadline .+$/);
    expect(await text(manager, '#lead-timeline')).toContain('assigned');
    expect(await manager.$$eval('#lead-actions button', (bs) => bs.map((b) => b.getAttribute('data-action')))).toEqual(['reassign', 'accept', 'reject', 'disposition']);
    await shot(manager, 'dashboard-lead');
  });

  it('fits a phone', async () => {
    await manager.setViewportSize({ width: 390, height: 844 });
    await manager.goto(p.url('reporting', '/dashboard'));
    await manager.waitForSelector(`#board tr[data-lead-id="${lead.open}"]`, { timeout: 30_000 });
    // Nothing wider than the screen: the tables turn into cards.
    expect(await manager.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(manager, 'dashboard-phone');
  });
});
