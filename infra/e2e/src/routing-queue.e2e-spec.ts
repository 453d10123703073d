import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { e2ePolicyFile, startTestPlatform, type TestPlatform } from './platform-harness';

const POOL_REPS = ['ava', 'ben', 'cai', 'dev', 'eli', 'fay', 'gus'];

/** The e2e policy with a 6-second unassigned-queue clock, so the queue's own breach happens while the test waits. */
function shortQueueClockPolicyFile(): string {
  const template = readFileSync(e2ePolicyFile, 'utf8');
  // A version of its own: on a shared Kafka the log keeps earlier specs' versions, and a changed document needs a new one.
  const policyText = template.replace(/unassigned_queue: \{ minutes: \d+ \}/g, 'unassigned_queue: { minutes: 0.1 }').replace(/^version: .*$/m, `version: "${uniqueName('routing-queue')}"`);
  if (policyText === template) throw new Error('routing-queue e2e: no unassigned_queue clock found in e2e.policy.yaml to shorten');
  const file = join(mkdtempSync(join(tmpdir(), 'routing-queue-')), 'routing-queue.policy.yaml');
  writeFileSync(file, policyText);
  return file;
}

describe('routing end to end: the unassigned queue is never silent', () => {
  let p: TestPlatform;

  async function availabilityOf(repIds: readonly string[]): Promise<Map<string, boolean>> {
    return withPg(async (c) => {
      const rows = (await c.query('SELECT rep_id, available FROM routing.reps WHERE rep_id = ANY($1::text[])', [repIds])).rows as Array<{ rep_id: string; available: boolean }>;
      return new Map(rows.map((r) => [r.rep_id, r.available]));
    });
  }

  beforeAll(async () => {
    p = await startTestPlatform(shortQueueClockPolicyFile());
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('queues a lead nobody can take, breaches the queue clock, and assigns the lead when a rep becomes available, with no new lead arriving', async () => {
    // Outside facts only: the workforce system marks every pool rep unavailable, a lead arrives, later one rep is back.
    await p.publisher.publish(POOL_REPS.map((repId) => makeEvent('RepAvailabilityChanged', null, { repId, status: 'unavailable', reason: 'e2e: everyone away' })));
    await waitFor(async () => {
      const available = await availabilityOf(POOL_REPS);
      return POOL_REPS.every((r) => available.get(r) === false);
    }, 'routing to apply every rep unavailable');

    const leadId = uniqueName('lead-queued');
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);
    const ofLead = (ms: Parameters<typeof eventsOf>[0]) => eventsOf(ms).filter((e) => e.leadId === leadId);
    const queuedAndBreached = ofLead(
      await readTopic(p.kafka, Topics.leadEvents, (ms) => {
        const es = ofLead(ms);
        return es.some((e) => e.type === 'LeadQueued') && es.some((e) => e.type === 'SlaBreached' && e.data.clock === 'unassigned_queue');
      }, 60_000),
    );
    expect(queuedAndBreached.filter((e) => e.type === 'LeadAssigned')).toHaveLength(0);
    const queued = queuedAndBreached.find((e) => e.type === 'LeadQueued')!;
    expect(queued.data).toMatchObject({ poolId: 'emea' });
    expect((queued.data.skipped as Array<{ reason: string }>).every((s) => s.reason === 'unavailable')).toBe(true);

    await p.publisher.publish([makeEvent('RepAvailabilityChanged', null, { repId: 'ben', status: 'available', reason: 'e2e: back at the desk' })]);
    const assigned = ofLead(await readTopic(p.kafka, Topics.leadEvents, (ms) => ofLead(ms).some((e) => e.type === 'LeadAssigned'), 60_000)).filter((e) => e.type === 'LeadAssigned');
    expect(assigned).toHaveLength(1);
    expect(assigned[0].data).toMatchObject({ repId: 'ben', poolId: 'emea', reason: 'queue_drain', reassignment: false });
    await waitFor(async () => (await withPg(async (c) => (await c.query('SELECT 1 FROM routing.unassigned_queue WHERE lead_id = $1', [leadId])).rowCount)) === 0, 'the lead to leave the queue');
  });

  it('wakes itself up when a PTO ends (no event says so) and assigns the waiting lead then', async () => {
    // Everyone but ben is still unavailable (previous case); ben is now on a PTO that ends in 15 seconds.
    const ptoEnds = new Date(Date.now() + 15_000).toISOString();
    await p.publisher.publish([makeEvent('RepAvailabilityChanged', null, { repId: 'ben', status: 'pto', from: new Date(Date.now() - 60_000).toISOString(), to: ptoEnds })]);
    await waitFor(
      async () => withPg(async (c) => (await c.query(`SELECT jsonb_array_length(pto) AS n FROM routing.reps WHERE rep_id = 'ben'`)).rows[0]?.n === 1),
      'routing to apply ben\'s PTO',
    );

    const leadId = uniqueName('lead-pto');
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);
    const matching = (ms: Parameters<typeof eventsOf>[0]) =>
      eventsOf(ms).filter((e) => e.leadId === leadId || (e.type === 'RoutingWakeUp' && e.data.repId === 'ben' && e.data.dueAt === ptoEnds));
    const events = matching(await readTopic(p.kafka, Topics.leadEvents, (ms) => matching(ms).some((e) => e.type === 'LeadAssigned'), 60_000));

    const types = events.map((e) => e.type);
    // Queued first, then the wake-up at the PTO's end, then the drain: no other outside fact was published.
    expect(types.indexOf('LeadQueued')).toBeGreaterThanOrEqual(0);
    const wakeUp = events.find((e) => e.type === 'RoutingWakeUp');
    expect(wakeUp?.data).toEqual({ reason: 'pto_end', dueAt: ptoEnds, repId: 'ben' });
    const assigned = events.filter((e) => e.type === 'LeadAssigned');
    expect(assigned).toHaveLength(1);
    expect(assigned[0].data).toMatchObject({ repId: 'ben', reason: 'queue_drain' });
    expect(assigned[0].causationId).toBe(wakeUp?.eventId);
  }, 90_000);
});
