import { assertLogFromStart, ensureTopics, EventPublisher, LogHistoryGapError, platformTopics, withKafkaAdmin, type KafkaClient } from '@lead-sla/messaging';
import { createTestTopic, leadCreatedData, makeEvent, testKafka, uniqueName } from '@lead-sla/testing';

function topicConfig(kafka: KafkaClient, topic: string, names: readonly string[]): Promise<Record<string, string>> {
  return withKafkaAdmin(kafka, (admin) => admin.topicConfig(topic, names));
}

describe('log retention (real Kafka)', () => {
  let kafka: KafkaClient;
  beforeAll(() => {
    kafka = testKafka();
  });

  it('creates the event log and its dead-letter topic with infinite retention, and other topics with the broker default', async () => {
    const names = { leadEvents: uniqueName('lead_events'), deadLetter: uniqueName('lead_events_dlq') };
    await ensureTopics(kafka, platformTopics(3, names));
    const other = await createTestTopic(kafka);
    const keys = ['retention.ms', 'retention.bytes'];
    const log = await topicConfig(kafka, names.leadEvents, keys);
    const dead = await topicConfig(kafka, names.deadLetter, keys);
    const plain = await topicConfig(kafka, other, keys);
    console.log(`retention test: log ${JSON.stringify(log)}, dead letters ${JSON.stringify(dead)}, other topic ${JSON.stringify(plain)}`);
    expect(log).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    expect(dead).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    expect(plain['retention.ms']).toBe('604800000');
  });

  it('refuses a rebuild from a log whose low watermark is above 0, naming the gap', async () => {
    const topic = await createTestTopic(kafka, 'truncated', 2);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    try {
      await publisher.publish(Array.from({ length: 6 }, () => makeEvent('LeadCreated', 'lead-gap', leadCreatedData())), topic);
    } finally {
      await publisher.disconnect();
    }
    await expect(assertLogFromStart(kafka, topic)).resolves.toBeUndefined();
    // All events share a key, so one partition holds them; delete its first four, as retention would.
    const partition = await withKafkaAdmin(kafka, async (admin) => {
      const { partition: held } = (await admin.watermarks(topic)).find((p) => p.high !== 0n)!;
      await admin.deleteRecordsBefore(topic, held, 4n);
      return held;
    });
    const refused = await assertLogFromStart(kafka, topic).catch((e: unknown) => e);
    console.log(`retention test: ${(refused as Error).message}`);
    expect(refused).toBeInstanceOf(LogHistoryGapError);
    expect((refused as Error).message).toBe(
      `${topic} no longer starts at offset 0 (partition ${partition} starts at 4): history was deleted (retention or deleteRecords), so rebuilding from the log would silently lose it; restore the log from its archive first`,
    );
  });
});
