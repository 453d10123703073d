import { createKafka } from './kafka-client';
import type { OutgoingRecord } from './kafka-port';

/**
 * The client libraries the port can be measured with (docs/adr/0008-kafka-client.md).
 * The services run on kafkajs; the others are loaded only by the client
 * comparison bench (`@platformatic/kafka` is a dev dependency).
 */
export const KAFKA_CLIENT_NAMES = ['kafkajs', '@platformatic/kafka'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENT_NAMES)[number];

export function kafkaClientName(raw: string): KafkaClientName {
  const name = KAFKA_CLIENT_NAMES.find((n) => n === raw || n === `@platformatic/${raw}`);
  if (!name) throw new Error(`unknown Kafka client "${raw}": use one of ${KAFKA_CLIENT_NAMES.join(', ')}`);
  return name;
}

/** An idempotent producer with acks=all, the way the outbox relay produces. */
export interface DriverProducer {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** What a group reader hands on: each record's value and headers (as strings). */
export interface DriverRecord {
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DriverGroupOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly groupId: string;
  /** Called once the group has given this reader its partitions. */
  onJoined(): void;
  onRecords(records: readonly DriverRecord[]): void;
}

/** The same two operations on each client, so the bench compares clients and nothing else. */
export interface KafkaDriver {
  readonly name: KafkaClientName;
  producer(brokers: string, clientId: string): Promise<DriverProducer>;
  /** Reads `topic` from its start in a consumer group, committing offsets automatically, until stopped. */
  readGroup(options: DriverGroupOptions): Promise<{ stop(): Promise<void> }>;
}

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_WAIT_MS = 50;

const kafkajsDriver: KafkaDriver = {
  name: 'kafkajs',
  async producer(brokers, clientId) {
    const producer = createKafka({ brokers, clientId }).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    return {
      send: async (topic, records) => {
        await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined, partition: r.partition })) });
      },
      close: () => producer.disconnect(),
    };
  },
  async readGroup({ brokers, topic, groupId, onJoined, onRecords }) {
    const consumer = createKafka({ brokers, clientId: groupId }).consumer({ groupId, maxWaitTimeInMs: MAX_WAIT_MS, maxBytes: MAX_BYTES });
    consumer.on(consumer.events.GROUP_JOIN, () => onJoined());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        onRecords(
          batch.messages.map((m) => ({
            value: m.value,
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : String(v)])),
          })),
        );
      },
    });
    return { stop: () => consumer.disconnect() };
  },
};

const platformaticDriver: KafkaDriver = {
  name: '@platformatic/kafka',
  async producer(brokers, clientId) {
    const { Producer, ProduceAcks } = await import('@platformatic/kafka');
    const producer = new Producer({ clientId, bootstrapBrokers: brokers.split(','), idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: false });
    return {
      send: async (topic, records) => {
        await producer.send({
          messages: records.map((r) => ({
            topic,
            key: r.key === null ? undefined : Buffer.from(r.key),
            value: r.value === null ? undefined : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value),
            headers: r.headers ? new Map(Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])) : undefined,
            partition: r.partition,
          })),
        });
      },
      close: () => producer.close(),
    };
  },
  async readGroup({ brokers, topic, groupId, onJoined, onRecords }) {
    const { Consumer, MessagesStreamModes } = await import('@platformatic/kafka');
    const consumer = new Consumer({ groupId, clientId: groupId, bootstrapBrokers: brokers.split(','), maxWaitTime: MAX_WAIT_MS, maxBytes: MAX_BYTES });
    consumer.on('consumer:group:join', () => onJoined());
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: true });
    stream.on('data', (m) => {
      onRecords([{ value: m.value ?? null, headers: Object.fromEntries([...m.headers].map(([k, v]) => [k.toString('utf8'), v.toString('utf8')])) }]);
    });
    return {
      stop: async () => {
        await stream.close();
        await consumer.close(true);
      },
    };
  },
};

export function kafkaDriver(name: KafkaClientName): KafkaDriver {
  return name === 'kafkajs' ? kafkajsDriver : platformaticDriver;
}
