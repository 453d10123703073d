import { DeadLetterHeaders, Topics } from '@lead-sla/contracts';
import { createLogger } from '@lead-sla/platform';
import { createTestTopic, leadCreatedData, makeEvent, messagingTestSchema, readTopic, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import {
  ensureTopics, EventPublisher, OutboxRelay, partitionForKey, platformTopics, TransactionalConsumer, LogProducer, type EventHandler, type KafkaClient,
} from '@lead-sla/messaging';
import { countingWrongPartitions, ServiceMetrics } from '@lead-sla/service-runtime';

const logger = createLogger('wrong-partition-test', 'error');
const PARTITIONS = 3;

/** A throwaway service: its own schema, a consumer recording what it applies, its relay (dead letters go through the outbox). */
async function testService(kafka: KafkaClient, topic: string, checkPartitioning: boolean) {
  const { schema, dataSource } = await messagingTestSchema('lead_id text');
  const groupId = uniqueName('group');
  const metrics = new ServiceMetrics('wrong-partition-test', { defaultMetrics: false });
  const record: EventHandler = async (event, ctx) => {
    await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, lead_id) VALUES ($1, $2)`, [event.eventId, event.leadId]);
  };
  const relay = new OutboxRelay({ kafka, dataSource, schema, logger });
  const consumer = new TransactionalConsumer({
    kafka, dataSource, schema, groupId, topics: [topic], handle: record, logger, retryBackoffMs: 5, sessionTimeoutMs: 6000,
    checkPartitioning, onWrongPartition: countingWrongPartitions(metrics), onOutboxWritten: () => relay.kick(),
  });
  await relay.start();
  await consumer.start();
  const applied = async () => ((await dataSource.query(`SELECT event_id, lead_id FROM "${schema}".applied ORDER BY id`)) as Array<{ event_id: string; lead_id: string }>).map((r) => r.event_id);
  const stop = async () => {
    await consumer.stop();
    await relay.stop();
    await dataSource.destroy();
  };
  return { groupId, metrics, applied, stop };
}

/** A lead id whose key belongs to `partition`. */
function leadOn(partition: number, prefix: string): string {
  for (let i = 0; ; i++) if (partitionForKey(`${prefix}-${i}`, PARTITIONS) === partition) return `${prefix}-${i}`;
}

describe('a message on the wrong partition for its key (real Kafka and Postgres)', () => {
  let kafka: KafkaClient;
  let producer: LogProducer;
  let publisher: EventPublisher;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, platformTopics(PARTITIONS));
    producer = await new LogProducer(kafka).connect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });
  afterAll(async () => {
    while (cleanup.length) await cleanup.pop()!();
    await producer.disconnect();
    await publisher.disconnect();
  });

  it('is dead-lettered naming the partitioner and counted, the partition keeps flowing, a re-drive applies it, and a replay does not judge it', async () => {
    const topic = await createTestTopic(kafka, 'topic', PARTITIONS);
    const misplacedLead = 'lead-42';
    const home = partitionForKey(misplacedLead, PARTITIONS);
    const wrong = (home + 1) % PARTITIONS;
    const rightLead = leadOn(wrong, 'lead-right');
    const misplaced = makeEvent('LeadCreated', misplacedLead, leadCreatedData());
    const right = makeEvent('LeadCreated', rightLead, leadCreatedData());
    // As a librdkafka producer with its default partitioner would: the key, but another partition.
    await producer.send(topic, [{ key: misplacedLead, value: JSON.stringify(misplaced), partition: wrong }]);
    // Keyed as the platform does (kafkajs' Java-compatible partitioner): lands on the same partition, after it.
    await publisher.publish([right], topic);

    const live = await testService(kafka, topic, true);
    cleanup.push(live.stop);
    await waitFor(async () => (await live.applied()).includes(right.eventId), 'the correctly keyed event after the misplaced one applied');
    const dead = await readTopic(kafka, Topics.deadLetter, (ms) => ms.some((m) => m.headers[DeadLetterHeaders.consumerGroup] === live.groupId));
    const mine = dead.filter((m) => m.headers[DeadLetterHeaders.consumerGroup] === live.groupId);
    console.log(`injected ${misplacedLead} on partition ${wrong} (its key belongs to ${home}); dead letter reason: ${mine[0]?.headers[DeadLetterHeaders.reason]}`);
    expect(mine).toHaveLength(1);
    expect(mine[0].headers[DeadLetterHeaders.reason]).toBe(
      `key "lead-42" belongs to partition ${home} of ${topic} (3 partitions, Java murmur2 partitioner) but arrived on partition ${wrong}: ` +
        'the producer uses another partitioner; with librdkafka set partitioner=murmur2_random',
    );
    expect(mine[0].headers[DeadLetterHeaders.originalTopic]).toBe(topic);
    expect(mine[0].headers[DeadLetterHeaders.originalPartition]).toBe(String(wrong));
    expect(mine[0].headers[DeadLetterHeaders.originalOffset]).toBe('0');
    expect(mine[0].key).toBe(misplacedLead);
    expect(JSON.parse(mine[0].value).eventId).toBe(misplaced.eventId);
    expect(await live.applied()).toEqual([right.eventId]);
    expect((await live.metrics.render()).body).toContain(`lead_sla_wrong_partition_total{messaging_destination_name="${topic}",messaging_destination_partition_id="${wrong}",service="wrong-partition-test"} 1`);

    // Re-drive once the producer is fixed: the same bytes, keyed and partitioned as the platform does.
    await publisher.publishRaw([{ key: mine[0].key!, value: mine[0].value }], topic);
    await waitFor(async () => (await live.applied()).includes(misplaced.eventId), 'the re-driven event applied');
    expect(await live.applied()).toEqual([right.eventId, misplaced.eventId]);

    // A replay re-applies the log as it is: the misplaced copy is applied, its re-driven twin skipped by id.
    const replay = await testService(kafka, topic, false);
    cleanup.push(replay.stop);
    await waitFor(async () => (await replay.applied()).length >= 2, 'the replay applied both events');
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(await replay.applied())).toEqual(new Set([misplaced.eventId, right.eventId]));
    expect(await replay.applied()).toHaveLength(2);
    expect((await replay.metrics.render()).body).not.toContain('lead_sla_wrong_partition_total{');
  });
});
