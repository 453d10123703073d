import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Topics } from '@lead-sla/contracts';
import { deciderHandler, ensureTopics, EventPublisher, OutboxRelay, PolicyLog, policyPublishedCopies, TransactionalConsumer, type KafkaClient } from '@lead-sla/messaging';
import { parsePolicy } from '@lead-sla/policy';
import { createDataSource, createLogger, runMigrations, systemClock } from '@lead-sla/platform';
import { PolicyProvider } from '@lead-sla/service-runtime';
import {
  createTestTopic, eventsOf, leadCreatedData, makeEvent, readTopic, requireEnv, testKafka, uniqueName, waitFor, withPg,
} from '@lead-sla/testing';
import { routingMigrations } from '../migrations';
import { RoutingDeciderService } from './routing-decider.service';
import { RoutingStateRepository } from './routing-state.repository';

const logger = createLogger('routing-int', 'error');
const policyFile = join(__dirname, 'routing-int.policy.yaml');

/** A fresh database holding routing's real schema (migrated as in production), so nothing leaks between specs. */
async function freshRoutingDatabase(): Promise<{ url: string; open: (name: string) => Promise<DataSource> }> {
  const name = uniqueName('routing_int').toLowerCase();
  await withPg((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(requireEnv('DATABASE_URL'));
  url.pathname = `/${name}`;
  const open = async (app: string) => {
    const ds = createDataSource({ url: url.toString(), schema: 'routing', migrations: routingMigrations, applicationName: app, poolSize: 5 });
    await ds.initialize();
    return ds;
  };
  const migrator = await open('routing-int-migrate');
  await runMigrations(migrator, 'routing');
  await migrator.destroy();
  return { url: url.toString(), open };
}

/** One routing instance: its own pool of connections, its own decider service, the production handler (batch path and per-message retry). */
function routingInstance(kafka: KafkaClient, dataSource: DataSource, topic: string, groupId: string, assigned: (n: number) => void) {
  const bootstrap = PolicyProvider.load(policyFile);
  const policies = new PolicyLog('routing', () => bootstrap);
  const service = new RoutingDeciderService(new RoutingStateRepository(), { offer: () => undefined }, systemClock);
  const handler = deciderHandler(service, { name: groupId, decidedAt: () => systemClock.now(), mode: 'decide' });
  let handled = 0;
  const consumer = new TransactionalConsumer({
    kafka, dataSource, schema: 'routing', groupId, topics: [topic], logger, sessionTimeoutMs: 6000,
    eventTypes: new Set(handler.eventTypes),
    handle: async (event, ctx) => {
      handled += 1;
      await handler.handle(event, ctx);
    },
    handleBatch: async (items, ctx) => {
      handled += items.length;
      await handler.handleBatch(items, ctx);
    },
    onPartitionsAssigned: (p) => assigned(p.length),
    policies,
  });
  return { consumer, handled: () => handled };
}

describe('routing on real Kafka and Postgres', () => {
  let kafka: KafkaClient;
  let publisher: EventPublisher;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    kafka = testKafka();
    // kafkajs cannot subscribe to a topic that does not exist yet (KRaft).
    await ensureTopics(kafka, [{ topic: Topics.deadLetter, numPartitions: 1 }]);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(async () => {
    await publisher.disconnect();
  });

  it('assigns 1,000 leads exactly once across 2 instances over 3 partitions, fairly, and never beyond a cap', async () => {
    const db = await freshRoutingDatabase();
    const topic = await createTestTopic(kafka, 'routing-int', 3);
    const groupId = uniqueName('routing-int');
    const partitions = [0, 0];
    const instances = await Promise.all(
      [0, 1].map(async (i) => {
        const ds = await db.open(`routing-int-${i}`);
        cleanup.push(() => ds.destroy());
        return routingInstance(kafka, ds, topic, groupId, (n) => (partitions[i] = n));
      }),
    );
    for (const inst of instances) {
      await inst.consumer.start();
      cleanup.push(() => inst.consumer.stop());
    }
    // Both instances own partitions before anything is published, so both really decide concurrently.
    await waitFor(() => partitions[0] > 0 && partitions[1] > 0 && partitions[0] + partitions[1] === 3, 'both instances to own partitions', 60_000);

    const run = uniqueName('lead');
    const fair = Array.from({ length: 1000 }, (_, i) => makeEvent('LeadCreated', `${run}-fair-${i}`, leadCreatedData({ territory: 'fair' })));
    const capped = Array.from({ length: 200 }, (_, i) => makeEvent('LeadCreated', `${run}-capped-${i}`, leadCreatedData({ territory: 'capped' })));
    const all = [...fair, ...capped];
    for (let i = 0; i < all.length; i += 100) await publisher.publish(all.slice(i, i + 100), topic);

    const ds = await db.open('routing-int-check');
    cleanup.push(() => ds.destroy());
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM routing.leads WHERE lead_id LIKE $1`, [`${run}-%`]);
      return n === all.length;
    }, 'every lead to be decided', 120_000, 250);

    // Exactly once: one LeadAssigned per fair lead in the outbox, never two for any lead.
    const perLead: Array<{ key: string; n: number }> = await ds.query(
      `SELECT key, count(*)::int AS n FROM routing.outbox WHERE headers->>'event-type' = 'LeadAssigned' AND key LIKE $1 GROUP BY key`,
      [`${run}-%`],
    );
    expect(perLead.filter((r) => r.n !== 1)).toEqual([]);
    expect(perLead.filter((r) => r.key.includes('-fair-'))).toHaveLength(1000);

    // Fair: round robin stays within one across both instances.
    const owners: Array<{ owner_rep_id: string; n: number }> = await ds.query(
      `SELECT owner_rep_id, count(*)::int AS n FROM routing.leads WHERE lead_id LIKE $1 AND pool_id = 'fair' GROUP BY owner_rep_id`,
      [`${run}-fair-%`],
    );
    const counts = owners.map((o) => o.n);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(owners.map((o) => o.owner_rep_id).sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);

    // Caps: the capped pool takes exactly its 2 × 40, the rest waits in the unassigned queue.
    const reps: Array<{ rep_id: string; open: number }> = await ds.query(
      `SELECT rep_id, open_awaiting_first_touch AS open FROM routing.reps WHERE rep_id IN ('c1', 'c2') ORDER BY rep_id`,
    );
    expect(reps).toEqual([{ rep_id: 'c1', open: 40 }, { rep_id: 'c2', open: 40 }]);
    const [{ assigned }] = await ds.query(`SELECT count(*)::int AS assigned FROM routing.leads WHERE lead_id LIKE $1 AND owner_rep_id IS NOT NULL`, [`${run}-capped-%`]);
    expect(assigned).toBe(80);
    const [{ queued }] = await ds.query(`SELECT count(*)::int AS queued FROM routing.unassigned_queue WHERE lead_id LIKE $1`, [`${run}-capped-%`]);
    expect(queued).toBe(120);

    expect(instances[0].handled()).toBeGreaterThan(0);
    expect(instances[1].handled()).toBeGreaterThan(0);
  });

  it('dead-letters an invalid RepAvailabilityChanged and applies the next one', async () => {
    const db = await freshRoutingDatabase();
    const topic = await createTestTopic(kafka, 'routing-dlq', 3);
    const ds = await db.open('routing-int-dlq');
    cleanup.push(() => ds.destroy());
    const instance = routingInstance(kafka, ds, topic, uniqueName('routing-dlq'), () => undefined);
    const relay = new OutboxRelay({ kafka, dataSource: ds, schema: 'routing', logger, pollIntervalMs: 100 });
    await relay.start();
    cleanup.push(() => relay.stop());
    await instance.consumer.start();
    cleanup.push(() => instance.consumer.stop());

    // "pto" without its interval fails the contract: it must never reach routing's state.
    const invalid = makeEvent('RepAvailabilityChanged', null, { repId: 'r2', status: 'pto' });
    const valid = makeEvent('RepAvailabilityChanged', null, { repId: 'r2', status: 'unavailable', reason: 'sick' });
    await publisher.publish([invalid, valid], topic);

    const rep = await waitFor(async () => {
      const rows: Array<{ available: boolean }> = await ds.query(`SELECT available FROM routing.reps WHERE rep_id = 'r2'`);
      return rows.length === 1 && rows[0].available === false ? rows[0] : undefined;
    }, 'the valid availability change to apply', 60_000);
    expect(rep.available).toBe(false);

    const dead = await readTopic(kafka, Topics.deadLetter, (ms) => eventsOf(ms).some((e) => e.eventId === invalid.eventId), 60_000);
    const message = dead.find((m) => eventsOf([m])[0]?.eventId === invalid.eventId);
    expect(message?.headers['x-dlq-reason']).toMatch(/RepAvailabilityChanged v2 invalid: data\.from: status "pto" requires "from" and "to"/);
    expect(message?.headers['x-original-topic']).toBe(topic);
  });
  it('keeps routing when a published policy version drops a pool that queued leads still reference: they go to the default pool, nothing is dead-lettered', async () => {
    const db = await freshRoutingDatabase();
    const topic = await createTestTopic(kafka, 'routing-policy-drop', 3);
    const ds = await db.open('routing-int-policy-drop');
    cleanup.push(() => ds.destroy());
    const original = readFileSync(policyFile, 'utf8');
    const instance = routingInstance(kafka, ds, topic, uniqueName('routing-policy-drop'), () => undefined);
    await instance.consumer.start();
    cleanup.push(() => instance.consumer.stop());

    // The capped pool's reps are away: its leads wait in the queue.
    const run = uniqueName('drop');
    await publisher.publish(['c1', 'c2'].map((repId) => makeEvent('RepAvailabilityChanged', null, { repId, status: 'unavailable', reason: 'away' })), topic);
    // Availability changes carry no lead id, so they may sit on another partition than the leads: wait until they apply.
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM routing.reps WHERE rep_id IN ('c1', 'c2') AND available = false`);
      return n === 2;
    }, 'the capped pool\'s reps to be away', 60_000, 250);
    const waiting = Array.from({ length: 3 }, (_, i) => makeEvent('LeadCreated', `${run}-capped-${i}`, leadCreatedData({ territory: 'capped' })));
    await publisher.publish(waiting, topic);
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM routing.unassigned_queue WHERE lead_id LIKE $1`, [`${run}-capped-%`]);
      return n === waiting.length;
    }, 'the capped leads to be queued', 60_000, 250);

    // The new version drops the pool (and its rule): the queued leads reference a pool the policy no longer has.
    const dropped = original
      .replace(/^ {2}- \{ id: capped, teamId: capped-team, reps: \[c1, c2\] \}\n/m, '')
      .replace(/^ {4}- \{ id: capped, when: \{ territory: capped \}, pool: capped \}\n/m, '')
      .replace('version: "routing-int-1"', 'version: "routing-int-2"');
    expect(dropped).not.toContain('pool: capped');
    // Published as routing publishes a version: one copy per partition; the leads after it decide under it.
    const v2 = parsePolicy(dropped, 'dropped.yaml');
    expect(v2.pools.map((p) => p.id)).toEqual(['fair']);
    await publisher.publishAt(policyPublishedCopies({ policy: v2, publishedBy: { kind: 'person', id: 'ops', role: 'admin' }, reason: 'drop the capped pool', publishedAt: new Date() }, 3), topic);

    const fresh = Array.from({ length: 6 }, (_, i) => makeEvent('LeadCreated', `${run}-fair-${i}`, leadCreatedData({ territory: 'fair' })));
    await publisher.publish(fresh, topic);
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM routing.leads WHERE lead_id LIKE $1 AND owner_rep_id IS NOT NULL`, [`${run}-%`]);
      return n === waiting.length + fresh.length;
    }, 'every lead, queued or new, to have an owner', 60_000, 250);

    // The queued leads followed the documented fallback: the default pool ("fair"), as queue drains.
    const drained: Array<{ lead_id: string; pool_id: string; owner_rep_id: string }> = await ds.query(
      `SELECT lead_id, pool_id, owner_rep_id FROM routing.leads WHERE lead_id LIKE $1 ORDER BY lead_id`,
      [`${run}-capped-%`],
    );
    expect(drained.map((d) => d.pool_id)).toEqual(['fair', 'fair', 'fair']);
    expect(drained.every((d) => ['r1', 'r2', 'r3', 'r4'].includes(d.owner_rep_id))).toBe(true);
    const [{ queued }] = await ds.query(`SELECT count(*)::int AS queued FROM routing.unassigned_queue WHERE lead_id LIKE $1`, [`${run}-%`]);
    expect(queued).toBe(0);
    // Nothing of this run was dead-lettered (dead letters go out through the outbox).
    const [{ dead }] = await ds.query(`SELECT count(*)::int AS dead FROM routing.outbox WHERE topic = $1`, [Topics.deadLetter]);
    expect(dead).toBe(0);
    const reasons: Array<{ reason: string }> = await ds.query(
      `SELECT DISTINCT convert_from(value, 'UTF8')::jsonb->'data'->>'reason' AS reason FROM routing.outbox WHERE headers->>'event-type' = 'LeadAssigned' AND key LIKE $1`,
      [`${run}-capped-%`],
    );
    expect(reasons.map((r) => r.reason)).toEqual(['queue_drain']);
  });
});
