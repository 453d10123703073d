import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createKafka, ensureTopics, tailLog, type KafkaClient, type StringHeaders } from '@lead-sla/messaging';

/** A name no other test uses (topics, groups, schemas). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`.replace(/-/g, '_');
}

export function requireEnv(name: 'KAFKA_BROKERS' | 'DATABASE_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through the int/e2e Jest projects (their global setup starts Kafka and Postgres)`);
  return value;
}

export function testKafka(clientId = uniqueName('test')): KafkaClient {
  return createKafka({ brokers: requireEnv('KAFKA_BROKERS'), clientId });
}

export async function createTestTopic(kafka: KafkaClient, prefix = 'topic', numPartitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  await ensureTopics(kafka, [{ topic, numPartitions }]);
  return topic;
}

export async function withPg<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: requireEnv('DATABASE_URL') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface ReadMessage {
  readonly key: string | null;
  readonly value: string;
  readonly headers: StringHeaders;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group until
 * `done(messages)` holds or the timeout passes; returns what it read.
 */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  done: (messages: readonly ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const messages: ReadMessage[] = [];
  let resolveDone!: () => void;
  const finished = new Promise<void>((r) => (resolveDone = r));
  const reader = await tailLog(kafka, { topics: [topic], groupId: uniqueName('reader') }, ({ partition, records }) => {
    for (const m of records) {
      messages.push({ key: m.key?.toString('utf8') ?? null, value: m.value?.toString('utf8') ?? '', headers: m.headers, partition, offset: m.offset });
      if (done(messages)) resolveDone();
    }
  });
  try {
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs));
    await Promise.race([finished, timer]);
    return messages;
  } finally {
    await reader.stop();
  }
}

/** Parsed JSON events of a topic read with readTopic. */
export function eventsOf(messages: readonly ReadMessage[]): Array<{ type: string; eventId: string; leadId: string | null; data: Record<string, unknown>; causationId: string | null }> {
  return messages.flatMap((m) => {
    try {
      return [JSON.parse(m.value)];
    } catch {
      return [];
    }
  });
}
