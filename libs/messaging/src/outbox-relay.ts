import type { Kafka, Producer, Message } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';
import { context, propagation, ROOT_CONTEXT, trace, SpanKind, type Link } from '@opentelemetry/api';
import { autocommit, keepTraceHeaders, prepared, type Logger } from '@lead-sla/platform';
import { DEFAULT_RELAY_BATCH_BYTES, messageBytes, takeWithinBytes } from './relay-batch';

export interface OutboxRelayOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly logger: Logger;
  readonly batchSize?: number;
  /** Bytes one send may carry (default DEFAULT_RELAY_BATCH_BYTES); a single larger row is sent alone. */
  readonly maxBatchBytes?: number;
  /** How often to look for rows when nothing kicked the relay. */
  readonly pollIntervalMs?: number;
  /** Called after each send that published rows: how many, and how long the read, send (acks=all) and delete took. */
  readonly onPublished?: (info: { readonly rows: number; readonly seconds: number }) => void;
  readonly faults?: {
    /** Test hook: runs after publishing and before the rows are marked sent. */
    afterPublish?(ids: readonly string[]): Promise<void>;
  };
}

/**
 * Errors after which the broker will never accept this producer's next
 * sequence number: the broker (restarted on its data, or failed over) holds
 * batches whose acknowledgement the client never saw, so the idempotent
 * producer's sequence is behind the broker's and every retry is refused.
 */
const PRODUCER_STATE_ERRORS = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

function isProducerStateError(error: unknown): boolean {
  for (let e = error as { type?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.type === 'string' && PRODUCER_STATE_ERRORS.has(e.type)) return true;
  }
  return false;
}

interface Row {
  id: string;
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  partition: number | null;
}

/**
 * Publishes outbox rows in order with an idempotent producer (acks=all),
 * then deletes them. One relay per schema publishes at a time (a Postgres
 * advisory lock), which keeps per-lead order across instances. A crash
 * between publishing and deleting republishes the same events with the
 * same ids; consumers recognise them (processed_events).
 */
export class OutboxRelay {
  private producer: Producer | null = null;
  private lockRunner: QueryRunner | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  /** Rows published since start (for metrics). */
  published = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  async start(): Promise<void> {
    this.producer = await this.newProducer();
    this.running = true;
    this.loop = this.run();
  }

  private async newProducer(): Promise<Producer> {
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    return producer;
  }

  /**
   * A new producer (a new producer id, sequences from 0) after the broker
   * refused this one's sequence. The rows are sent again: those the broker
   * already holds become copies under the same event ids, which consumers
   * recognise (processed_events).
   */
  private async replaceProducer(error: unknown): Promise<void> {
    this.options.logger.warn('the broker refuses the relay producer\'s sequence (it restarted while a send was in flight); publishing with a new producer, rows it already holds are sent again and recognised by their event ids', {
      schema: this.options.schema,
      error: (error as Error).message,
    });
    const old = this.producer;
    this.producer = null;
    await old?.disconnect().catch(() => undefined);
    this.producer = await this.newProducer();
  }

  /** Wake the relay now (called after a transaction wrote outbox rows). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect();
    await this.releaseLock();
  }

  /** Rows not yet published. */
  async backlog(): Promise<number> {
    const [row] = await this.options.dataSource.query(`SELECT count(*)::int AS n FROM "${this.options.schema}".outbox`);
    return row.n as number;
  }

  /** How long the oldest row not yet published has waited (0: none waits): the relay's lag, for readiness. */
  async oldestPendingAgeMs(): Promise<number> {
    const [row] = await this.options.dataSource.query(
      `SELECT coalesce(floor(extract(epoch FROM now() - min(created_at)) * 1000), 0)::bigint::text AS age FROM "${this.options.schema}".outbox`,
    );
    return Math.max(0, Number(row.age));
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.holdLock())) {
          await this.idle(1000);
          continue;
        }
        const started = performance.now();
        const sent = await this.publishOnce();
        if (sent === 0) await this.idle(this.options.pollIntervalMs ?? 200);
        else this.options.onPublished?.({ rows: sent, seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        if (!this.running) break;
        if ((error as { simulatedCrash?: boolean }).simulatedCrash) {
          this.running = false;
          await this.releaseLock();
          break;
        }
        this.options.logger.error('outbox relay failed; retrying', { schema: this.options.schema, error });
        await this.idle(500);
      }
    }
  }

  private async publishOnce(): Promise<number> {
    const { dataSource, schema } = this.options;
    // The relay's two statements run per batch: prepared, on whichever pooled connection each gets.
    const sql = prepared(autocommit(dataSource));
    const rows = await sql.query<Row>(
      `SELECT id::text, topic, key, value, headers, partition FROM "${schema}".outbox ORDER BY id LIMIT $1`,
      [this.options.batchSize ?? 1000],
    );
    if (rows.length === 0) return 0;
    const budget = this.options.maxBatchBytes ?? DEFAULT_RELAY_BATCH_BYTES;
    const batch = takeWithinBytes(rows, budget);
    if (batch.length === 1 && messageBytes(batch[0]) > budget) {
      this.options.logger.warn('an outbox row is larger than the relay batch budget; sending it alone', { schema, id: batch[0].id, topic: batch[0].topic, bytes: messageBytes(batch[0]), budget });
    }
    const byTopic = new Map<string, Message[]>();
    for (const r of batch) {
      const list = byTopic.get(r.topic) ?? [];
      // Each row keeps the trace it was decided in: the lead's journey continues downstream.
      list.push({ key: r.key, value: r.value, headers: keepTraceHeaders({ ...r.headers }), ...(r.partition === null ? {} : { partition: r.partition }) });
      byTopic.set(r.topic, list);
    }
    if (!this.producer) this.producer = await this.newProducer();
    const producer = this.producer;
    try {
      await this.inPublishSpan(batch, () => producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }));
    } catch (error) {
      if (isProducerStateError(error)) await this.replaceProducer(error);
      throw error;
    }
    const ids = batch.map((r) => r.id);
    if (this.options.faults?.afterPublish) {
      try {
        await this.options.faults.afterPublish(ids);
      } catch (error) {
        throw Object.assign(error as Error, { simulatedCrash: true });
      }
    }
    await sql.execute(`DELETE FROM "${schema}".outbox WHERE id = ANY($1::bigint[])`, [ids]);
    this.published += batch.length;
    return batch.length;
  }

  /**
   * One span per send, linked to the traces of the rows it carries (up to
   * 128): the Kafka client's send spans are its children, so the relay's
   * work is visible without cutting each lead's trace.
   */
  private async inPublishSpan<T>(batch: readonly Row[], send: () => Promise<T>): Promise<T> {
    const links: Link[] = [];
    for (const r of batch.slice(0, 128)) {
      const linked = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, r.headers));
      if (linked) links.push({ context: linked });
    }
    const span = trace.getTracer('lead-sla-messaging').startSpan(`${this.options.schema} outbox publish`, { kind: SpanKind.INTERNAL, links, attributes: { 'messaging.system': 'kafka', 'messaging.batch.message_count': batch.length } }, ROOT_CONTEXT);
    try {
      return await context.with(trace.setSpan(ROOT_CONTEXT, span), send);
    } finally {
      span.end();
    }
  }

  /**
   * Whether this relay holds the schema's lock now. A held lock is re-checked
   * on its own session before every publish: after a Postgres restart or a
   * killed backend the lock is gone with the session, and another relay may
   * already hold it, so this relay must stop and try to acquire it again.
   */
  private async holdLock(): Promise<boolean> {
    if (this.lockRunner) {
      if (await this.lockSessionAlive(this.lockRunner)) return true;
      this.options.logger.warn('outbox relay lost its lock session; publishing stops until it holds the lock again', { schema: this.options.schema });
      this.lockRunner = null;
    }
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    const [row] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockName]);
    if (row.locked) {
      this.lockRunner = runner;
      return true;
    }
    await runner.release();
    return false;
  }

  private async lockSessionAlive(runner: QueryRunner): Promise<boolean> {
    try {
      const [row] = await runner.query(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
           AND objid = (hashtext($1)::bigint & 4294967295)::oid) AS held`,
        [this.lockName],
      );
      if (row.held) return true;
    } catch {
      // The session is gone (killed backend, restarted server): so is its lock.
    }
    await runner.release().catch(() => undefined);
    return false;
  }

  private get lockName(): string {
    return `${this.options.schema}.outbox-relay`;
  }

  private async releaseLock(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = null;
    if (!runner) return;
    try {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName]);
    } catch {
      // A dead session has released its lock already.
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        this.kicked = false;
        done();
      };
    });
  }
}
