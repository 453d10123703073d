import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { Topics } from '@lead-sla/contracts';
import { ensureTopics, TransactionalConsumer } from '@lead-sla/messaging';
import type { Logger } from '@lead-sla/platform';
import { countingDeadLetters, DATA_SOURCE, KAFKA, LOGGER, MessagingLifecycle, PARTITIONS, ServiceMetrics } from '@lead-sla/service-runtime';
import { ReportingProjectionHandler } from './reporting-projection.handler';

export const REPORTING_GROUP = 'lead-sla.reporting';

/**
 * The reporting consumer. Reporting binds no EVENT_HANDLER: it runs its own
 * TransactionalConsumer with a batch handler (one load and one write per
 * table per batch) and the per-event path for the message-by-message retry.
 */
@Injectable()
export class ReportingConsumerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: TransactionalConsumer | null = null;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    private readonly messaging: MessagingLifecycle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: Topics.leadEvents, numPartitions: PARTITIONS },
      { topic: Topics.deadLetter, numPartitions: 1 },
    ]);
    const handler = new ReportingProjectionHandler();
    this.consumer = new TransactionalConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      schema: 'reporting',
      groupId: REPORTING_GROUP,
      handle: (event, ctx) => handler.apply([event], ctx),
      handleBatch: (items, ctx) => handler.handleBatch(items, ctx),
      logger: countingDeadLetters(this.logger, this.metrics),
      // Dead letters go out through the outbox: wake the runtime's relay.
      onOutboxWritten: () => this.messaging.relay.kick(),
    });
    await this.consumer.start();
    this.logger.info('consuming', { topic: Topics.leadEvents, group: REPORTING_GROUP, batched: true });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
