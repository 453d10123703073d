import { Client } from 'pg';
import { DeadLetterHeaders, Topics } from '@lead-sla/contracts';
import { createLogger, inTransaction } from '@lead-sla/platform';
import { createTestTopic, leadCreatedData, makeEvent, messagingTestSchema, readTopic, requireEnv, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import { ensureTopics, EventPublisher, insertOutboxRows, OutboxRelay, platformTopics, TransactionalConsumer, type BatchEventHandler, type EventHandler, type KafkaClient } from '@lead-sla/messaging';

const logger = createLogger('messaging-faults-test', 'error');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('messaging under database faults (real Kafka and Postgres)', () => {
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

  it('a relay whose lock session is killed stops publishing until it holds the lock again, and two relays never publish the same rows', async () => {
    const topic = await createTestTopic(kafka, 'relay', 1);
    const { schema, dataSource } = await messagingTestSchema('type text NOT NULL');
    cleanup.push(() => dataSource.destroy());
    let next = 0;
    const insert = async (n: number) => {
      const rows = Array.from({ length: n }, () => ({ topic, key: 'k', value: Buffer.from(String(next++)), headers: {} }));
      await inTransaction(dataSource, (tx) => insertOutboxRows(tx, schema, rows));
    };
    const published: Array<{ relay: string; id: string }> = [];
    const relay = (name: string) =>
      new OutboxRelay({ kafka, dataSource, schema, logger, pollIntervalMs: 20, faults: { afterPublish: async (ids) => void ids.forEach((id) => published.push({ relay: name, id })) } });
    const lockHolder = async (): Promise<number | undefined> => {
      const [row] = await dataSource.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
        [`${schema}.outbox-relay`],
      );
      return row?.pid as number | undefined;
    };

    const a = relay('a');
    cleanup.push(() => a.stop());
    await a.start();
    await insert(5);
    await waitFor(async () => (await a.backlog()) === 0, 'relay a to drain the first rows');
    const first = await lockHolder();
    expect(first).toBeDefined();

    // Kill a's lock session and take the lock at once, as a second relay would.
    const other = new Client({ connectionString: requireEnv('DATABASE_URL') });
    await other.connect();
    cleanup.push(() => other.end());
    // The relay retries the lock too: whenever it wins the race back, kill its session again until the other session holds it.
    const taken = await waitFor(async () => {
      const holder = await lockHolder();
      if (holder !== undefined) await dataSource.query('SELECT pg_terminate_backend($1)', [holder]);
      const [row] = (await other.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`${schema}.outbox-relay`])).rows;
      return row.locked === true ? row : undefined;
    }, 'another session to take the lock from the killed relay session', 30_000, 20);
    expect(taken.locked).toBe(true);
    const publishedBefore = a.published;
    await insert(5);
    await sleep(1500);
    console.log(`relay test: killed lock session ${first}; another session holds the lock; relay a published ${a.published - publishedBefore} rows in 1.5 s`);
    expect(a.published).toBe(publishedBefore);
    expect(await a.backlog()).toBe(5);

    // The lock is free again: a takes it back and drains.
    await other.query('SELECT pg_advisory_unlock(hashtext($1))', [`${schema}.outbox-relay`]);
    await waitFor(async () => (await a.backlog()) === 0, 'relay a to re-acquire the lock and drain');

    // Two relays, the holder's session killed again and again while rows keep coming: each row is published by one relay, once.
    const b = relay('b');
    cleanup.push(() => b.stop());
    await b.start();
    for (let round = 0; round < 4; round++) {
      await insert(20);
      await sleep(300);
      const holder = await lockHolder();
      if (holder) await dataSource.query('SELECT pg_terminate_backend($1)', [holder]);
      await insert(20);
      await sleep(300);
    }
    await waitFor(async () => (await a.backlog()) === 0, 'the relays to drain', 30_000);
    const ids = published.map((p) => p.id);
    console.log(`relay test: ${ids.length} rows published (a: ${published.filter((p) => p.relay === 'a').length}, b: ${published.filter((p) => p.relay === 'b').length}) across 4 killed lock sessions`);
    expect(ids).toHaveLength(next);
    expect(new Set(ids).size).toBe(next);
  });

  it('a relay whose producer sequence the broker refuses for good (broker restarted mid-send) goes on with a new producer', async () => {
    const topic = await createTestTopic(kafka, 'relay-sequence', 1);
    const { schema, dataSource } = await messagingTestSchema();
    cleanup.push(() => dataSource.destroy());
    // The first producer is in the state the fault suite's broker restart left one in: every send refused.
    let producers = 0;
    const flaky = {
      producer: (config: Parameters<KafkaClient['producer']>[0]) => {
        const producer = kafka.producer(config);
        if (++producers === 1) {
          producer.sendBatch = async () => {
            throw Object.assign(new Error('The broker received an out of order sequence number'), { name: 'KafkaJSProtocolError', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
          };
        }
        return producer;
      },
    } as unknown as KafkaClient;
    const relay = new OutboxRelay({ kafka: flaky, dataSource, schema, logger, pollIntervalMs: 20 });
    cleanup.push(() => relay.stop());
    await relay.start();
    const rows = ['a', 'b', 'c'].map((v) => ({ topic, key: 'k', value: Buffer.from(v), headers: {} }));
    await inTransaction(dataSource, (tx) => insertOutboxRows(tx, schema, rows));
    await waitFor(async () => (await relay.backlog()) === 0, 'the relay to publish with a new producer', 20_000);
    const published = await readTopic(kafka, topic, (ms) => ms.length >= 3);
    expect([producers, published.map((m) => m.value)]).toEqual([2, ['a', 'b', 'c']]);
  });

  it('never moves the stored offset backwards when a batch arrives before the seek to it', async () => {
    const topic = await createTestTopic(kafka, 'offsets', 1);
    const { schema, dataSource } = await messagingTestSchema('type text NOT NULL');
    cleanup.push(() => dataSource.destroy());
    const groupId = uniqueName('group');
    // The database says offsets below 1000 are applied; the Kafka group has no commit, so it fetches from 0.
    await dataSource.query(
      `INSERT INTO "${schema}".consumer_offsets (group_id, topic, partition, next_offset, updated_at) VALUES ($1, $2, 0, 1000, '2000-01-01')`,
      [groupId, topic],
    );
    await publisher.publish(Array.from({ length: 3 }, () => makeEvent('LeadCreated', 'lead-offset', leadCreatedData())), topic);
    const handled: string[] = [];
    const consumer = new TransactionalConsumer({ kafka, dataSource, schema, groupId, topics: [topic], logger, sessionTimeoutMs: 6000, handle: async (e) => void handled.push(e.eventId) });
    cleanup.push(() => consumer.stop());
    await consumer.start();
    const row = await waitFor(async () => {
      const [r] = await dataSource.query(`SELECT next_offset, updated_at FROM "${schema}".consumer_offsets WHERE group_id = $1`, [groupId]);
      return new Date(r.updated_at).getFullYear() > 2000 ? r : undefined;
    }, 'a batch from offset 0 to be processed');
    expect(row.next_offset).toBe('1000');
    expect(handled).toEqual([]);
  });

  it('retries a handler that meets a deadlock until it succeeds (applied once, not dead-lettered); a handler that always fails is still dead-lettered', async () => {
    const topic = await createTestTopic(kafka, 'transient', 1);
    const { schema, dataSource } = await messagingTestSchema('type text NOT NULL');
    cleanup.push(() => dataSource.destroy());
    const groupId = uniqueName('group');
    const deadlocked = makeEvent('LeadCreated', 'lead-transient', leadCreatedData({ source: 'deadlock' }));
    const poison = makeEvent('LeadCreated', 'lead-transient', leadCreatedData({ source: 'poison' }));
    const after = makeEvent('LeadCreated', 'lead-transient', leadCreatedData());
    let deadlocks = 0;
    // More failures than maxAttempts (3): before the fix the event was dead-lettered after the third.
    const failuresBeforeSuccess = 4;
    const handle: EventHandler = async (event, ctx) => {
      await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, type) VALUES ($1, $2)`, [event.eventId, event.type]);
      if (event.eventId === deadlocked.eventId && deadlocks < failuresBeforeSuccess) {
        deadlocks += 1;
        // A real Postgres error with the deadlock SQLSTATE, through the real driver.
        await ctx.tx.execute(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01', MESSAGE = 'deadlock detected (injected)'; END $$`);
      }
      if (event.eventId === poison.eventId) throw new Error('domain exploded');
    };
    const relay = new OutboxRelay({ kafka, dataSource, schema, logger, pollIntervalMs: 20 });
    const consumer = new TransactionalConsumer({
      kafka, dataSource, schema, groupId, topics: [topic], logger, sessionTimeoutMs: 6000, retryBackoffMs: 5, handle, onOutboxWritten: () => relay.kick(),
    });
    cleanup.push(() => relay.stop(), () => consumer.stop());
    await relay.start();
    await publisher.publish([deadlocked, poison, after], topic);
    await consumer.start();
    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM "${schema}".applied WHERE event_id = $1`, [after.eventId])).length === 1, 'the last event applied');
    const applied = (await dataSource.query(`SELECT event_id FROM "${schema}".applied ORDER BY id`)).map((r: { event_id: string }) => r.event_id);
    expect(deadlocks).toBe(failuresBeforeSuccess);
    expect(applied).toEqual([deadlocked.eventId, after.eventId]);
    await waitFor(async () => (await relay.backlog()) === 0, 'the dead letter published');
    const dead = await readTopic(kafka, Topics.deadLetter, (ms) => ms.some((m) => m.headers[DeadLetterHeaders.consumerGroup] === groupId));
    await sleep(300);
    const mine = dead.filter((m) => m.headers[DeadLetterHeaders.consumerGroup] === groupId);
    console.log(`transient test: ${deadlocks} injected deadlocks retried; dead letters: ${mine.map((m) => JSON.parse(m.value).data.source).join(', ')}`);
    expect(mine.map((m) => JSON.parse(m.value).eventId)).toEqual([poison.eventId]);
    expect(mine[0].headers[DeadLetterHeaders.reason]).toBe('handler failed 3 times: domain exploded');
  });
  it('applies a batch whose transaction keeps timing out in ever smaller slices (never stalls, each event once, in order)', async () => {
    const topic = await createTestTopic(kafka, 'slices', 1);
    const { schema, dataSource } = await messagingTestSchema('type text NOT NULL');
    cleanup.push(() => dataSource.destroy());
    const events = Array.from({ length: 20 }, (_, i) => makeEvent('LeadCreated', `lead-slices-${i}`, leadCreatedData()));
    // As a transaction whose work grows with the batch would: more than 4 events outlast the statement timeout.
    const sizes: number[] = [];
    const handleBatch: BatchEventHandler = async (items, ctx) => {
      sizes.push(items.length);
      if (items.length > 4) await ctx.tx.execute(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '57014', MESSAGE = 'canceling statement due to statement timeout (injected)'; END $$`);
      for (const { event } of items) await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, type) VALUES ($1, $2)`, [event.eventId, event.type]);
    };
    const handle: EventHandler = async () => {
      throw new Error('the batch handler applies every event here');
    };
    const consumer = new TransactionalConsumer({
      kafka, dataSource, schema, groupId: uniqueName('group'), topics: [topic], logger, sessionTimeoutMs: 6000, retryBackoffMs: 5, handle, handleBatch,
    });
    cleanup.push(() => consumer.stop());
    await publisher.publish(events, topic);
    await consumer.start();
    const applied = await waitFor(async () => {
      const rows = (await dataSource.query(`SELECT event_id FROM "${schema}".applied ORDER BY id`)).map((r: { event_id: string }) => r.event_id);
      return rows.length >= events.length ? rows : undefined;
    }, 'every event applied', 60_000);
    await sleep(300);
    console.log(`slices test: batch sizes tried ${sizes.join(', ')}`);
    expect(applied).toEqual(events.map((e) => e.eventId));
    expect(sizes.some((n) => n > 4)).toBe(true);
  });
});
