import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';
import { startWebhookInbox } from './webhook-inbox.fixture';

const policyFile = join(__dirname, '../policies/fair-blame.policy.yaml');
const SECRET = 'fair-blame-e2e-webhook-secret';
const MANAGER: Record<string, string> = { dina: 'mgr-diligent', dan: 'mgr-diligent', sol: 'mgr-solo' };

type Assigned = { leadId: string; data: { repId: string; reassignment: boolean } };

describe('fair blame end to end: only the rep’s own misses take them out of rotation', () => {
  let p: TestPlatform;
  let inbox: Awaited<ReturnType<typeof startWebhookInbox>>;

  const repRow = (repId: string) =>
    withPg(async (c) => (await c.query<{ in_rotation: boolean }>('SELECT in_rotation FROM routing.reps WHERE rep_id = $1', [repId])).rows[0]);

  async function assignmentsOf(leadIds: readonly string[], atLeast: number, timeoutMs = 60_000): Promise<Assigned[]> {
    const ids = new Set(leadIds);
    const pick = (ms: Parameters<typeof eventsOf>[0]) => eventsOf(ms).filter((e) => e.type === 'LeadAssigned' && e.leadId !== null && ids.has(e.leadId)) as unknown as Assigned[];
    return pick(await readTopic(p.kafka, Topics.leadEvents, (ms) => pick(ms).length >= atLeast, timeoutMs));
  }

  /** A diligent owner: a call at once, then an email (the second touch on another channel). */
  async function touchTwice(assignments: readonly Assigned[]) {
    const touch = (a: Assigned, channel: 'phone' | 'email') => makeEvent('LeadTouched', a.leadId, { repId: a.data.repId, channel, direction: 'outbound', personal: true, automated: false });
    await p.publisher.publish(assignments.map((a) => touch(a, 'phone')));
    await p.publisher.publish(assignments.map((a) => touch(a, 'email')));
  }

  beforeAll(async () => {
    inbox = await startWebhookInbox();
    p = await startTestPlatform(policyFile, { NOTIFY_WEBHOOK_URL: inbox.url, NOTIFY_WEBHOOK_SECRET: SECRET });
    // On shared infrastructure an earlier run may have left a rep out of rotation: their manager puts them back.
    for (const repId of Object.keys(MANAGER)) {
      const res = await fetch(p.url('routing', `/api/reps/${repId}/reinstate`), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ managerId: MANAGER[repId], note: 'fair-blame e2e: clean slate' }),
      });
      expect([202, 404]).toContain(res.status);
    }
    for (const repId of Object.keys(MANAGER)) await waitFor(async () => ((await repRow(repId))?.in_rotation ?? true) === true, `${repId} in rotation`);
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
    inbox?.close();
  });

  it('keeps a diligent rep in rotation when two touched leads stay silent past the reply clock', async () => {
    const leads = [0, 1].map(() => makeEvent('LeadCreated', uniqueName('fair-silent'), leadCreatedData({ territory: 'emea' })));
    await p.publisher.publish(leads);
    const ids = new Set(leads.map((l) => l.leadId!));
    const assigned = await assignmentsOf([...ids], 2);
    await touchTwice(assigned);

    // Both reply clocks breach (12 s) and give the owner a touch task; neither is the owner's miss.
    const replyEvents = (ms: Parameters<typeof eventsOf>[0]) => eventsOf(ms).filter((e) => e.leadId !== null && ids.has(e.leadId) && 'clock' in e.data && e.data.clock === 'reply_escalation');
    const published = await readTopic(p.kafka, Topics.leadEvents, (ms) => replyEvents(ms).filter((e) => e.type === 'SlaEscalated').length >= 2, 60_000);
    expect(replyEvents(published).filter((e) => e.type === 'SlaBreached')).toHaveLength(2);
    const tasks = replyEvents(published).filter((e) => e.type === 'SlaEscalated');
    expect(tasks.map((e) => e.type === 'SlaEscalated' && e.data.action)).toEqual(['schedule_touch_task', 'schedule_touch_task']);
    expect(eventsOf(published).filter((e) => e.leadId !== null && ids.has(e.leadId) && e.type === 'SlaBreached' && e.data.clock !== 'reply_escalation')).toEqual([]);

    for (const repId of new Set(assigned.map((a) => a.data.repId))) expect((await repRow(repId))?.in_rotation).toBe(true);
    expect(eventsOf(published).filter((e) => e.type === 'RepRotationChanged' && ['dina', 'dan'].includes(String(e.data.repId)))).toEqual([]);
    // The owner hears of the task; nobody hears of a rotation change.
    await waitFor(async () => inbox.received.filter((n) => n.kind === 'sla.escalated' && n.text.startsWith('Touch task')).length >= 2, 'the touch tasks to reach their owners');
  });

  it("takes a rep out of rotation after two missed first touches, and tells the rep's manager with the misses", async () => {
    const leads = [0, 1].map(() => makeEvent('LeadCreated', uniqueName('fair-missed'), leadCreatedData({ territory: 'apac' })));
    await p.publisher.publish(leads);
    const firsts = await assignmentsOf(leads.map((l) => l.leadId!), 2);
    expect(firsts.map((a) => a.data.repId)).toEqual(['sol', 'sol']);

    // sol never touches: each 15-second first-touch clock breaches and the lead moves to the backup pool, whose owner touches it.
    const all = await assignmentsOf(leads.map((l) => l.leadId!), 4, 90_000);
    await touchTwice(all.filter((a) => a.data.reassignment));
    await waitFor(async () => (await repRow('sol'))?.in_rotation === false, 'routing to take sol out of rotation after two misses', 60_000);

    const removal = await waitFor(
      async () => inbox.received.find((n) => n.kind === 'rep.removed_from_rotation' && n.details.repId === 'sol'),
      "the removal to reach sol's manager",
      60_000,
    );
    expect(removal.recipient).toEqual({ repId: 'mgr-solo', role: 'manager' });
    expect((removal.details.misses as Array<{ leadId: string; clock: string }>).map((m) => m.clock)).toEqual(['first_touch', 'first_touch']);
    expect(removal.text).toMatch(/Rep sol was taken out of rotation after 2 SLA misses/);
    for (const repId of ['dina', 'dan']) expect((await repRow(repId))?.in_rotation).toBe(true);
  });
});
