import type { DataSource } from 'typeorm';
import { KafkaAdminSession, type KafkaClient } from '@lead-sla/messaging';
import type { Logger } from '@lead-sla/platform';
import type { ServiceMetrics } from './service-metrics';

export interface MessagingMetricsSources {
  readonly kafka: KafkaClient;
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly groupId: string;
  readonly topic: string;
  readonly logger: Logger;
}

/**
 * Consumer lag per partition and outbox backlog, computed when Prometheus
 * scrapes: lag = the topic's high watermark minus the offset stored in the
 * service's own consumer_offsets table (the truth, DESIGN.md §3), so it is
 * right even between Kafka offset commits. A service that runs its own
 * TransactionalConsumer under the default group (reporting) is covered too.
 */
export function registerMessagingMetrics(metrics: ServiceMetrics, sources: MessagingMetricsSources): { close(): Promise<void> } {
  const admin = new KafkaAdminSession(sources.kafka);
  metrics.gauge({
    name: 'lead_sla_outbox_backlog',
    help: 'Outbox rows written and not yet published to Kafka.',
    collect: async (g) => {
      const [row] = await sources.dataSource.query(`SELECT count(*)::int AS n FROM "${sources.schema}".outbox`);
      g.set(Number(row.n));
    },
  });
  // No OpenTelemetry metric exists for lag; its labels are the messaging attributes' names.
  metrics.gauge<'messaging_destination_name' | 'messaging_destination_partition_id'>({
    name: 'lead_sla_consumer_lag',
    help: 'Messages on the topic not yet applied by this service, per partition.',
    labelNames: ['messaging_destination_name', 'messaging_destination_partition_id'],
    collect: async (g) => {
      try {
        const stored: Array<{ partition: number; next: string }> = await sources.dataSource.query(
          `SELECT partition, next_offset::text AS next FROM "${sources.schema}".consumer_offsets WHERE group_id = $1 AND topic = $2`,
          [sources.groupId, sources.topic],
        );
        // No stored offsets: this service consumes nothing under this group (ingest), or has not started yet.
        if (stored.length === 0) return;
        for (const h of await admin.watermarks(sources.topic)) {
          const next = stored.find((s) => Number(s.partition) === h.partition)?.next ?? '0';
          g.set({ messaging_destination_name: sources.topic, messaging_destination_partition_id: String(h.partition) }, Math.max(0, Number(h.high - BigInt(next))));
        }
      } catch (error) {
        // A scrape must not fail because Kafka is briefly away; readiness reports that.
        // The session has dropped its connection; the next scrape opens a new one.
        sources.logger.warn('could not compute consumer lag', { error: (error as Error).message });
      }
    },
  });
  return {
    close: () => admin.close(),
  };
}

const DURATION_BUCKETS_SECONDS = [0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

/**
 * Where a service's time per batch goes: how long each batch took from the
 * start of its work to its commit (waits for row locks included), how many
 * messages it held, and how long each outbox send took (read, send with
 * acks=all, delete). The consumer and the relay call the returned functions.
 */
export function timingBatches(metrics: ServiceMetrics): {
  onBatchApplied(info: { topic: string; partition: number; messages: number; seconds: number }): void;
  onPublished(info: { rows: number; seconds: number }): void;
} {
  const duration = metrics.histogram<'messaging_destination_name'>({
    name: 'lead_sla_consumer_batch_duration_seconds',
    help: 'Time from the start of a batch\'s work to its commit (one transaction: offsets, dedupe, state load, decisions, state and outbox writes), per batch applied.',
    labelNames: ['messaging_destination_name'],
    buckets: DURATION_BUCKETS_SECONDS,
  });
  const size = metrics.histogram<'messaging_destination_name'>({
    name: 'lead_sla_consumer_batch_messages',
    help: 'Messages in each batch applied (including those skipped by type).',
    labelNames: ['messaging_destination_name'],
    buckets: BATCH_SIZE_BUCKETS,
  });
  const publish = metrics.histogram({
    name: 'lead_sla_outbox_publish_duration_seconds',
    help: 'Time the outbox relay took for one send that published rows: read the rows, send them with acks=all, delete them.',
    buckets: DURATION_BUCKETS_SECONDS,
  });
  return {
    onBatchApplied: ({ topic, messages, seconds }) => {
      duration.observe({ messaging_destination_name: topic }, seconds);
      size.observe({ messaging_destination_name: topic }, messages);
    },
    onPublished: ({ seconds }) => publish.observe(seconds),
  };
}

/**
 * Counts messages dead-lettered because their key belongs to another
 * partition (a producer with another partitioner); the consumer calls the
 * returned function after each such message's commit.
 */
export function countingWrongPartitions(metrics: ServiceMetrics): (info: { topic: string; partition: number }) => void {
  const counter = metrics.counter<'messaging_destination_name' | 'messaging_destination_partition_id'>({
    name: 'lead_sla_wrong_partition_total',
    help: 'Keyed messages that arrived on another partition than the Java murmur2 partitioner puts their key on, dead-lettered (the producer must use that partitioner; librdkafka: partitioner=murmur2_random).',
    labelNames: ['messaging_destination_name', 'messaging_destination_partition_id'],
  });
  return ({ topic, partition }) => counter.inc({ messaging_destination_name: topic, messaging_destination_partition_id: String(partition) });
}

/**
 * The messaging lib reports dead letters only through its logger, so the
 * runtime counts them by wrapping the logger it hands to the consumer
 * (the lib's messages "dead-lettered …" are its stable vocabulary).
 */
export function countingDeadLetters(logger: Logger, metrics: ServiceMetrics): Logger {
  const count = (message: string) => {
    if (message.startsWith('dead-lettered an invalid message')) metrics.deadLetters.inc({ reason: 'invalid' });
    else if (message.startsWith('dead-lettered a message on the wrong partition')) metrics.deadLetters.inc({ reason: 'wrong_partition' });
    else if (message.startsWith('dead-lettered')) metrics.deadLetters.inc({ reason: 'handler_failed' });
  };
  return {
    debug: (m, f) => logger.debug(m, f),
    info: (m, f) => logger.info(m, f),
    warn: (m, f) => {
      count(m);
      logger.warn(m, f);
    },
    error: (m, f) => {
      count(m);
      logger.error(m, f);
    },
  };
}
