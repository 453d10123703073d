import { DeadLetterHeaders, Topics, type LeadEvent } from '@lead-sla/contracts';
import { createLogger } from '@lead-sla/platform';
import {
  createTestTopic, eventsOf, leadCreatedData, makeEvent, messagingTestSchema, readTopic, testKafka, uniqueName, waitFor,
} from '@lead-sla/testing';
import { ensureTopics, EventPublisher, OutboxRelay, platformTopics, TransactionalConsumer, type ConsumerFaults, type EventHandler, produceOnce, type KafkaClient } from '@lead-sla/messaging';
import { eventFrom } from '@lead-sla/decider';

const logger = createLogger('messaging-test', 'error');

/** A minimal service: its own schema, a consumer that records each event it applies, and an outbox relay. */
async function testService(kafka: KafkaClient, topic: string) {
  const { schema, dataSource } = await messagingTestSchema('type text NOT NULL, lead_id text');
  const groupId = uniqueName('group');
  const applied = async () =>
    (await dataSource.query(`SELECT event_id, type, lead_id FROM "${schema}".applied ORDER BY id`)) as Array<{ event_id: string; type: string; lead_id: string }>;
  const recordAndAssign: EventHandler = async (event, ctx) => {
    await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, type, lead_id) VALUES ($1, $2, $3)`, [event.eventId, event.type, event.leadId]);
    if (event.type === 'LeadCreated') {
      ctx.emit(
        eventFrom(event, 'assign', 'LeadAssigned', {
          repId: 'ava', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'rule', reassignment: false,
          previousRepId: null, reassignmentCause: null, skipped: [], managerId: 'mgr', policyVersion: 'test',
        }, { occurredAt: new Date(), recordedAt: new Date() }),
      );
    }
  };
  const consumer = (handle: EventHandler = recordAndAssign, faults?: ConsumerFaults, onOutboxWritten?: () => void, eventTypes?: ReadonlySet<string>) =>
    new TransactionalConsumer({ kafka, dataSource, schema, groupId, topics: [topic], handle, logger, faults, retryBackoffMs: 5, onOutboxWritten, sessionTimeoutMs: 6000, eventTypes });
  return { schema, dataSource, groupId, applied, consumer };
}

describe('transactional consumer (real Kafka and Postgres)', () => {
  let kafka: KafkaClient;
  let publisher: EventPublisher;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, platformTopics(3));
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(async () => {
    await publisher.disconnect();
  });

  it('applies a message delivered twice only once', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const created = makeEvent('LeadCreated', 'lead-dup', leadCreatedData());
    const touched = makeEvent('LeadTouched', 'lead-dup', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false });
    await publisher.publish([created, created, touched], topic);
    const consumer = svc.consumer();
    cleanup.push(() => consumer.stop());
    await consumer.start();
    const rows = await waitFor(async () => ((await svc.applied()).length >= 2 ? svc.applied() : undefined), 'both events applied');
    await new Promise((r) => setTimeout(r, 500));
    expect((await svc.applied()).map((r) => r.event_id)).toEqual([created.eventId, touched.eventId]);
    expect(rows).toHaveLength(2);
  });

  it('applies only the event types a consumer declares, and still moves its offset past the others', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const created = makeEvent('LeadCreated', 'lead-filter', leadCreatedData());
    const touched = makeEvent('LeadTouched', 'lead-filter', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false });
    const last = makeEvent('LeadCreated', 'lead-filter', leadCreatedData());
    await publisher.publish([created, touched, last], topic);
    const consumer = svc.consumer(undefined, undefined, undefined, new Set(['LeadCreated']));
    cleanup.push(() => consumer.stop());
    await consumer.start();
    await waitFor(async () => (await svc.applied()).length === 2, 'both LeadCreated applied');
    expect((await svc.applied()).map((r) => r.type)).toEqual(['LeadCreated', 'LeadCreated']);
    const offsets = await svc.dataSource.query(`SELECT sum(next_offset)::int AS n FROM "${svc.schema}".consumer_offsets`);
    expect(offsets[0].n).toBe(3);
  });

  it('skips a batch of types it does not apply by their event-type header alone: no parsing, no dedupe rows, the offset still moves', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    // Values that are not even JSON: parsed, they would be dead-lettered as malformed.
    await produceOnce(kafka, topic, [1, 2].map((i) => ({ key: 'lead-skip', value: `not json ${i}`, headers: { 'event-type': 'LeadTouched' } })));
    const consumer = svc.consumer(undefined, undefined, undefined, new Set(['LeadCreated']));
    cleanup.push(() => consumer.stop());
    await consumer.start();
    const offsetSum = async () => (await svc.dataSource.query(`SELECT coalesce(sum(next_offset), 0)::int AS n FROM "${svc.schema}".consumer_offsets`))[0].n as number;
    await waitFor(async () => (await offsetSum()) === 2, 'the offset moved past both skipped messages');
    expect((await svc.dataSource.query(`SELECT count(*)::int AS n FROM "${svc.schema}".processed_events`))[0].n).toBe(0);
    expect((await svc.dataSource.query(`SELECT count(*)::int AS n FROM "${svc.schema}".outbox`))[0].n).toBe(0);
    await publisher.publish([makeEvent('LeadCreated', 'lead-skip', leadCreatedData())], topic);
    await waitFor(async () => (await svc.applied()).length === 1, 'the next wanted event applied');
    expect(await offsetSum()).toBe(3);
  });

  it('starts itself again when the Kafka client leaves it stopped after an error it does not retry, and says it is not running meanwhile', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const consumer = svc.consumer();
    cleanup.push(() => consumer.stop());
    await consumer.start();
    await publisher.publish([makeEvent('LeadCreated', 'lead-restart-1', leadCreatedData())], topic);
    await waitFor(async () => (await svc.applied()).length === 1, 'the first event applied');
    // What the client reports for a non-retriable error (it has disconnected and will not restart).
    consumer['onCrash'](new Error('The group is rebalancing, so a rejoin is needed (non-retriable here)'), false);
    expect(consumer.isRunning()).toBe(false);
    await waitFor(() => consumer.isRunning(), 'the consumer running again', 20_000);
    await publisher.publish([makeEvent('LeadCreated', 'lead-restart-2', leadCreatedData())], topic);
    await waitFor(async () => (await svc.applied()).length === 2, 'an event published after the restart applied');
    expect((await svc.applied()).map((r) => r.lead_id)).toEqual(['lead-restart-1', 'lead-restart-2']);
  });

  it('loses nothing and applies nothing twice when killed between the database commit and the Kafka commit', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const first = Array.from({ length: 20 }, (_, i) => makeEvent('LeadCreated', `lead-crash-${i}`, leadCreatedData()));
    await publisher.publish(first, topic);

    let crashes = 0;
    const crashing = svc.consumer(undefined, {
      afterDatabaseCommit: async () => {
        crashes += 1;
        throw new Error('simulated crash after the database commit');
      },
    });
    await crashing.start();
    await waitFor(() => crashes > 0, 'the first database commit');
    await crashing.stop();
    const afterCrash = await svc.applied();
    expect(afterCrash.length).toBeGreaterThan(0);

    const second = Array.from({ length: 10 }, (_, i) => makeEvent('LeadCreated', `lead-crash-late-${i}`, leadCreatedData()));
    await publisher.publish(second, topic);
    const restarted = svc.consumer();
    cleanup.push(() => restarted.stop());
    await restarted.start();
    const all = await waitFor(async () => {
      const rows = await svc.applied();
      return rows.length >= 30 ? rows : undefined;
    }, 'all 30 events applied after restart');
    await new Promise((r) => setTimeout(r, 500));
    const final = await svc.applied();
    expect(final).toHaveLength(30);
    expect(new Set(final.map((r) => r.event_id))).toEqual(new Set([...first, ...second].map((e) => e.eventId)));
    expect(all.length).toBe(30);
  });

  it('dead-letters a malformed message and an unknown version with the reason, and processes the next valid message', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const valid = makeEvent('LeadCreated', 'lead-after-bad', leadCreatedData());
    const unknownVersion = makeEvent('LeadTouched', 'lead-bad', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false }, { version: 9 });
    // All on one partition (same key), so "the next valid message" really follows the bad ones.
    await publisher.publishRaw([{ key: 'lead-bad', value: '{"type": "LeadCreated", truncated' }], topic);
    await publisher.publishRaw([{ key: 'lead-bad', value: JSON.stringify(unknownVersion) }], topic);
    await publisher.publishRaw([{ key: 'lead-bad', value: JSON.stringify({ ...valid, leadId: 'lead-bad' }) }], topic);

    const relay = new OutboxRelay({ kafka, dataSource: svc.dataSource, schema: svc.schema, logger });
    const consumer = svc.consumer(undefined, undefined, () => relay.kick());
    cleanup.push(() => relay.stop(), () => consumer.stop());
    await relay.start();
    await consumer.start();
    await waitFor(async () => (await svc.applied()).length === 1, 'the valid message applied');

    const dead = await readTopic(kafka, Topics.deadLetter, (ms) => ms.filter((m) => m.headers[DeadLetterHeaders.consumerGroup] === svc.groupId).length >= 2);
    const mine = dead.filter((m) => m.headers[DeadLetterHeaders.consumerGroup] === svc.groupId);
    expect(mine).toHaveLength(2);
    expect(mine[0].headers[DeadLetterHeaders.reason]).toMatch(/^not JSON/);
    expect(mine[0].value).toBe('{"type": "LeadCreated", truncated');
    expect(mine[1].headers[DeadLetterHeaders.reason]).toBe('unknown schema version 9 of LeadTouched (known: 1)');
    for (const m of mine) {
      expect(m.headers[DeadLetterHeaders.originalTopic]).toBe(topic);
      expect(m.headers[DeadLetterHeaders.originalPartition]).toMatch(/^\d$/);
      expect(m.headers[DeadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
    }
  });

  it('dead-letters a message whose handler keeps failing after bounded retries, and the partition keeps flowing', async () => {
    const topic = await createTestTopic(kafka);
    const svc = await testService(kafka, topic);
    cleanup.push(() => svc.dataSource.destroy());
    const poison = makeEvent('LeadCreated', 'lead-poison', leadCreatedData({ source: 'poison' }));
    const next = makeEvent('LeadCreated', 'lead-poison', leadCreatedData(), {});
    let poisonAttempts = 0;
    const handler: EventHandler = async (event, ctx) => {
      if (event.type === 'LeadCreated' && event.data.source === 'poison') {
        poisonAttempts += 1;
        await ctx.tx.execute(`INSERT INTO "${svc.schema}".applied (event_id, type, lead_id) VALUES ($1, 'partial', 'x')`, [event.eventId]);
        throw new Error('domain exploded');
      }
      await ctx.tx.execute(`INSERT INTO "${svc.schema}".applied (event_id, type, lead_id) VALUES ($1, $2, $3)`, [event.eventId, event.type, event.leadId]);
    };
    const relay = new OutboxRelay({ kafka, dataSource: svc.dataSource, schema: svc.schema, logger });
    const consumer = svc.consumer(handler, undefined, () => relay.kick());
    cleanup.push(() => relay.stop(), () => consumer.stop());
    await relay.start();
    await publisher.publish([poison, next], topic);
    await consumer.start();
    await waitFor(async () => (await svc.applied()).some((r) => r.event_id === next.eventId), 'the message after the poison applied');
    // The poison message's partial write was rolled back with its savepoint.
    expect((await svc.applied()).map((r) => r.event_id)).toEqual([next.eventId]);
    expect(poisonAttempts).toBeGreaterThanOrEqual(3);
    const dead = await readTopic(kafka, Topics.deadLetter, (ms) => ms.some((m) => m.headers[DeadLetterHeaders.consumerGroup] === svc.groupId));
    const mine = dead.find((m) => m.headers[DeadLetterHeaders.consumerGroup] === svc.groupId)!;
    expect(mine.headers[DeadLetterHeaders.reason]).toBe('handler failed 3 times: domain exploded');
    expect(mine.headers[DeadLetterHeaders.attempts]).toBe('3');
    expect(JSON.parse(mine.value).eventId).toBe(poison.eventId);
  });

  it('produces no duplicate effect downstream when the relay is killed between publishing and marking sent', async () => {
    const topic = await createTestTopic(kafka);
    const upstream = await testService(kafka, topic);
    const downstreamTopic = Topics.leadEvents;
    const downstream = await testService(kafka, downstreamTopic);
    cleanup.push(() => upstream.dataSource.destroy(), () => downstream.dataSource.destroy());

    const leads = Array.from({ length: 5 }, (_, i) => makeEvent('LeadCreated', uniqueName(`lead-relay-${i}`), leadCreatedData()));
    const upstreamConsumer = upstream.consumer();
    cleanup.push(() => upstreamConsumer.stop());
    await publisher.publish(leads, topic);
    await upstreamConsumer.start();
    await waitFor(async () => (await upstream.applied()).length === 5, 'upstream applied the leads');

    let publishes = 0;
    const crashingRelay = new OutboxRelay({
      kafka, dataSource: upstream.dataSource, schema: upstream.schema, logger,
      faults: { afterPublish: async () => { publishes += 1; throw new Error('simulated relay crash'); } },
    });
    await crashingRelay.start();
    await waitFor(() => publishes > 0, 'the crashing relay to publish');
    await crashingRelay.stop();
    expect(await crashingRelay.backlog()).toBe(5); // published but not marked sent

    const relay = new OutboxRelay({ kafka, dataSource: upstream.dataSource, schema: upstream.schema, logger });
    cleanup.push(() => relay.stop());
    await relay.start();
    await waitFor(async () => (await relay.backlog()) === 0, 'the relay to drain the outbox');

    const assignedIds = new Set<string>();
    const onTopic = await readTopic(kafka, downstreamTopic, (ms) => {
      const mine = eventsOf(ms).filter((e) => e.type === 'LeadAssigned' && leads.some((l) => l.eventId === e.causationId));
      return mine.length >= 10;
    });
    const mine = eventsOf(onTopic).filter((e) => e.type === 'LeadAssigned' && leads.some((l) => l.eventId === e.causationId));
    mine.forEach((e) => assignedIds.add(e.eventId));
    expect(mine).toHaveLength(10); // every LeadAssigned really was published twice
    expect(assignedIds.size).toBe(5); // with the same deterministic ids

    const downstreamConsumer = downstream.consumer(async (event: LeadEvent, ctx) => {
      if (event.type !== 'LeadAssigned' || !assignedIds.has(event.eventId)) return;
      await ctx.tx.execute(`INSERT INTO "${downstream.schema}".applied (event_id, type, lead_id) VALUES ($1, $2, $3)`, [event.eventId, event.type, event.leadId]);
    });
    cleanup.push(() => downstreamConsumer.stop());
    await downstreamConsumer.start();
    await waitFor(async () => (await downstream.applied()).length >= 5, 'downstream applied the assignments');
    await new Promise((r) => setTimeout(r, 1000));
    const applied = await downstream.applied();
    expect(applied).toHaveLength(5);
    expect(new Set(applied.map((r) => r.event_id))).toEqual(assignedIds);
  });
});
