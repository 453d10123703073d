import type { Kafka, Producer } from 'kafkajs';
import { partitionKeyOf, Topics } from '@lead-sla/contracts';
import { currentTraceHeaders } from './trace-context';

/** A raw event as an external system would publish it (validated by consumers). */
export interface PublishableEvent {
  readonly leadId: string | null;
  readonly data: unknown;
}

/**
 * Publishes events straight to Kafka, for systems outside the platform
 * (HTTP ingest, the demo stream, tests). Idempotent producer, acks=all.
 */
export class EventPublisher {
  private producer: Producer | null = null;

  constructor(private readonly kafka: Kafka) {}

  async connect(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  async publish(events: readonly PublishableEvent[], topic: string = Topics.leadEvents): Promise<void> {
    if (!this.producer) throw new Error('EventPublisher.connect() was not called');
    const headers = currentTraceHeaders();
    await this.producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({ key: partitionKeyOf(e), value: JSON.stringify(e), headers })),
    });
  }

  /** Publishes keyless events to chosen partitions (the copies of a PolicyPublished, one per partition). */
  async publishAt(copies: ReadonlyArray<{ readonly partition: number; readonly event: PublishableEvent }>, topic: string = Topics.leadEvents): Promise<void> {
    if (!this.producer) throw new Error('EventPublisher.connect() was not called');
    const headers = currentTraceHeaders();
    await this.producer.send({
      topic,
      acks: -1,
      messages: copies.map((c) => ({ key: null, partition: c.partition, value: JSON.stringify(c.event), headers: { ...headers, 'event-type': (c.event as { type?: string }).type ?? '' } })),
    });
  }

  /** Publishes bytes as they are (tests of malformed input). */
  async publishRaw(messages: ReadonlyArray<{ key: string; value: string | Buffer }>, topic: string = Topics.leadEvents): Promise<void> {
    if (!this.producer) throw new Error('EventPublisher.connect() was not called');
    await this.producer.send({ topic, acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value })) });
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = null;
  }
}
