import type { Admin, Kafka } from 'kafkajs';
import { headersToStrings, type StringHeaders } from './trace-context';
import type { LoggedMessage, PartitionOffsets } from './log-reader';

/**
 * The Kafka port (docs/messaging.md#the-kafka-port): everything outside
 * libs/messaging that talks to Kafka — health, metrics, lag, admin, the
 * reporting rebuild, the what-if reader, the bench, the tests — does it
 * through these types and functions, never through a client library (a lint
 * rule forbids importing one elsewhere). Swapping the client is then a
 * change to this package only.
 */

/** A connection to the brokers, made by `createKafka`. Pass it to the port's functions; do not call methods on it. */
export type KafkaClient = Kafka;

/** One record as the port hands it out (headers as strings). */
export type LogRecord = LoggedMessage;

/** A record to produce: the key chooses the partition (the platform's partitioner) unless `partition` is given. */
export interface OutgoingRecord {
  readonly key: string | null;
  readonly value: string | Buffer | null;
  readonly headers?: StringHeaders;
  readonly partition?: number;
}

function toRecord(partition: number, m: { offset: string; key: Buffer | null; value: Buffer | null; headers?: unknown; timestamp: string }): LogRecord {
  return { partition, offset: m.offset, key: m.key, value: m.value, headers: headersToStrings(m.headers as Record<string, unknown> | undefined), timestamp: m.timestamp };
}

/**
 * Produces records with `acks=all`, for tools, benches and tests (services
 * publish through the outbox, HTTP edges through EventPublisher).
 * Idempotent by default (one in-flight request, as the relay).
 */
export class LogProducer {
  private producer: ReturnType<Kafka['producer']> | null = null;

  constructor(private readonly kafka: KafkaClient, private readonly options: { readonly idempotent?: boolean } = {}) {}

  async connect(): Promise<this> {
    const idempotent = this.options.idempotent ?? true;
    this.producer = this.kafka.producer(idempotent ? { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false } : { allowAutoTopicCreation: false });
    await this.producer.connect();
    return this;
  }

  /** Resolves, once every broker acknowledged, with each written partition's first offset of this send. */
  async send(topic: string, records: readonly OutgoingRecord[]): Promise<Array<{ partition: number; baseOffset: bigint }>> {
    if (!this.producer) throw new Error('LogProducer.connect() was not called before send()');
    const written = await this.producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ? { ...r.headers } : undefined, partition: r.partition })) });
    return written.map((w) => ({ partition: w.partition, baseOffset: BigInt(w.baseOffset ?? '0') }));
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = null;
  }
}

/** Sends `records` to `topic` with a producer of its own (one-off tools and tests). */
export async function produceOnce(kafka: KafkaClient, topic: string, records: readonly OutgoingRecord[]): Promise<void> {
  const producer = await new LogProducer(kafka).connect();
  try {
    await producer.send(topic, records);
  } finally {
    await producer.disconnect();
  }
}

export interface LogBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly LogRecord[];
  /** Tells the group this reader is alive (call it during long batches). */
  heartbeat(): Promise<void>;
}

export interface LogTailOptions {
  readonly topics: readonly string[];
  readonly groupId: string;
  /** Start at the log's beginning when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean;
  /** Commit the group's offsets to Kafka as it reads (default false: a throwaway reader). */
  readonly commit?: boolean;
  readonly maxWaitTimeMs?: number;
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  readonly sessionTimeoutMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  /** How often the client retries a failing request before the reader stops (a reader that must outlive a broker restart raises it). */
  readonly retries?: number;
  /** Called each time the group has (re)assigned this reader its partitions. */
  onJoined?(): void;
}

/** A running reader of a topic's records, batch by batch, until stopped. */
export interface LogTail {
  stop(): Promise<void>;
}

/**
 * Reads `topics` in a consumer group of its own and hands each fetched batch
 * to `onBatch` (in offset order per partition). Resolves once the reader is
 * subscribed and running; a throw from `onBatch` makes the client fetch the
 * batch again.
 */
export async function tailLog(kafka: KafkaClient, options: LogTailOptions, onBatch: (batch: LogBatch) => Promise<void> | void): Promise<LogTail> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 6_000,
    heartbeatInterval: Math.min(1_000, Math.floor((options.sessionTimeoutMs ?? 6_000) / 6)),
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 50,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
    ...(options.retries !== undefined ? { retry: { retries: options.retries } } : {}),
  });
  if (options.onJoined) consumer.on(consumer.events.GROUP_JOIN, () => options.onJoined!());
  await consumer.connect();
  try {
    for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: options.commit ?? false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, heartbeat }) => {
        await onBatch({ topic: batch.topic, partition: batch.partition, records: batch.messages.map((m) => toRecord(batch.partition, m)), heartbeat });
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return { stop: () => consumer.disconnect() };
}

/** Per partition of a topic: its low and high watermarks (first kept offset, next offset to be written). */
export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

/**
 * A connection for cluster questions (watermarks, topic settings, record
 * deletion), kept open between calls: metrics scrapes ask every few seconds.
 * A failed call drops the connection, the next one opens a new one.
 */
export class KafkaAdminSession {
  private admin: Admin | null = null;

  constructor(private readonly kafka: KafkaClient) {}

  private async use<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    if (!this.admin) {
      const created = this.kafka.admin();
      await created.connect();
      this.admin = created;
    }
    try {
      return await work(this.admin);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Answers with the cluster's broker count when a broker answers (readiness). */
  ping(): Promise<{ brokers: number }> {
    return this.use(async (admin) => ({ brokers: (await admin.describeCluster()).brokers.length }));
  }

  watermarks(topic: string): Promise<PartitionWatermarks[]> {
    return this.use(async (admin) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) })));
  }

  /** The topic's partition count, from the cluster's metadata. */
  partitionCount(topic: string): Promise<number> {
    return this.use(async (admin) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = topics.find((t) => t.name === topic);
      if (!found) throw new Error(`the broker returned no metadata for topic ${topic}: does it exist?`);
      return found.partitions.length;
    });
  }

  /** The topic-level settings named (their effective values). */
  topicConfig(topic: string, names: readonly string[]): Promise<Record<string, string>> {
    return this.use(async (admin) => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name: topic, configNames: [...names] }] });
      return Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    });
  }

  /** The offsets the group committed to Kafka (a hint: the service's database holds the truth), per partition; -1 for none. */
  committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    return this.use(async (admin) => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    });
  }

  /** Makes the group forget its committed offsets (it reads from the start again); the group must have no members. */
  resetGroupToEarliest(groupId: string, topic: string): Promise<void> {
    return this.use((admin) => admin.resetOffsets({ groupId, topic, earliest: true }));
  }

  /** Deletes the partition's records below `offset`, as retention does (tests of the history-gap guard). */
  deleteRecordsBefore(topic: string, partition: number, offset: bigint): Promise<void> {
    return this.use((admin) => admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: offset.toString() }] }));
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}

/** Runs `work` with an admin session that is closed afterwards (one-off questions). */
export async function withKafkaAdmin<T>(kafka: KafkaClient, work: (admin: KafkaAdminSession) => Promise<T>): Promise<T> {
  const session = new KafkaAdminSession(kafka);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** Per partition: the high watermark, from watermarks. */
export function highs(watermarks: readonly PartitionWatermarks[]): PartitionOffsets {
  return new Map(watermarks.map((w) => [w.partition, w.high]));
}
