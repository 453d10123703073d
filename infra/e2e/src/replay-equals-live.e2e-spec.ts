import { Topics } from '@lead-sla/contracts';
import { logEnd } from '@lead-sla/messaging';
import { replayService, type ServiceName } from '@lead-sla/local-infra';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';

type Seen = ReturnType<typeof eventsOf>[number] & { data: Record<string, unknown> };

const STATEFUL: readonly ServiceName[] = ['routing', 'timer', 'disposition', 'reporting'];
const MANAGERS: Record<string, string> = { ava: 'mgr-emea', ben: 'mgr-emea', cai: 'mgr-emea', dev: 'mgr-amer', eli: 'mgr-amer', fay: 'mgr-strategic', gus: 'mgr-strategic' };

/**
 * Issue "One service shape", item 5: every stateful service's state can be
 * rebuilt from offset 0 of the log. A realistic stream — assignments,
 * reassignments after missed first touches, rotation removal and
 * reinstatement, fired deadlines, a bounce and its fix, dispositions and a
 * recycle — runs through the live platform; then each service replays the
 * log into a database of its own and its state tables must equal the live
 * ones row for row. The test publishes only what outside systems and
 * people publish; every decision is the platform's.
 */
describe('replay from offset 0 equals the live state', () => {
  let p: TestPlatform;
  let seen: Seen[] = [];

  const refresh = async (until: (events: readonly Seen[]) => boolean, timeoutMs = 60_000) => {
    seen = eventsOf(await readTopic(p.kafka, Topics.leadEvents, (ms) => until(eventsOf(ms) as Seen[]), timeoutMs)) as Seen[];
    return seen;
  };
  const assignmentsOf = (leadId: string) => seen.filter((e) => e.type === 'LeadAssigned' && e.leadId === leadId);
  const touch = (leadId: string, repId: string, channel: 'phone' | 'email' = 'phone') =>
    makeEvent('LeadTouched', leadId, { repId, channel, direction: 'outbound', personal: true, automated: false });
  const post = (service: 'routing' | 'disposition', path: string, body: unknown) =>
    fetch(p.url(service, path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Every consumer group has applied the whole log, and stays there (no deadline about to fire). */
  async function quiescent(): Promise<void> {
    let stableSince = 0;
    await waitFor(
      async () => {
        const end = await logEnd(p.kafka, Topics.leadEvents);
        const applied = await withPg(async (c) => {
          const out: Array<Map<number, bigint>> = [];
          for (const schema of STATEFUL) {
            const { rows } = await c.query<{ partition: number; next_offset: string }>(
              `SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE topic = $1 AND group_id = $2`,
              [Topics.leadEvents, `lead-sla.${schema}`],
            );
            out.push(new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)])));
          }
          return out;
        });
        const outbox = await withPg(async (c) => {
          let n = 0;
          for (const schema of STATEFUL) n += Number((await c.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n);
          return n;
        });
        const due = await withPg(async (c) => (await c.query(`SELECT count(*)::int AS n FROM timer.deadlines WHERE status = 'pending' AND due_at < now() + interval '2 minutes'`)).rows[0].n as number);
        const caughtUp = applied.every((at) => [...end].every(([partition, high]) => high === 0n || (at.get(partition) ?? 0n) >= high));
        if (!caughtUp || outbox > 0 || due > 0) {
          stableSince = 0;
          return false;
        }
        stableSince ||= Date.now();
        return Date.now() - stableSince >= 3000;
      },
      'every service to apply the whole log with nothing left to publish or fire',
      180_000,
    );
  }

  beforeAll(async () => {
    p = await startTestPlatform();
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('rebuilds routing, timer, disposition and reporting from the log with the same state', async () => {
    await p.publisher.publish([makeEvent('RepAvailabilityChanged', null, { repId: 'cai', status: 'unavailable', reason: 'replay spec: at the dentist' })]);

    // VIP leads nobody touches: their 6-second first-touch clocks breach, routing reassigns them, and fay and gus
    // (the vip pool) each collect two misses and leave the rotation.
    const untouched = Array.from({ length: 4 }, () => makeEvent('LeadCreated', uniqueName('lead-vip'), leadCreatedData({ vip: true, territory: 'emea' })));
    // Leads their owners call at once (one of them also emailed: a second touch on another channel).
    const touched = Array.from({ length: 6 }, (_, i) =>
      makeEvent('LeadCreated', uniqueName('lead-ok'), leadCreatedData({ territory: i % 2 ? 'na' : 'emea', intentTier: i % 3 ? 'warm' : 'hot' })),
    );
    await p.publisher.publish([...untouched, ...touched]);
    const allIds = [...untouched, ...touched].map((l) => l.leadId!);
    await refresh((es) => allIds.every((id) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === id)));
    await p.publisher.publish(touched.map((l) => touch(l.leadId!, assignmentsOf(l.leadId!)[0].data.repId as string)));
    await p.publisher.publish([touch(touched[0].leadId!, assignmentsOf(touched[0].leadId!)[0].data.repId as string, 'email')]);

    // The missed VIP leads are reassigned; their new owners call them.
    await refresh((es) => untouched.every((l) => es.filter((e) => e.type === 'LeadAssigned' && e.leadId === l.leadId && (e.data as { reassignment?: boolean }).reassignment).length >= 1), 120_000);
    await p.publisher.publish(untouched.map((l) => touch(l.leadId!, assignmentsOf(l.leadId!).at(-1)!.data.repId as string)));

    // Reps that left the rotation are put back by their manager (a command through the log).
    await refresh((es) => es.some((e) => e.type === 'RepRotationChanged' && (e.data as { inRotation: boolean }).inRotation === false), 60_000);
    const removed = [...new Set(seen.filter((e) => e.type === 'RepRotationChanged' && e.data.inRotation === false).map((e) => e.data.repId as string))];
    for (const repId of removed) {
      const res = await post('routing', `/api/reps/${repId}/reinstate`, { managerId: MANAGERS[repId], note: 'replay spec' });
      expect(res.status).toBeLessThan(300);
    }
    await refresh((es) => removed.every((repId) => es.some((e) => e.type === 'RepRotationChanged' && e.data.repId === repId && (e.data as { inRotation: boolean }).inRotation)));

    // A bounce sends a lead to data cleanup; the fix returns it to its owner.
    const bounced = touched[1].leadId!;
    await p.publisher.publish([makeEvent('ContactBounced', bounced, { channel: 'email', detail: 'mailbox unknown' })]);
    await refresh((es) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === bounced && e.data.reason === 'data_cleanup'));
    await p.publisher.publish([makeEvent('ContactFixed', bounced, { channel: 'email' })]);
    await refresh((es) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === bounced && e.data.reason === 'data_fixed'));
    await p.publisher.publish([touch(bounced, assignmentsOf(bounced).at(-1)!.data.repId as string)]);

    // The owner of one lead accepts it; another is closed out to nurture (recycled, with a re-qualification date).
    const accepted = touched[2].leadId!;
    const recycled = touched[3].leadId!;
    // The topic is read until the lead's assignment is seen (partitions are read side by side, so wait for it).
    const ownerOf = async (leadId: string) => {
      await refresh((es) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === leadId));
      return assignmentsOf(leadId).at(-1)!.data.repId as string;
    };
    const acceptedBy = await ownerOf(accepted);
    const recycledBy = await ownerOf(recycled);
    await waitFor(async () => (await post('disposition', `/api/leads/${accepted}/accept`, { repId: acceptedBy })).status === 202, `${accepted} to be accepted`);
    await waitFor(
      async () => (await post('disposition', `/api/leads/${recycled}/dispositions`, { repId: recycledBy, code: 'nurture', reason: 'budget next year', nextStep: 'nurture track' })).status === 202,
      `${recycled} to be closed out to nurture`,
    );
    await refresh((es) => es.some((e) => e.type === 'LeadAccepted' && e.leadId === accepted) && es.some((e) => e.type === 'LeadRecycled' && e.leadId === recycled));

    await quiescent();
    // Every service is replayed before anything is asserted, so one run shows each service's differences.
    const runs = STATEFUL.map((service) => ({ service, ...replayService(service, p.platform.env) }));
    for (const run of runs) process.stdout.write(`[replay ${run.service}]\n${run.output}\n`);
    expect(runs.map((r) => ({ service: r.service, equal: /replay equals live/.test(r.output), status: r.status }))).toEqual(
      STATEFUL.map((service) => ({ service, equal: true, status: 0 })),
    );
  }, 600_000);
});
