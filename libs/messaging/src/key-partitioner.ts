/**
 * Which partition a key belongs to, as the platform's producers place it:
 * the Java client's DefaultPartitioner (kafkajs' DefaultPartitioner is the
 * same): murmur2 of the key's bytes, made positive, modulo the partition
 * count. Pure, so the consumer can check where a keyed message arrived.
 */

/** How integrators must partition: named in dead-letter reasons and the docs. */
export const PLATFORM_PARTITIONER = {
  description: 'Java murmur2 partitioner',
  librdkafka: 'partitioner=murmur2_random',
} as const;

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): a signed 32-bit hash. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The tail falls through like the Java switch: 3 bytes mix all three, then multiply once.
  const tail = length % 4;
  if (tail === 3) h ^= data[whole + 2] << 16;
  if (tail >= 2) h ^= data[whole + 1] << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` (a string is hashed as its UTF-8 bytes) among `partitionCount` partitions. */
export function partitionForKey(key: string | Uint8Array, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new Error(`partitionForKey: partitionCount must be a positive integer, got ${partitionCount}`);
  }
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (murmur2(bytes) & 0x7fffffff) % partitionCount;
}

export interface MisplacedKey {
  readonly key: string;
  readonly topic: string;
  readonly partitionCount: number;
  readonly expected: number;
  readonly actual: number;
}

/**
 * Where a keyed message should have arrived, or null when it is where it
 * belongs (or has no key: nothing to check).
 */
export function misplacedKey(
  message: { readonly key: Buffer | null; readonly topic: string; readonly partition: number },
  partitionCount: number,
): MisplacedKey | null {
  if (!message.key) return null;
  const expected = partitionForKey(message.key, partitionCount);
  if (expected === message.partition) return null;
  return { key: message.key.toString('utf8'), topic: message.topic, partitionCount, expected, actual: message.partition };
}

/** The dead-letter reason: what was wrong and what the producer must change. */
export function misplacedKeyReason(m: MisplacedKey): string {
  return (
    `key "${m.key}" belongs to partition ${m.expected} of ${m.topic} (${m.partitionCount} partitions, ${PLATFORM_PARTITIONER.description}) ` +
    `but arrived on partition ${m.actual}: the producer uses another partitioner; with librdkafka set ${PLATFORM_PARTITIONER.librdkafka}`
  );
}
