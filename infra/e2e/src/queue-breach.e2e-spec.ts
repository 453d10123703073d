import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';
import { startWebhookInbox } from './webhook-inbox.fixture';

const policyFile = join(__dirname, '../policies/queue-breach.policy.yaml');

describe('the unassigned queue end to end: never silent', () => {
  let p: TestPlatform;
  let people: Awaited<ReturnType<typeof startWebhookInbox>>;
  let queue: Awaited<ReturnType<typeof startWebhookInbox>>;

  const available = (repId: string) =>
    withPg(async (c) => (await c.query<{ available: boolean }>('SELECT available FROM routing.reps WHERE rep_id = $1', [repId])).rows[0]?.available);

  beforeAll(async () => {
    people = await startWebhookInbox();
    queue = await startWebhookInbox();
    p = await startTestPlatform(policyFile, { NOTIFY_WEBHOOK_URL: people.url, NOTIFY_QUEUE_WEBHOOK_URL: queue.url, NOTIFY_WEBHOOK_SECRET: 'queue-breach-e2e-secret' });
  }, 240_000);
  afterAll(async () => {
    // Leave uma available for whatever runs next on shared infrastructure.
    await p?.publisher.publish([makeEvent('RepAvailabilityChanged', null, { repId: 'uma', status: 'available' })]);
    await p?.stop();
    people?.close();
    queue?.close();
  });

  it("tells the pool's team manager and the queue channel when a queued lead waits past the queue clock", async () => {
    await p.publisher.publish([makeEvent('RepAvailabilityChanged', null, { repId: 'uma', status: 'unavailable', reason: 'e2e: nobody can take leads' })]);
    await waitFor(async () => (await available('uma')) === false, 'routing to apply uma unavailable');

    const leadId = uniqueName('lead-queued');
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);
    const events = eventsOf(
      await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.leadId === leadId && e.type === 'SlaBreached' && e.data.clock === 'unassigned_queue'), 60_000),
    ).filter((e) => e.leadId === leadId);
    expect(events.some((e) => e.type === 'LeadQueued')).toBe(true);
    expect(events.find((e) => e.type === 'SlaBreached')?.data).toMatchObject({ clock: 'unassigned_queue', ownerRepId: null, teamId: 'queue-team', managerId: 'mgr-queue' });

    const toManager = await waitFor(() => people.received.find((n) => n.leadId === leadId && n.kind === 'sla.breached'), 'the queue breach to reach the manager', 30_000);
    expect(toManager.recipient).toEqual({ repId: 'mgr-queue', role: 'manager' });
    expect(toManager.text).toMatch(new RegExp(`lead ${leadId} has waited for an owner in team queue-team's queue`));
    const toQueue = await waitFor(() => queue.received.find((n) => n.leadId === leadId && n.kind === 'sla.breached'), 'the queue breach to reach the queue channel', 30_000);
    expect(toQueue.recipient).toEqual({ teamId: 'queue-team', role: 'queue' });
  });
});
