import type { DataSource } from 'typeorm';
import { createLogger } from '@lead-sla/platform';
import { createTestTopic, leadCreatedData, makeEvent, messagingTestSchema, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import { EventPublisher, ProcessedEventsRepository, RetentionPruner, TransactionalConsumer, withKafkaAdmin } from '@lead-sla/messaging';

const logger = createLogger('retention-pruner-test', 'error');
const DAY = 86_400_000;

describe('pruning processed_events (real Kafka and Postgres)', () => {
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);
  let dataSource: DataSource;
  let schema: string;
  beforeAll(async () => {
    await publisher.connect();
    ({ schema, dataSource } = await messagingTestSchema('', 'prune'));
  }, 60_000);
  afterAll(async () => {
    await publisher.disconnect();
    await dataSource?.destroy();
  });

  it('forgets ids older than the retention in batches, and a redelivery of the whole topic or a resend of a young event still applies nothing twice', async () => {
    const topic = await createTestTopic(kafka, 'prune', 1);
    const events = Array.from({ length: 7 }, (_, i) => makeEvent('LeadCreated', `lead-prune-${i}`, leadCreatedData()));
    await publisher.publish(events, topic);
    const applied = async () => (await dataSource.query(`SELECT event_id FROM "${schema}".applied`)).map((r: { event_id: string }) => r.event_id) as string[];
    const consume = async (groupId: string) => {
      const consumer = new TransactionalConsumer({
        kafka, dataSource, schema, groupId, topics: [topic], logger, sessionTimeoutMs: 6000,
        handle: async (e, ctx) => void (await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id) VALUES ($1)`, [e.eventId])),
      });
      await consumer.start();
      return consumer;
    };
    const groupId = uniqueName('group');
    let consumer = await consume(groupId);
    await waitFor(async () => (await applied()).length === 7, 'the seven events applied');

    // Six of the seven were applied 40 days ago; the last one yesterday.
    const old = events.slice(0, 6).map((e) => e.eventId);
    await dataSource.query(`UPDATE "${schema}".processed_events SET processed_at = now() - interval '40 days' WHERE event_id = ANY($1::uuid[])`, [old]);
    await dataSource.query(`UPDATE "${schema}".processed_events SET processed_at = now() - interval '1 day' WHERE event_id = $1`, [events[6].eventId]);
    const counted: number[] = [];
    const repository = new ProcessedEventsRepository(dataSource, schema);
    const pruner = new RetentionPruner({
      tasks: [{ table: `${schema}.processed_events`, prune: (before, limit) => repository.pruneBefore(before, limit) }],
      retentionMs: 30 * DAY, logger, batchSize: 4, onPruned: (_table, rows) => counted.push(rows),
    });
    const removed = await pruner.runOnce();
    const left = (await dataSource.query(`SELECT event_id FROM "${schema}".processed_events`)).map((r: { event_id: string }) => r.event_id);
    console.log(`processed_events pruning: removed ${JSON.stringify(removed)} in deletes of ${counted.join(' + ')}; ${left.length} id kept`);
    expect(counted).toEqual([4, 2]);
    expect(left).toEqual([events[6].eventId]);

    // Redelivery of everything (the Kafka group forgets its commit): the database offset skips all seven.
    await consumer.stop();
    await withKafkaAdmin(kafka, (admin) => admin.resetGroupToEarliest(groupId, topic));
    // A resend of the young event (a relay that crashed before deleting its outbox row) at a new offset: its id is still known.
    await publisher.publish([events[6]], topic);
    const marker = makeEvent('LeadCreated', 'lead-prune-marker', leadCreatedData());
    await publisher.publish([marker], topic);
    consumer = await consume(groupId);
    await waitFor(async () => (await applied()).includes(marker.eventId), 'the marker applied');
    await consumer.stop();
    const all = await applied();
    expect(all).toHaveLength(8);
    expect(new Set(all).size).toBe(8);
  });
});
