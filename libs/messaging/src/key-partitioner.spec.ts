import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { misplacedKey, misplacedKeyReason, murmur2, partitionForKey } from './key-partitioner';

/** kafkajs' own DefaultPartitioner (Java-compatible) is the oracle. */
function kafkajsPartition(key: string | Buffer, partitionCount: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0],
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

/** Deterministic pseudo-random keys: ASCII ids, multi-byte UTF-8 and raw bytes of every length 0..40. */
function sampleKeys(): Array<string | Buffer> {
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const keys: Array<string | Buffer> = ['', 'a', 'lead-42', 'rep:ava', 'lead-ä-ß-日本', '🙂'];
  for (let i = 0; i < 500; i++) keys.push(`lead-${next().toString(36)}-${i}`);
  for (let i = 0; i < 100; i++) keys.push(Array.from({ length: next() % 12 }, () => String.fromCodePoint(0x20 + (next() % 0x3000))).join(''));
  for (let length = 0; length <= 40; length++) keys.push(randomBytes(length));
  return keys;
}

describe('partitionForKey', () => {
  it('matches the Java murmur2 partitioner (kafkajs DefaultPartitioner) for many keys and 1..12 partitions', () => {
    for (const key of sampleKeys()) {
      for (let count = 1; count <= 12; count++) {
        expect({ key, count, partition: partitionForKey(key, count) }).toEqual({ key, count, partition: kafkajsPartition(key, count) });
      }
    }
  });

  it('matches known values of the Java client', () => {
    // org.apache.kafka.common.utils.Utils.murmur2("21".getBytes()) etc., from Kafka's UtilsTest.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(partitionForKey('lead-ä', 7)).toBe(partitionForKey(Buffer.from('lead-ä', 'utf8'), 7));
  });

  it('refuses a partition count that is not a positive integer, saying which', () => {
    expect(() => partitionForKey('lead-1', 0)).toThrow('partitionForKey: partitionCount must be a positive integer, got 0');
    expect(() => partitionForKey('lead-1', 2.5)).toThrow(/got 2.5/);
  });
});

describe('misplacedKey', () => {
  const count = 3;
  const key = 'lead-42';
  const right = partitionForKey(key, count);
  const wrong = (right + 1) % count;

  it('passes a message with no key or on its key partition', () => {
    expect(misplacedKey({ key: null, topic: 'lead-events.v1', partition: wrong }, count)).toBeNull();
    expect(misplacedKey({ key: Buffer.from(key), topic: 'lead-events.v1', partition: right }, count)).toBeNull();
  });

  it('names the right partition and the partitioner to use for a misplaced one', () => {
    const misplaced = misplacedKey({ key: Buffer.from(key), topic: 'lead-events.v1', partition: wrong }, count);
    expect(misplaced).toEqual({ key, topic: 'lead-events.v1', partitionCount: 3, expected: right, actual: wrong });
    expect(misplacedKeyReason(misplaced!)).toBe(
      `key "lead-42" belongs to partition ${right} of lead-events.v1 (3 partitions, Java murmur2 partitioner) but arrived on partition ${wrong}: ` +
        'the producer uses another partitioner; with librdkafka set partitioner=murmur2_random',
    );
  });
});
