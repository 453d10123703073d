import type { DataSource, MigrationInterface } from 'typeorm';
import { createDataSource, createLogger, runMigrations } from '@lead-sla/platform';
import { createTestTopic, leadCreatedData, makeEvent, messagingTestSchema, requireEnv, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import {
  DeadLetterRedrivesRepository, deadLetterRedrivesMigration, EventPublisher, formatDeadLetterList, logEnd, OutboxRelay,
  readDeadLetters, redriveDeadLetters, redriveMessageOf, REDRIVEN_FROM_HEADER, selectDeadLetters, TransactionalConsumer, VALUE_OMITTED_HEADER, type EventHandler,
  produceOnce, type KafkaClient,
} from '@lead-sla/messaging';

const logger = createLogger('dead-letters-test', 'error');

async function migrated(schema: string, migrations: ReadonlyArray<new () => MigrationInterface>): Promise<DataSource> {
  const dataSource = createDataSource({ url: requireEnv('DATABASE_URL'), schema, applicationName: schema, migrations });
  await runMigrations(dataSource, schema);
  return dataSource;
}

async function messagesIn(kafka: KafkaClient, topic: string): Promise<bigint> {
  return [...(await logEnd(kafka, topic)).values()].reduce((a, b) => a + b, 0n);
}

describe('dead letters: list and re-drive exactly once (real Kafka and Postgres)', () => {
  let kafka: KafkaClient;
  let publisher: EventPublisher;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    kafka = testKafka();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });
  afterAll(async () => {
    while (cleanup.length) await cleanup.pop()!();
    await publisher.disconnect();
  });

  it('lists a dead letter with its reason, re-drives it once fixed, applies it once, and a second re-drive publishes nothing', async () => {
    const topic = await createTestTopic(kafka, 'events');
    const dlqTopic = await createTestTopic(kafka, 'dlq', 1);
    const { schema, dataSource: service } = await messagingTestSchema('redriven_from text');
    cleanup.push(() => service.destroy());
    const opsSchema = uniqueName('operations');
    const opsSource = await migrated(opsSchema, [deadLetterRedrivesMigration(opsSchema)]);
    cleanup.push(() => opsSource.destroy());
    const applied = async () => (await service.query(`SELECT event_id, redriven_from FROM "${schema}".applied ORDER BY id`)) as Array<{ event_id: string; redriven_from: string | null }>;

    const refused = makeEvent('LeadCreated', 'lead-refused', leadCreatedData({ contact: { contactKey: 'secret.person@example.com', email: 'secret.person@example.com' } }));
    const next = makeEvent('LeadCreated', 'lead-refused', leadCreatedData());
    // Refuses the one event until the "fix" is deployed.
    let fixed = false;
    const handler: EventHandler = async (event, ctx) => {
      if (!fixed && event.eventId === refused.eventId) throw new Error('no pool "emea-late" in policy v7');
      await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, redriven_from) VALUES ($1, $2)`, [event.eventId, ctx.message.headers[REDRIVEN_FROM_HEADER] ?? null]);
    };
    const groupId = uniqueName('group');
    const relay = new OutboxRelay({ kafka, dataSource: service, schema, logger });
    const consumer = new TransactionalConsumer({
      kafka, dataSource: service, schema, groupId, topics: [topic], deadLetterTopic: dlqTopic, handle: handler, logger, retryBackoffMs: 5, sessionTimeoutMs: 6000,
      onOutboxWritten: () => relay.kick(),
    });
    cleanup.push(() => relay.stop(), () => consumer.stop());
    await relay.start();
    await consumer.start();

    await publisher.publish([refused, next], topic);
    await publisher.publishRaw([{ key: 'lead-garbled', value: '{"type": "LeadCreated", truncated' }], topic);
    await waitFor(async () => (await applied()).some((r) => r.event_id === next.eventId), 'the event after the refused one applied');
    await waitFor(async () => (await relay.backlog()) === 0 && (await messagesIn(kafka, dlqTopic)) === 2n, 'both dead letters published');

    const letters = await readDeadLetters(kafka, dlqTopic);
    const listing = formatDeadLetterList(letters);
    console.log(`dead letters listed:\n${listing}`);
    expect(letters.map((l) => [l.eventType, l.eventId, l.consumerGroup, l.originalTopic, l.attempts])).toEqual(
      expect.arrayContaining([['LeadCreated', refused.eventId, groupId, topic, 3], [null, null, groupId, topic, 0]]),
    );
    expect(listing).toContain('handler failed 3 times: no pool "emea-late" in policy v7');
    expect(listing).toContain(refused.eventId);
    expect(listing).not.toContain('secret.person@example.com');
    expect(() => selectDeadLetters(letters, { ids: ['0:99'] }, dlqTopic)).toThrow(`no dead letter 0:99 in ${dlqTopic}`);

    const chosen = selectDeadLetters(letters, { reason: 'NO POOL "emea-late"' }, dlqTopic);
    expect(chosen.map((l) => l.eventId)).toEqual([refused.eventId]);
    const redrives = new DeadLetterRedrivesRepository(opsSource, dlqTopic, opsSchema);
    const before = await messagesIn(kafka, topic);

    const dry = await redriveDeadLetters(kafka, redrives, chosen, true);
    expect(dry).toEqual([{ id: chosen[0].id, status: 'would-redrive', topic }]);
    expect(await messagesIn(kafka, topic)).toBe(before);

    fixed = true;
    const first = await redriveDeadLetters(kafka, redrives, chosen, false);
    expect(first).toEqual([expect.objectContaining({ id: chosen[0].id, status: 'redriven', topic })]);
    await waitFor(async () => (await applied()).some((r) => r.event_id === refused.eventId), 'the re-driven event applied');

    const again = await redriveDeadLetters(kafka, redrives, selectDeadLetters(await readDeadLetters(kafka, dlqTopic), { type: 'LeadCreated' }, dlqTopic), false);
    expect(again).toEqual([expect.objectContaining({ id: chosen[0].id, status: 'already-redriven' })]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messagesIn(kafka, topic)).toBe(before + 1n);
    const rows = await applied();
    expect(rows.filter((r) => r.event_id === refused.eventId)).toEqual([{ event_id: refused.eventId, redriven_from: chosen[0].id }]);
    expect(rows.filter((r) => r.event_id === next.eventId)).toHaveLength(1);
    const [record] = await opsSource.query(`SELECT state, published_partition, published_offset::text FROM "${opsSchema}".dead_letter_redrives`);
    expect(record).toEqual({ state: 'published', published_partition: (first[0] as { partition: number }).partition, published_offset: (first[0] as { offset: string }).offset });
    console.log(`re-drive: first run ${first[0].status}, second run ${again[0].status}; ${refused.eventId} applied ${rows.filter((r) => r.event_id === refused.eventId).length} time(s)`);
  });

  it('dead-letters a message at the broker size limit without a copy of it, so the outbox keeps flowing, and refuses to re-drive it', async () => {
    const topic = await createTestTopic(kafka, 'events');
    const dlqTopic = await createTestTopic(kafka, 'dlq', 1);
    const { schema, dataSource: service } = await messagingTestSchema();
    cleanup.push(() => service.destroy());
    const handler: EventHandler = async (event, ctx) => {
      await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id) VALUES ($1)`, [event.eventId]);
    };
    const relay = new OutboxRelay({ kafka, dataSource: service, schema, logger });
    const consumer = new TransactionalConsumer({
      kafka, dataSource: service, schema, groupId: uniqueName('group'), topics: [topic], deadLetterTopic: dlqTopic, handle: handler, logger, retryBackoffMs: 5, sessionTimeoutMs: 6000,
      onOutboxWritten: () => relay.kick(),
    });
    cleanup.push(() => relay.stop(), () => consumer.stop());
    await relay.start();
    await consumer.start();

    // Just under the broker's message.max.bytes (1,048,588): the log takes it, but the message plus the
    // dead-letter headers would not fit; the relay would then retry that row forever.
    const huge = Buffer.alloc(1_048_588 - 200, 'x');
    const next = makeEvent('LeadCreated', 'lead-after-huge', leadCreatedData());
    await publisher.publishRaw([{ key: 'lead-after-huge', value: huge }], topic);
    await publisher.publish([next], topic);
    await publisher.publishRaw([{ key: 'lead-after-huge', value: '{"type": "LeadCreated", truncated' }], topic);
    await waitFor(async () => (await service.query(`SELECT 1 FROM "${schema}".applied WHERE event_id = $1`, [next.eventId])).length === 1, 'the event after the huge one applied');
    await waitFor(async () => (await relay.backlog()) === 0 && (await messagesIn(kafka, dlqTopic)) === 2n, 'both dead letters published', 30_000);

    const [bodiless, small] = await readDeadLetters(kafka, dlqTopic);
    expect([bodiless.value.length, bodiless.headers[VALUE_OMITTED_HEADER], bodiless.originalTopic, bodiless.reason]).toEqual([0, String(huge.length), topic, expect.stringMatching(/^not JSON/)]);
    expect(small.value.toString()).toBe('{"type": "LeadCreated", truncated');
    expect(() => redriveMessageOf(bodiless)).toThrow(`dead letter ${bodiless.id} carries no copy of its ${huge.length}-byte message (too large to dead-letter whole); the message is at ${topic}/${bodiless.originalPartition}@${bodiless.originalOffset} in the log`);
  });

  it('reports a dead letter claimed by a run that never recorded its publish as in doubt, and publishes nothing', async () => {
    const dlqTopic = await createTestTopic(kafka, 'dlq', 1);
    const topic = await createTestTopic(kafka, 'events');
    const opsSchema = uniqueName('operations');
    const opsSource = await migrated(opsSchema, [deadLetterRedrivesMigration(opsSchema)]);
    cleanup.push(() => opsSource.destroy());
    await produceOnce(kafka, dlqTopic, [{ key: 'lead-x', value: JSON.stringify(makeEvent('LeadCreated', 'lead-x', leadCreatedData())), headers: { 'x-dlq-reason': 'boom', 'x-original-topic': topic } }]);
    const letters = await readDeadLetters(kafka, dlqTopic);
    const redrives = new DeadLetterRedrivesRepository(opsSource, dlqTopic, opsSchema);
    // A run that crashed after its claim (and maybe after its publish): only the claim is recorded.
    expect(await redrives.claim(letters[0], topic)).toBeNull();

    const outcomes = await redriveDeadLetters(kafka, redrives, letters, false);
    expect(outcomes).toEqual([expect.objectContaining({ id: '0:0', status: 'in-doubt' })]);
    expect(await messagesIn(kafka, topic)).toBe(0n);
  });

  it('names a dead-letter topic that does not exist', async () => {
    await expect(readDeadLetters(kafka, 'no-such-dlq-topic')).rejects.toThrow('the dead-letter topic no-such-dlq-topic does not exist on this broker');
  });
});
