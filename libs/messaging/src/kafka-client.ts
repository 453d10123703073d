import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { Topics } from '@lead-sla/contracts';
import type { KafkaClient } from './kafka-port';
import { installKafkajsRequestQueueFix } from './kafkajs-request-queue-fix';

installKafkajsRequestQueueFix();

export interface KafkaConnection {
  readonly brokers: string;
  readonly clientId: string;
  readonly ssl?: boolean;
  readonly sslCaFile?: string;
  readonly saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly saslUsername?: string;
  readonly saslPassword?: string;
}

/** KAFKA_LOG_LEVEL=nothing|error|warn|info (default error); tests use nothing. */
function kafkaLogLevel(): logLevel {
  switch ((process.env.KAFKA_LOG_LEVEL ?? 'error').toLowerCase()) {
    case 'nothing':
      return logLevel.NOTHING;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    default:
      return logLevel.ERROR;
  }
}

/**
 * The one place the Kafka client is constructed, so the client library
 * stays behind this package (DESIGN.md §7).
 */
export function createKafka(connection: KafkaConnection): KafkaClient {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const config: KafkaConfig = {
    clientId: connection.clientId,
    brokers: connection.brokers.split(',').map((b) => b.trim()),
    logLevel: kafkaLogLevel(),
    retry: { retries: 8, initialRetryTime: 100 },
  };
  if (connection.ssl) {
    config.ssl = connection.sslCaFile ? { ca: [readFileSync(connection.sslCaFile, 'utf8')] } : true;
  }
  if (connection.saslMechanism) {
    if (!connection.saslUsername || !connection.saslPassword) {
      throw new Error('KAFKA_SASL_MECHANISM is set but KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is missing');
    }
    config.sasl = {
      mechanism: connection.saslMechanism,
      username: connection.saslUsername,
      password: connection.saslPassword,
    } as SASLOptions;
  }
  return new Kafka(config);
}

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  /** Topic-level settings applied when the topic is created (e.g. KEEP_FOREVER). */
  readonly configEntries?: Readonly<Record<string, string>>;
}

/**
 * Kafka is the system of record: the event log and its dead letters are
 * kept forever (no time or size retention), so a rebuild or replay from
 * offset 0 sees the whole history. Other topics keep the broker's defaults.
 */
export const KEEP_FOREVER: Readonly<Record<string, string>> = { 'retention.ms': '-1', 'retention.bytes': '-1' };

/** The platform's own topics: the event log (`partitions` partitions) and its dead-letter topic, both kept forever. */
export function platformTopics(partitions: number, names: { leadEvents?: string; deadLetter?: string } = {}): TopicSpec[] {
  return [
    { topic: names.leadEvents ?? Topics.leadEvents, numPartitions: partitions, configEntries: KEEP_FOREVER },
    { topic: names.deadLetter ?? Topics.deadLetter, numPartitions: 1, configEntries: KEEP_FOREVER },
  ];
}

/**
 * Creates topics that do not exist yet (KRaft wants them before a subscribe).
 * An existing topic is left as it is, its settings included.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions,
          replicationFactor: -1,
          configEntries: Object.entries(t.configEntries ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
