import type { Kafka } from 'kafkajs';
import { headersToStrings, type StringHeaders } from './trace-context';

/** Per partition: an offset (the next one to be written, or the first one kept). */
export type PartitionOffsets = ReadonlyMap<number, bigint>;

async function withAdmin<T>(kafka: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The log's end: each partition's high watermark (the offset the next message gets). */
export function logEnd(kafka: Kafka, topic: string): Promise<PartitionOffsets> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)])));
}

/** The log's start: each partition's low watermark (above 0 once retention has deleted history). */
export function logStart(kafka: Kafka, topic: string): Promise<PartitionOffsets> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.low)])));
}

/** The log no longer starts at offset 0: retention (or a deletion) removed history a rebuild would need. */
export class LogHistoryGapError extends Error {
  constructor(readonly topic: string, readonly gaps: ReadonlyMap<number, bigint>) {
    super(
      `${topic} no longer starts at offset 0 (${[...gaps].map(([p, o]) => `partition ${p} starts at ${o}`).join(', ')}): ` +
        'history was deleted (retention or deleteRecords), so rebuilding from the log would silently lose it; restore the log from its archive first',
    );
    this.name = 'LogHistoryGapError';
  }
}

/** Throws LogHistoryGapError, naming each partition's first kept offset, unless every partition of `topic` still starts at 0. */
export async function assertLogFromStart(kafka: Kafka, topic: string): Promise<void> {
  const gaps = new Map([...(await logStart(kafka, topic))].filter(([, low]) => low > 0n));
  if (gaps.size > 0) throw new LogHistoryGapError(topic, gaps);
}

export function deleteConsumerGroup(kafka: Kafka, groupId: string): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  });
}

export interface LoggedMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: StringHeaders;
  /** The record's timestamp (ms since the epoch, as a string): when its producer sent it. */
  readonly timestamp?: string;
}

/**
 * Reads every message of `topic` from offset 0 up to (not including) `until`,
 * partition by partition in parallel, with a throwaway consumer group that
 * commits nothing. Resolves with the number of messages read.
 */
export async function scanLog(kafka: Kafka, topic: string, until: PartitionOffsets, onMessage: (m: LoggedMessage) => void, groupId: string): Promise<number> {
  const pending = new Set([...until].filter(([, end]) => end > 0n).map(([p]) => p));
  if (pending.size === 0) return 0;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxBytes: 16 * 1024 * 1024 });
  let read = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = until.get(batch.partition) ?? 0n;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) break;
              onMessage({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: headersToStrings(m.headers as Record<string, unknown> | undefined), timestamp: m.timestamp });
              read++;
            }
            if (BigInt(batch.lastOffset()) + 1n >= end) {
              pending.delete(batch.partition);
              if (pending.size === 0) resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await deleteConsumerGroup(kafka, groupId);
  }
  return read;
}
