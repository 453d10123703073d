import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Topics } from '@lead-sla/contracts';
import { withKafkaAdmin } from '@lead-sla/messaging';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { e2ePolicyFile, getJson, startTestPlatform, type TestPlatform } from './platform-harness';

const workspace = join(__dirname, '../../..');
const artifacts = join(workspace, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Ev = ReturnType<typeof eventsOf>[number];
const touch = (leadId: string, repId: string) =>
  makeEvent('LeadTouched', leadId, { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false });

/**
 * This spec's events on lead-events.v1, read from the beginning until `done`
 * holds (parsed incrementally: the topic is shared with every other spec).
 */
async function eventsFor(p: TestPlatform, leadIds: ReadonlySet<string>, done: (events: Ev[]) => boolean, timeoutMs = 60_000): Promise<Ev[]> {
  const mine: Ev[] = [];
  let parsed = 0;
  const take = (ms: Parameters<typeof eventsOf>[0]) => {
    for (; parsed < ms.length; parsed++) {
      for (const e of eventsOf([ms[parsed]])) if (e.leadId !== null && leadIds.has(e.leadId)) mine.push(e);
    }
    return mine;
  };
  take(await readTopic(p.kafka, Topics.leadEvents, (ms) => done(take(ms)), timeoutMs));
  return mine;
}

/** Every event of this spec up to the end of the topic as it is now. */
async function allEventsFor(p: TestPlatform, leadIds: ReadonlySet<string>): Promise<Ev[]> {
  const highs = await withKafkaAdmin(p.kafka, (admin) => admin.watermarks(Topics.leadEvents));
  const targets = highs.filter((h) => h.high > 0n).map((h) => ({ partition: h.partition, last: h.high - 1n }));
  const reached = new Map<number, bigint>();
  let seen = 0;
  const mine: Ev[] = [];
  const messages = await readTopic(
    p.kafka,
    Topics.leadEvents,
    (ms) => {
      for (; seen < ms.length; seen++) {
        const m = ms[seen];
        if (BigInt(m.offset) > (reached.get(m.partition) ?? -1n)) reached.set(m.partition, BigInt(m.offset));
      }
      return targets.every((t) => (reached.get(t.partition) ?? -1n) >= t.last);
    },
    120_000,
  );
  for (const e of eventsOf(messages)) if (e.leadId !== null && leadIds.has(e.leadId)) mine.push(e);
  expect(targets.every((t) => (reached.get(t.partition) ?? -1n) >= t.last)).toBe(true);
  return mine;
}

/** The current owner of each lead: the repId of its latest LeadAssigned in log order. */
function ownersOf(events: readonly Ev[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const e of events) if (e.type === 'LeadAssigned') owners.set(e.leadId!, e.data.repId as string);
  return owners;
}

describe('reporting end to end: projections, API, dashboard', () => {
  let p: TestPlatform;
  const today = new Date().toISOString().slice(0, 10);

  /**
   * The e2e policy with reps of this spec's own (fresh ids, no capacity cap,
   * no rotation penalty): specs share Kafka and Postgres, and reps that
   * earlier specs filled up or took out of rotation would leave these leads
   * queued.
   */
  function ownPolicy(): string {
    const prefix = uniqueName('r').replace(/_/g, '-');
    const text = readFileSync(e2ePolicyFile, 'utf8')
      .replace(/\b(ava|ben|cai|dev|eli|fay|gus)\b/g, `${prefix}-$1`)
      .replace(/capacity: \d+/g, 'capacity: 100000')
      .replace(/rotationPenalty: \{ misses: \d+/, 'rotationPenalty: { misses: 100000')
      // A version of its own: on a shared Kafka the log keeps earlier specs' versions, and a changed document needs a new one.
      .replace(/^version: .*$/m, `version: "${prefix}"`);
    const file = join(mkdtempSync(join(tmpdir(), 'lead-sla-reporting-e2e-')), 'reporting-e2e.policy.yaml');
    writeFileSync(file, text);
    return file;
  }

  beforeAll(async () => {
    p = await startTestPlatform(ownPolicy());
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('serves the checked-in OpenAPI document and answers bad parameters with a 400 naming them', async () => {
    const served = await getJson(p.url('reporting', '/api/openapi.json'));
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(readFileSync(join(workspace, 'docs/openapi/reporting.openapi.json'), 'utf8')));
    const bad = await getJson(p.url('reporting', '/api/scorecards?dimension=planet&from=2026-01-01&to=2026-01-31'));
    expect(bad).toEqual({ status: 400, body: expect.objectContaining({ parameter: 'dimension', message: expect.stringContaining('"dimension" must be one of rep, team, source, segment') }) });
    const badDay = await getJson(p.url('reporting', '/api/reports/missed-sla?day=yesterday'));
    expect(badDay.body).toEqual(expect.objectContaining({ statusCode: 400, parameter: 'day' }));
    expect((await getJson(p.url('reporting', '/api/board?limit=0'))).body).toEqual(expect.objectContaining({ parameter: 'limit' }));
  });

  it('shows breaches and compliance that match a count made independently from the events', async () => {
    const source = uniqueName('e2e-source');
    const leads = Array.from({ length: 8 }, (_, i) => `${uniqueName('rep-lead')}-${i}`);
    const ids = new Set(leads);
    const prompt = new Set(leads.slice(0, 5));
    await p.publisher.publish(leads.map((id) => makeEvent('LeadCreated', id, leadCreatedData({ source, territory: 'emea', intentTier: 'hot' }))));

    // Owners touch five leads at once; the other three breach and are reassigned, then the backup touches them.
    const assigned = await eventsFor(p, ids, (es) => new Set(es.filter((e) => e.type === 'LeadAssigned').map((e) => e.leadId)).size === leads.length);
    const firstOwners = ownersOf(assigned);
    await p.publisher.publish([...prompt].map((id) => touch(id, firstOwners.get(id)!)));
    const late = leads.filter((id) => !prompt.has(id));
    const reassigned = await eventsFor(p, ids, (es) =>
      late.every((id) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === id && e.data.reassignment === true)),
    );
    const owners = ownersOf(reassigned);
    await p.publisher.publish(late.map((id) => touch(id, owners.get(id)!)));

    // Let the stream settle (no clock left running for these leads), then count from the events alone.
    await new Promise((r) => setTimeout(r, 9000));
    const events = await allEventsFor(p, ids);
    const breaches = events.filter((e) => e.type === 'SlaBreached');
    const breachedLeads = new Set(breaches.filter((e) => e.data.clock === 'first_touch').map((e) => e.leadId));
    const fallbacks = events.filter((e) => e.type === 'LeadAssigned' && e.data.reassignment === true).length;
    const met = leads.length - breachedLeads.size;
    expect(breachedLeads.size).toBeGreaterThanOrEqual(late.length);

    const card = await waitFor(async () => {
      const r = await getJson(p.url('reporting', `/api/scorecards?dimension=source&key=${source}&from=${today}&to=${today}`));
      const item = (r.body as { items: Array<Record<string, number>> }).items[0];
      return item && item.firstTouchBreached === breachedLeads.size && item.breaches === breaches.length && item.fallbacks === fallbacks ? item : undefined;
    }, 'the scorecard of the test source to reflect every breach and fallback', 30_000);
    expect(card).toMatchObject({
      leads: leads.length,
      assigned: leads.length,
      firstTouchMet: met,
      firstTouchBreached: breachedLeads.size,
      firstTouchComplianceRate: met / leads.length,
      breaches: breaches.length,
      fallbacks,
      firstTouched: leads.length,
    });

    type Report = { items: Array<{ leadId: string; clock: string; deadline: string }>; nextOffset: number | null };
    const mine: Report['items'] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page = (await getJson(p.url('reporting', `/api/reports/missed-sla?day=${today}&limit=1000&offset=${offset}`))).body as Report;
      mine.push(...page.items.filter((b) => ids.has(b.leadId)));
      offset = page.nextOffset;
    }
    expect(mine).toHaveLength(breaches.length);
    expect(mine.map((b) => b.deadline).sort()).toEqual(breaches.map((e) => (e.data.math as { deadline: string }).deadline).sort());

    const timeline = await getJson(p.url('reporting', `/api/leads/${late[0]}/timeline`));
    const body = timeline.body as { milestones: Array<{ what: string }>; deadlines: Array<{ clock: string; math: { coverageMinutes: number } | null }> };
    expect(body.milestones.map((m) => m.what)).toEqual(expect.arrayContaining(['created', 'assigned', 'reassigned', 'first owned touch', 'SLA breached']));
    expect(body.deadlines.filter((d) => d.clock === 'first_touch').every((d) => d.math?.coverageMinutes === 0.1)).toBe(true);
  });

  it("shows a live countdown for an open lead's first-touch clock on the dashboard and drops that clock after the first touch", async () => {
    mkdirSync(artifacts, { recursive: true });
    const profile = mkdtempSync(join(tmpdir(), 'lead-sla-chromium-'));
    let context: BrowserContext | null = null;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 1000 },
      });
      const page: Page = context.pages()[0] ?? (await context.newPage());
      await page.goto(p.url('reporting', '/dashboard'));
      await page.waitForSelector('#live.on', { timeout: 15_000 });

      const lead = uniqueName('dash-lead');
      await p.publisher.publish([makeEvent('LeadCreated', lead, leadCreatedData({ territory: 'emea', intentTier: 'hot' }))]);
      // The board shows every running clock of the lead; the first-touch one counts down to its deadline.
      const firstTouch = page.locator(`tr[data-lead-id="${lead}"] .chip[data-clock="first_touch"]`);
      const cell = firstTouch.locator('.countdown');
      await cell.waitFor({ timeout: 20_000 });
      const first = await cell.textContent();
      expect(first).toMatch(/\d+:\d{2} (left|overdue)/);
      // The countdown ticks in the page without a reload.
      await waitFor(async () => ((await cell.textContent()) !== first ? true : undefined), 'the countdown to tick', 5000);
      await page.screenshot({ path: join(artifacts, 'reporting-dashboard.png'), fullPage: true });

      // The owner touches the lead; if the clock fired first and the lead moved to a backup, the new owner does.
      for (let attempt = 0; attempt < 5; attempt++) {
        const owner = (await page.locator(`tr[data-lead-id="${lead}"]`).getAttribute('data-owner', { timeout: 2000 }).catch(() => null)) ?? null;
        if (!owner) break;
        await p.publisher.publish([touch(lead, owner)]);
        const gone = await firstTouch
          .waitFor({ state: 'detached', timeout: 7000 })
          .then(() => true)
          .catch(() => false);
        if (gone) break;
      }
      expect(await firstTouch.count()).toBe(0);
      await page.screenshot({ path: join(artifacts, 'reporting-dashboard-after-touch.png'), fullPage: true });
    } finally {
      await context?.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
