import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { Topics } from '@lead-sla/contracts';
import {
  ensureTopics, OutboxRelay, platformTopics, PolicyLog, ProcessedEventsRepository, RetentionPruner, TransactionalConsumer, type BatchEventHandler, type EventHandler, type PruneTask, type KafkaClient,
} from '@lead-sla/messaging';
import type { EventType } from '@lead-sla/contracts';
import type { Logger } from '@lead-sla/platform';
import { DATA_SOURCE, EVENT_HANDLER, KAFKA, LOGGER, RETENTION_TASKS } from './tokens';
import { consumerGroupOf, LATENCY_TOLERANT_FETCH, SERVICE_DEFINITION, type ServiceDefinition } from './service-definition';
import { ServiceMetrics } from './service-metrics';
import { countingDeadLetters, countingWrongPartitions, registerMessagingMetrics, timingBatches } from './messaging-metrics';
import { currentReplay } from './replay/decision-clock';

/** A service's consumer of lead-events.v1 (bound to EVENT_HANDLER). */
export interface LeadEventHandler {
  handle: EventHandler;
  /** Optional whole-batch path (few round trips); on failure the batch is retried through `handle`. */
  handleBatch?: BatchEventHandler;
  /** The event types this service applies; other types are skipped without validation. Omitted: all. */
  readonly eventTypes?: readonly EventType[];
  /** Partitions this instance now owns (timer loads their deadlines). */
  onPartitionsAssigned?(partitions: ReadonlyArray<{ topic: string; partition: number }>): void;
}

export const PARTITIONS = Number(process.env.LEAD_EVENTS_PARTITIONS ?? 3);

/**
 * How long deduplication history (processed event ids, fired deadlines, sent
 * deliveries, accepted ingest ids) is kept: 30 days by default, far longer
 * than any redelivery (docs/operations.md, "Storage growth and pruning").
 */
export const DEDUPE_RETENTION_MS = Number(process.env.DEDUPE_RETENTION_HOURS ?? 720) * 3600_000;
const PRUNE_INTERVAL_MS = Number(process.env.PRUNE_INTERVAL_MINUTES ?? 60) * 60_000;

/**
 * Starts the outbox relay and the transactional consumer once the app is up,
 * and on shutdown lets the in-flight batch finish and commit before closing.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: TransactionalConsumer | null = null;
  private metricsSources: { close(): Promise<void> } | null = null;
  private pruner: RetentionPruner | null = null;
  readonly relay: OutboxRelay;
  private readonly timing: ReturnType<typeof timingBatches>;

  constructor(
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    private readonly moduleRef: ModuleRef,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(PolicyLog) private readonly policies: PolicyLog,
  ) {
    const maxBatchBytes = process.env.OUTBOX_RELAY_MAX_BATCH_BYTES ? Number(process.env.OUTBOX_RELAY_MAX_BATCH_BYTES) : undefined;
    this.timing = timingBatches(metrics);
    this.relay = new OutboxRelay({ kafka, dataSource, schema: definition.schema, logger, maxBatchBytes, onPublished: this.timing.onPublished });
  }

  /** Whether the service's consumer is consuming; null for a service without one (ingest). */
  consumerRunning(): boolean | null {
    return this.consumer ? this.consumer.isRunning() : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, platformTopics(PARTITIONS));
    await this.policies.loadNewest({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) });
    // A replay re-decides what the log already holds: its outbox is never published.
    const replay = currentReplay();
    if (!replay) await this.relay.start();
    const handler = this.resolveHandler();
    const groupId = replay?.groupId ?? consumerGroupOf(this.definition);
    this.metricsSources = registerMessagingMetrics(
      this.metrics,
      { kafka: this.kafka, dataSource: this.dataSource, schema: this.definition.schema, groupId, topic: Topics.leadEvents, logger: this.logger },
    );
    if (!replay) this.startPruner();
    if (!handler) return;
    this.consumer = new TransactionalConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      schema: this.definition.schema,
      groupId,
      handle: (event, ctx) => handler.handle(event, ctx),
      handleBatch: handler.handleBatch ? (items, ctx) => handler.handleBatch!(items, ctx) : undefined,
      eventTypes: handler.eventTypes ? new Set(handler.eventTypes) : undefined,
      logger: countingDeadLetters(this.logger, this.metrics),
      onOutboxWritten: () => this.relay.kick(),
      onPartitionsAssigned: (p) => handler.onPartitionsAssigned?.(p),
      // A replay re-applies history as the log holds it: it never re-judges where a message arrived.
      checkPartitioning: !replay,
      ...(this.definition.latencyTolerant ? { fetch: LATENCY_TOLERANT_FETCH } : {}),
      onWrongPartition: countingWrongPartitions(this.metrics),
      onBatchApplied: this.timing.onBatchApplied,
      policies: this.policies,
    });
    await this.consumer.start();
    this.logger.info(replay ? 'replaying' : 'consuming', { topic: Topics.leadEvents, group: groupId });
  }

  /** processed_events of every service, plus the service's own RETENTION_TASKS, pruned on a schedule with a per-table counter. */
  private startPruner(): void {
    const processed = new ProcessedEventsRepository(this.dataSource, this.definition.schema);
    const tasks: PruneTask[] = [
      { table: `${this.definition.schema}.processed_events`, prune: (before, limit) => processed.pruneBefore(before, limit) },
      ...(this.resolveOptional<readonly PruneTask[]>(RETENTION_TASKS) ?? []),
    ];
    const pruned = this.metrics.counter<'table'>({
      name: 'lead_sla_pruned_rows_total',
      help: 'Deduplication and history rows older than the retention (DEDUPE_RETENTION_HOURS) deleted by the pruner, by table.',
      labelNames: ['table'],
    });
    this.pruner = new RetentionPruner({
      tasks, retentionMs: DEDUPE_RETENTION_MS, logger: this.logger, onPruned: (table, rows) => pruned.inc({ table }, rows),
    });
    this.pruner.start(PRUNE_INTERVAL_MS);
  }

  /** Bound in the service's own module (if at all), so looked up across modules. */
  private resolveOptional<T>(token: symbol): T | null {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return null;
    }
  }

  private resolveHandler(): LeadEventHandler | null {
    return this.resolveOptional<LeadEventHandler>(EVENT_HANDLER);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.pruner?.stop();
    await this.consumer?.stop();
    await this.relay.stop();
    await this.metricsSources?.close();
  }
}
