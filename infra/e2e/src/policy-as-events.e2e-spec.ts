import { readFileSync } from 'node:fs';
import { Topics } from '@lead-sla/contracts';
import { logEnd } from '@lead-sla/messaging';
import { replayService, type ServiceName } from '@lead-sla/local-infra';
import { leadCreatedData, makeEvent, readTopic, uniqueName, waitFor, withPg, type ReadMessage } from '@lead-sla/testing';
import { e2ePolicyFile, getJson, startTestPlatform, type TestPlatform } from './platform-harness';

type Logged = { type: string; eventId: string; leadId: string | null; causationId: string | null; data: Record<string, unknown>; partition: number; offset: bigint };

const STATEFUL: readonly ServiceName[] = ['routing', 'timer', 'disposition', 'reporting'];

function logged(messages: readonly ReadMessage[]): Logged[] {
  return messages.flatMap((m) => {
    try {
      return [{ ...JSON.parse(m.value), partition: m.partition, offset: BigInt(m.offset) }];
    } catch {
      return [];
    }
  });
}

/**
 * Issue #15, item 1: a policy version is a point in the log. Routing
 * publishes the bootstrap file at start (version e2e-1); an admin publishes
 * e2e-2 through routing's API in the middle of a stream of leads, touches and
 * dispositions. On every partition, each decision routing, the timer and the
 * disposition service make about an input before that partition's copy of
 * e2e-2 carries e2e-1, and about an input after it e2e-2; the policy history
 * lists both; a replay of each service from offset 0 rebuilds the same state.
 * The test publishes only external facts and what people do through the APIs.
 */
describe('policy as events', () => {
  let p: TestPlatform;
  let seen: Logged[] = [];
  /**
   * Reads the topic until `until` holds AND every partition has been read up to
   * its end as of the call: a reader stops as soon as its condition holds, and
   * a partition the condition does not look at could otherwise be half read,
   * leaving out decisions the checks below judge.
   */
  const read = async (until: (events: readonly Logged[]) => boolean, timeoutMs = 90_000) => {
    const end = await logEnd(p.kafka, Topics.leadEvents);
    const readThrough = new Map<number, bigint>();
    const atEnd = () => [...end].every(([partition, high]) => high === 0n || (readThrough.get(partition) ?? -1n) >= high - 1n);
    const messages = await readTopic(
      p.kafka,
      Topics.leadEvents,
      (ms) => {
        const last = ms[ms.length - 1];
        readThrough.set(last.partition, BigInt(last.offset));
        return atEnd() && until(logged(ms));
      },
      timeoutMs,
    );
    seen = logged(messages);
    return seen;
  };
  const post = (service: 'routing' | 'disposition', path: string, body: unknown) =>
    fetch(p.url(service, path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ownerOf = (leadId: string) => seen.filter((e) => e.type === 'LeadAssigned' && e.leadId === leadId).at(-1)?.data.repId as string | undefined;

  /** Each lead is assigned, its owner calls it, and a working disposition is recorded through the API. */
  async function stream(tag: string, count: number): Promise<string[]> {
    const leads = Array.from({ length: count }, (_, i) => makeEvent('LeadCreated', uniqueName(`lead-${tag}`), leadCreatedData({ territory: i % 2 ? 'na' : 'emea', intentTier: 'warm' })));
    await p.publisher.publish(leads);
    const ids = leads.map((l) => l.leadId!);
    await read((es) => ids.every((id) => es.some((e) => e.type === 'LeadAssigned' && e.leadId === id)));
    await p.publisher.publish(ids.map((id) => makeEvent('LeadTouched', id, { repId: ownerOf(id)!, channel: 'phone', direction: 'outbound', personal: true, automated: false })));
    for (const id of ids) {
      await waitFor(
        async () => (await post('disposition', `/api/leads/${id}/dispositions`, { repId: ownerOf(id), code: 'working', nextStep: `call back (${tag})` })).status === 202,
        `a disposition on ${id}`,
      );
    }
    await read((es) => ids.every((id) => es.some((e) => e.type === 'DispositionRecorded' && e.leadId === id) && es.some((e) => e.type === 'SlaClockStopped' && e.leadId === id)));
    return ids;
  }

  beforeAll(async () => {
    p = await startTestPlatform();
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('switches every service at the same log position, lists the history, and replays to the same state', async () => {
    const partitions = (await logEnd(p.kafka, Topics.leadEvents)).size;
    // Routing published its policy file at start: one copy on every partition.
    await read((es) => es.filter((e) => e.type === 'PolicyPublished' && e.data.version === 'e2e-1').length === partitions);
    const before = await stream('v1', 6);

    const yaml = readFileSync(e2ePolicyFile, 'utf8').replace('version: "e2e-1"', 'version: "e2e-2"').replace(/capacity: 20 }/g, 'capacity: 19 }');
    expect(yaml).toContain('capacity: 19 }');
    const dryRun = await post('routing', '/v1/policies/dry-run', { document: yaml });
    expect(dryRun.status).toBe(200);
    const plan = (await dryRun.json()) as { currentVersion: string; proposedVersion: string; diff: { summary: string }; orphans: { queuedLeadsOfRemovedPools: unknown[]; openLeadsOfRemovedReps: unknown[] } };
    expect(plan).toMatchObject({ currentVersion: 'e2e-1', proposedVersion: 'e2e-2', orphans: { queuedLeadsOfRemovedPools: [], openLeadsOfRemovedReps: [] } });
    expect(plan.diff.summary).toMatch(/^reps: \d+ changed/);

    const invalid = await post('routing', '/v1/policies', { document: { version: 'e2e-x' }, reason: 'broken' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { problems: string[] }).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^document\.calendars: /)]));

    const published = await post('routing', '/v1/policies', { document: yaml, reason: 'one lead less per rep (policy spec)' });
    expect(published.status).toBe(201);
    expect(await published.json()).toMatchObject({ published: true, version: 'e2e-2', partitions });
    const again = await post('routing', '/v1/policies', { document: yaml, reason: 'the same again' });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ published: false, version: 'e2e-2' });

    await read((es) => es.filter((e) => e.type === 'PolicyPublished' && e.data.version === 'e2e-2').length === partitions);
    const after = await stream('v2', 6);

    // On each partition: the version a decision carries is the one in force at its input's position.
    const copyAt = new Map(seen.filter((e) => e.type === 'PolicyPublished' && e.data.version === 'e2e-2').map((e) => [e.partition, e.offset]));
    const byId = new Map(seen.map((e) => [e.eventId, e]));
    // Decisions (routing's, the timer's, the disposition service's) carry policyVersion; judged by where their input sits.
    const decisions = seen.filter((e) => typeof e.data.policyVersion === 'string' && e.causationId !== null && byId.get(e.causationId)?.partition === e.partition);
    const judged = decisions.map((e) => {
      const cause = byId.get(e.causationId!)!;
      return { type: e.type, partition: e.partition, expected: cause.offset < copyAt.get(e.partition)! ? 'e2e-1' : 'e2e-2', actual: e.data.policyVersion };
    });
    expect(judged.filter((j) => j.expected !== j.actual)).toEqual([]);
    const leadsOf = (ids: readonly string[], version: string, type: string) =>
      ids.every((id) => seen.some((e) => e.leadId === id && e.type === type && e.data.policyVersion === version));
    for (const type of ['LeadAssigned', 'SlaClockStarted', 'DispositionRecorded']) {
      expect({ type, before: leadsOf(before, 'e2e-1', type), after: leadsOf(after, 'e2e-2', type) }).toEqual({ type, before: true, after: true });
    }
    const partitionsSeen = new Set(judged.map((j) => `${j.partition}:${j.expected}`));
    expect(partitionsSeen.size).toBeGreaterThanOrEqual(Math.min(partitions, 2) * 2);

    // Every service recorded the version in force per partition with its offset.
    await waitFor(async () => {
      const versions = await withPg(async (c) => {
        const out: string[] = [];
        for (const schema of STATEFUL) {
          const { rows } = await c.query<{ v: string }>(`SELECT DISTINCT policy_version AS v FROM "${schema}".consumer_offsets WHERE group_id = $1 AND topic = $2`, [`lead-sla.${schema}`, Topics.leadEvents]);
          out.push(`${schema}:${rows.map((r) => r.v).sort().join(',')}`);
        }
        return out;
      });
      return versions.every((v) => v.endsWith(':e2e-2'));
    }, 'every service to stand at e2e-2 on every partition', 60_000);

    // The history (reporting), newest first.
    const history = await waitFor(async () => {
      const res = await getJson(p.url('reporting', '/v1/policies'));
      const items = (res.body as { items?: Array<Record<string, unknown>> }).items ?? [];
      return items.length === 2 ? items : null;
    }, 'the policy history to list both versions', 60_000);
    expect(history).toEqual([
      expect.objectContaining({ version: 'e2e-2', previousVersion: 'e2e-1', reason: 'one lead less per rep (policy spec)', summary: expect.stringMatching(/^reps: \d+ changed/), publishedBy: { kind: 'demo', id: 'demo', role: 'admin' } }),
      expect.objectContaining({ version: 'e2e-1', previousVersion: null, publishedBy: expect.objectContaining({ kind: 'policy_file', role: 'machine' }) }),
    ]);

    // A replay from offset 0 rebuilds each service's state under the versions the log holds.
    await waitFor(async () => {
      const end = await logEnd(p.kafka, Topics.leadEvents);
      return withPg(async (c) => {
        for (const schema of STATEFUL) {
          const { rows } = await c.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE group_id = $1`, [`lead-sla.${schema}`]);
          const at = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
          if (![...end].every(([partition, high]) => high === 0n || (at.get(partition) ?? 0n) >= high)) return false;
          if (Number((await c.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n) > 0) return false;
        }
        return true;
      });
    }, 'every service to apply the whole log', 120_000);
    const runs = STATEFUL.map((service) => ({ service, ...replayService(service, p.platform.env) }));
    for (const run of runs) process.stdout.write(`[replay ${run.service}]\n${run.output}\n`);
    expect(runs.map((r) => ({ service: r.service, equal: /replay equals live/.test(r.output), status: r.status }))).toEqual(
      STATEFUL.map((service) => ({ service, equal: true, status: 0 })),
    );
  }, 600_000);
});
