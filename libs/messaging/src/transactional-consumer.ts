import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { DeadLetterHeaders, isEventType, parseEvent, parseEventBytes, Topics, type LeadEvent } from '@lead-sla/contracts';
import { PolicyError, type Policy } from '@lead-sla/policy';
import { prepared, txOf, type Logger, type Tx } from '@lead-sla/platform';
import { DEAD_LETTER_MAX_BYTES, VALUE_OMITTED_HEADER } from './dead-letters';
import { misplacedKey, misplacedKeyReason } from './key-partitioner';
import { insertOutboxRows, outboxRowForEvent, type OutboxRow } from './outbox';
import { messageBytes } from './relay-batch';
import type { PolicyInForce, PolicyLog } from './policy-log';
import { currentTraceHeaders, headersToStrings, withConsumerSpan, type StringHeaders } from './trace-context';
import { isTransientDatabaseError, transientCode } from './transient-errors';

export interface MessageInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: StringHeaders;
}

export interface HandlerContext {
  /** The batch's transaction: state changes here commit with the offset. */
  readonly tx: Tx;
  readonly message: MessageInfo;
  /** The policy in force at this message's position in its partition (set when the consumer has a PolicyLog, as every service's has). */
  readonly policy?: Policy;
  /** Queue an event for the outbox, in this transaction (trace headers: the active span's unless given). */
  emit(event: LeadEvent, headers?: StringHeaders): void;
  /** Run after the transaction commits (e.g. update an in-memory timer heap). */
  afterCommit(fn: () => void): void;
}

export type EventHandler = (event: LeadEvent, ctx: HandlerContext) => Promise<void>;

/** One valid, first-seen event of a batch with where it came from. */
export interface BatchItem {
  readonly event: LeadEvent;
  readonly message: MessageInfo;
  /** The policy in force at the event's position (see HandlerContext.policy). */
  readonly policy?: Policy;
}

export type BatchHandlerContext = Omit<HandlerContext, 'message' | 'policy'>;

/**
 * Applies a whole batch in one call (few round trips: load every affected
 * row at once, write with multi-row statements). When it fails, the batch
 * is retried message by message through `handle`, as for any handler.
 */
export type BatchEventHandler = (items: readonly BatchItem[], ctx: BatchHandlerContext) => Promise<void>;

export interface ConsumerFaults {
  /** Test hook: runs after the database commit and before the Kafka offset commit. */
  afterDatabaseCommit?(info: { topic: string; partition: number; lastOffset: string }): Promise<void>;
}

export interface TransactionalConsumerOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly groupId: string;
  readonly topics?: readonly string[];
  /** Where bad messages go (default Topics.deadLetter; tests use a throwaway one). */
  readonly deadLetterTopic?: string;
  readonly handle: EventHandler;
  /**
   * The event types this consumer applies. Messages of other known types
   * are skipped without validation (their offset still advances); malformed
   * messages and unknown types are still dead-lettered. Omitted: all types.
   */
  readonly eventTypes?: ReadonlySet<string>;
  /** Optional: used instead of `handle` for the first, whole-batch attempt. */
  readonly handleBatch?: BatchEventHandler;
  readonly logger: Logger;
  /** Attempts for a failing handler before the message is dead-lettered. */
  readonly maxAttempts?: number;
  readonly retryBackoffMs?: number;
  /**
   * Attempts of a whole batch that meets a transient database error
   * (deadlock, serialization failure, timeouts, connection loss) before the
   * error goes to the Kafka client, which fetches the batch again. Such a
   * batch is never dead-lettered. Default 10 (about 25 s of backoff).
   */
  readonly transientAttempts?: number;
  readonly partitionsConsumedConcurrently?: number;
  /** Called after each batch applied in a transaction: its partition, size, and the time from the start of its work to its commit. */
  readonly onBatchApplied?: (info: { readonly topic: string; readonly partition: number; readonly messages: number; readonly seconds: number }) => void;
  readonly sessionTimeoutMs?: number;
  /** Called after each committed batch that wrote outbox rows (wakes the relay). */
  readonly onOutboxWritten?: () => void;
  readonly onPartitionsAssigned?: (partitions: ReadonlyArray<{ topic: string; partition: number }>) => void;
  /**
   * Live consumption (the default): a keyed message that arrived on another
   * partition than the platform's partitioner puts its key on (under the
   * topic's current partition count) is dead-lettered before domain code
   * sees it, since it is out of order with the rest of its lead's events.
   * False in a replay, which re-applies history as the log holds it.
   */
  readonly checkPartitioning?: boolean;
  /**
   * How long the broker may hold a fetch to fill it (default 50 ms, with no
   * minimum size). A consumer whose work tolerates a little delay (reporting,
   * notifications) takes bigger batches with fewer transactions.
   */
  readonly fetch?: { readonly maxWaitTimeInMs: number; readonly minBytes: number };
  /** Called after the commit of each message dead-lettered for arriving on the wrong partition. */
  readonly onWrongPartition?: (info: { topic: string; partition: number }) => void;
  readonly faults?: ConsumerFaults;
  /**
   * Policy as events (docs/policy.md): PolicyPublished copies are read
   * whatever `eventTypes` says, recorded here, and the version in force per
   * partition is stored with the offset; each message is handled with the
   * policy in force at its position. Omitted: no policy is tracked.
   */
  readonly policies?: PolicyLog;
}

/** Thrown by domain code; the batch is retried message by message. */
class HandlerFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/** A transient database error passes through unwrapped: it is retried, never dead-lettered. */
function asHandlerFailure(error: unknown): unknown {
  return isTransientDatabaseError(error) ? error : new HandlerFailure(error);
}

interface Prepared {
  readonly message: KafkaMessage;
  readonly headers: StringHeaders;
  readonly event: LeadEvent | null;
  readonly error: string | null;
  /** A valid-looking message of a type this consumer does not apply. */
  readonly skip?: boolean;
  /** Arrived on another partition than its key's: `error` says which. */
  readonly misplaced?: boolean;
}

/** Dead-letter reasons of the batch's misplaced messages, by offset. */
type Misplaced = ReadonlyMap<string, string>;
const NONE_MISPLACED: Misplaced = new Map();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Consumes topics with exactly-once effects on an at-least-once bus
 * (DESIGN.md §3): each batch is applied in one Postgres transaction together
 * with the stored offset and the outbox rows it produces; a redelivered
 * message is skipped by offset, a re-published event by its id; a bad or
 * persistently failing message goes to the dead-letter topic (through the
 * outbox, so exactly once too) and the partition keeps flowing.
 */
export class TransactionalConsumer {
  private consumer: Consumer | null = null;
  private readonly maxAttempts: number;
  private readonly backoff: number;
  private readonly transientAttempts: number;
  private crashed = false;
  /** Between start() and stop(), unless the Kafka client stopped it and it is not running again yet. */
  private running = false;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartAttempts = 0;
  private readonly checkPartitioning: boolean;
  /** Each subscribed topic's current partition count: fetched at start, after each rebalance and before a dead letter. */
  private readonly partitionCounts = new Map<string, number>();
  /** The types this consumer reads: the handler's, plus PolicyPublished when it tracks the policy. */
  private readonly consumed: ReadonlySet<string> | undefined;

  constructor(private readonly options: TransactionalConsumerOptions) {
    this.consumed = options.eventTypes && options.policies ? new Set([...options.eventTypes, 'PolicyPublished']) : options.eventTypes;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoff = options.retryBackoffMs ?? 50;
    this.transientAttempts = options.transientAttempts ?? 10;
    this.checkPartitioning = options.checkPartitioning ?? true;
  }

  private get topics(): readonly string[] {
    return this.options.topics ?? [Topics.leadEvents];
  }

  private get offsetsTable() {
    return `"${this.options.schema}".consumer_offsets`;
  }

  /** Whether the consumer is consuming (readiness reports a stopped one). */
  isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    this.stopping = false;
    const { kafka, groupId } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTimeInMs: this.options.fetch?.maxWaitTimeInMs ?? 50,
      minBytes: this.options.fetch?.minBytes ?? 1,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    if (this.checkPartitioning) await this.refreshPartitionCounts();
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      void this.onAssigned(e.payload.memberAssignment).catch((error) =>
        this.options.logger.warn('seeking to stored offsets failed', { error }),
      );
      // Partitions may have been added: a rebalance follows, so re-read the count.
      if (this.checkPartitioning) {
        void this.refreshPartitionCounts().catch((error) =>
          this.options.logger.warn('could not re-read the partition count after a rebalance; keeping the last one', { error: (error as Error).message }),
        );
      }
    });
    consumer.on(consumer.events.CRASH, (e) => this.onCrash(e.payload.error, e.payload.restart));
    await consumer.connect();
    for (const topic of this.topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      // The database offset, committed with the state, is the truth (it is where a consumer seeks on
      // assignment); Kafka's copy is for lag monitoring only, so it is committed in the background.
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
  }

  /** Lets the in-flight batch finish (database and Kafka commits) and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.consumer?.disconnect();
    this.consumer = null;
    this.running = false;
  }

  /**
   * The Kafka client restarts its consumer after a retriable error, and
   * leaves it stopped after any other: then the service would stop
   * consuming for good while it still answers. Start it again, with backoff
   * (the stored offsets make a restart safe), and say so.
   */
  private onCrash(error: Error | undefined, clientRestarts: boolean): void {
    if (clientRestarts) {
      this.options.logger.warn('the consumer stopped on an error; the Kafka client restarts it', { error: error?.message });
      return;
    }
    this.running = false;
    if (this.stopping || this.crashed) return;
    const delayMs = Math.min(1_000 * 2 ** this.restartAttempts, 30_000);
    this.restartAttempts++;
    this.options.logger.error('the consumer stopped on an error the Kafka client does not retry; starting it again', { error: error?.message, delayMs, attempt: this.restartAttempts });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.consumer?.disconnect().catch(() => undefined);
      this.start().then(
        () => (this.restartAttempts = 0),
        (startError: Error) => this.onCrash(startError, false),
      );
    }, delayMs);
  }

  /** The database offset is the truth: on assignment, continue from it. */
  private async onAssigned(assignment: Record<string, number[]>): Promise<void> {
    const assigned = Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    this.options.onPartitionsAssigned?.(assigned);
    if (assigned.length === 0) return;
    const rows: Array<{ topic: string; partition: number; next_offset: string }> = await this.options.dataSource.query(
      `SELECT topic, partition, next_offset FROM ${this.offsetsTable} WHERE group_id = $1`,
      [this.options.groupId],
    );
    for (const { topic, partition } of assigned) {
      const row = rows.find((r) => r.topic === topic && r.partition === partition);
      if (row && this.consumer) this.consumer.seek({ topic, partition, offset: row.next_offset });
    }
  }

  private async refreshPartitionCounts(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...this.topics] });
      for (const t of topics) this.partitionCounts.set(t.name, t.partitions.length);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The batch's keyed messages that arrived on another partition than their
   * key's. Judged by the cached partition count; when that finds any, the
   * count is re-read first, so a partition added since cannot turn right
   * messages into dead letters.
   */
  private async misplacedIn(topic: string, partition: number, messages: readonly KafkaMessage[]): Promise<Misplaced> {
    if (!this.checkPartitioning) return NONE_MISPLACED;
    const judge = (count: number) => {
      const reasons = new Map<string, string>();
      for (const m of messages) {
        const misplaced = misplacedKey({ key: m.key, topic, partition }, count);
        if (misplaced) reasons.set(m.offset, misplacedKeyReason(misplaced));
      }
      return reasons;
    };
    const cached = this.partitionCounts.get(topic);
    if (cached !== undefined) {
      const reasons = judge(cached);
      if (reasons.size === 0) return reasons;
    }
    try {
      await this.refreshPartitionCounts();
    } catch (error) {
      if (cached === undefined) {
        throw new Error(`cannot check the partitioning of ${topic}: its partition count could not be read (${(error as Error).message}); the batch is fetched again`);
      }
      this.options.logger.warn('could not re-read the partition count; judging by the last one', { topic, partitionCount: cached, error: (error as Error).message });
    }
    const count = this.partitionCounts.get(topic);
    if (count === undefined) throw new Error(`cannot check the partitioning of ${topic}: the broker returned no metadata for it; is the consumer subscribed to a topic that exists?`);
    return judge(count);
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.crashed || !isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const lastOffset = batch.messages[batch.messages.length - 1].offset;
    if (batch.messages.every((m) => this.skippedByHeader(m))) {
      // Nothing to apply: no transaction, no dedupe, one statement that moves the offset forward.
      await this.advanceOffset(topic, partition, lastOffset);
      resolveOffset(lastOffset);
      await heartbeat();
      return;
    }
    const started = performance.now();
    const misplaced = await this.misplacedIn(topic, partition, batch.messages);
    const applied = await this.applyRetryingTransientErrors(topic, partition, batch.messages, misplaced, { heartbeat, isRunning, isStale });
    if (applied === null) return;
    this.options.onBatchApplied?.({ topic, partition, messages: batch.messages.length, seconds: (performance.now() - started) / 1000 });
    if (applied.outboxWritten) this.options.onOutboxWritten?.();
    // After a retried slice, the rest of the batch is fetched again from the offset resolved here.
    const appliedThrough = applied.lastOffset;
    if (this.options.faults?.afterDatabaseCommit) {
      try {
        await this.options.faults.afterDatabaseCommit({ topic, partition, lastOffset: appliedThrough });
      } catch (error) {
        // Simulated crash: stop without committing the Kafka offset.
        this.crashed = true;
        throw error;
      }
    }
    resolveOffset(appliedThrough);
    await heartbeat();
  }

  /**
   * Moves the stored offset past a batch with nothing to apply. Atomic on its
   * own: the batch wrote nothing, and GREATEST never moves the offset back
   * (another instance may own the partition by now and be further on).
   */
  private async advanceOffset(topic: string, partition: number, lastOffset: string): Promise<void> {
    await this.options.dataSource.query(
      `INSERT INTO ${this.offsetsTable} AS o (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4::bigint)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [this.options.groupId, topic, partition, (BigInt(lastOffset) + 1n).toString()],
    );
  }

  /**
   * A message of a known type this consumer does not apply, told by the
   * `event-type` header the platform's relays set — without parsing the value.
   */
  private skippedByHeader(message: KafkaMessage): boolean {
    const wanted = this.consumed;
    if (!wanted) return false;
    const header = message.headers?.['event-type'];
    const type = Buffer.isBuffer(header) ? header.toString('utf8') : typeof header === 'string' ? header : undefined;
    return type !== undefined && isEventType(type) && !wanted.has(type);
  }

  /**
   * Applies the batch; a transient database error rolls the whole
   * transaction back and retries it with capped exponential backoff
   * (bounded, logged), never dead-letters. Each retry applies half the
   * messages of the attempt before (at least one): a batch whose
   * transaction outlasts a database timeout (statement, lock,
   * idle-in-transaction) would otherwise fail the same way every time and
   * the partition would stall; the rest is fetched again. Returns whether
   * outbox rows were written and the last offset applied; null: the
   * partition was taken away or the consumer stopped while waiting
   * (nothing was committed).
   */
  private async applyRetryingTransientErrors(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    misplaced: Misplaced,
    session: Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>,
  ): Promise<{ outboxWritten: boolean; lastOffset: string } | null> {
    let slice = messages;
    for (let attempt = 1; ; attempt++) {
      try {
        const outboxWritten = await this.applyOrIsolate(topic, partition, slice, misplaced);
        return { outboxWritten, lastOffset: slice[slice.length - 1].offset };
      } catch (error) {
        if (!isTransientDatabaseError(error) || attempt >= this.transientAttempts) throw error;
        const delayMs = Math.min(this.backoff * 2 ** (attempt - 1), 5_000);
        slice = slice.slice(0, Math.ceil(slice.length / 2));
        this.options.logger.warn('a transient database error; retrying the batch', {
          topic, partition, attempt, of: this.transientAttempts, delayMs, nextAttemptMessages: slice.length, batchMessages: messages.length,
          code: transientCode(error), error: (error as Error).message,
        });
        await sleep(delayMs);
        if (!session.isRunning() || session.isStale()) return null;
        await session.heartbeat();
      }
    }
  }

  /** The whole batch at once; when a handler fails, again message by message so only the bad one is dead-lettered. */
  private async applyOrIsolate(topic: string, partition: number, messages: KafkaMessage[], misplaced: Misplaced): Promise<boolean> {
    try {
      return await this.applyBatch(topic, partition, messages, misplaced, false);
    } catch (error) {
      if (!(error instanceof HandlerFailure)) throw error;
      this.options.logger.warn('a handler failed; retrying the batch message by message', { topic, partition, error: error.message });
      return await this.applyBatch(topic, partition, messages, misplaced, true);
    }
  }

  /** One transaction: offset check, dedupe, handlers, outbox, new offset. Returns whether outbox rows were written. */
  private async applyBatch(topic: string, partition: number, messages: KafkaMessage[], misplaced: Misplaced, careful: boolean): Promise<boolean> {
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    const afterCommit: Array<() => void> = [];
    try {
      await runner.startTransaction();
      const tx = txOf(runner);
      const { next, policyVersion } = await this.lockOffset(tx, topic, partition);
      const policies = this.options.policies;
      let inForce: PolicyInForce | null = policies ? { version: policyVersion, policy: await policies.policyOf(tx, policyVersion) } : null;
      const fresh = messages.filter((m) => BigInt(m.offset) >= next);
      const outbox: OutboxRow[] = [];
      if (fresh.length > 0) {
        // A misplaced message's id is not claimed: once re-driven to the right partition it is applied.
        const prepared = fresh.map((m) => this.placed(this.prepare(m), misplaced));
        const firstSeen = await this.claimEventIds(tx, prepared);
        const batchItems: BatchItem[] = [];
        for (const p of prepared) {
          const info: MessageInfo = { topic, partition, offset: p.message.offset, headers: p.headers };
          if (p.skip) continue;
          if (p.misplaced) {
            outbox.push(this.deadLetter(p, info, p.error ?? 'wrong partition', 0));
            this.options.logger.warn('dead-lettered a message on the wrong partition for its key', { topic, partition, offset: p.message.offset, reason: p.error });
            const onWrongPartition = this.options.onWrongPartition;
            if (onWrongPartition) afterCommit.push(() => onWrongPartition({ topic, partition }));
            continue;
          }
          if (!p.event) {
            outbox.push(this.deadLetter(p, info, p.error ?? 'invalid', 0));
            this.options.logger.warn('dead-lettered an invalid message', { topic, partition, offset: p.message.offset, reason: p.error });
            continue;
          }
          if (!firstSeen.delete(p.event.eventId)) continue; // already applied: a resend or redelivery
          if (p.event.type === 'PolicyPublished' && policies) {
            try {
              inForce = { version: p.event.data.version, policy: await policies.record(tx, p.event) };
            } catch (error) {
              if (!(error instanceof PolicyError)) throw error;
              outbox.push(this.deadLetter(p, info, error.message, 0));
              await tx.execute(`DELETE FROM "${this.options.schema}".processed_events WHERE event_id = $1`, [p.event.eventId]);
              this.options.logger.error('dead-lettered a PolicyPublished whose document does not validate; the policy in force stays', {
                topic, partition, offset: p.message.offset, version: p.event.data.version, inForce: inForce?.version ?? 'bootstrap file', reason: error.message,
              });
              continue;
            }
            this.options.logger.info('policy version in force', { topic, partition, offset: p.message.offset, version: inForce.version });
            if (this.options.eventTypes && !this.options.eventTypes.has('PolicyPublished')) continue;
          }
          const policy = inForce?.policy;
          if (this.options.handleBatch && !careful) {
            batchItems.push({ event: p.event, message: info, ...(policy ? { policy } : {}) });
            continue;
          }
          const result = careful ? await this.applyCarefully(tx, p.event, info, policy) : await this.applyOnce(tx, p.event, info, policy);
          if (result.ok) {
            outbox.push(...result.emitted);
            afterCommit.push(...result.afterCommit);
          } else {
            outbox.push(this.deadLetter(p, info, result.error, this.maxAttempts));
            // Not applied, so not processed: a re-drive of this dead letter must be applied, not skipped as a resend.
            await tx.execute(`DELETE FROM "${this.options.schema}".processed_events WHERE event_id = $1`, [p.event.eventId]);
            this.options.logger.error('dead-lettered a message whose handler kept failing', {
              topic, partition, offset: p.message.offset, eventType: p.event.type, leadId: p.event.leadId, reason: result.error,
            });
          }
        }
        if (batchItems.length > 0) {
          const result = await this.applyBatchHandler(tx, batchItems);
          outbox.push(...result.emitted);
          afterCommit.push(...result.afterCommit);
        }
        await insertOutboxRows(tx, this.options.schema, outbox);
      }
      const last = BigInt(messages[messages.length - 1].offset);
      // Never backwards: a batch fetched before the asynchronous seek to the stored offset holds only older messages
      // (then nothing was fresh, and the policy version stays the stored one).
      await prepared(tx).execute(
        `UPDATE ${this.offsetsTable} SET next_offset = GREATEST(next_offset, $4::bigint), policy_version = $5, updated_at = now() WHERE group_id = $1 AND topic = $2 AND partition = $3`,
        [this.options.groupId, topic, partition, (last + 1n).toString(), inForce ? inForce.version : policyVersion],
      );
      await runner.commitTransaction();
      for (const fn of afterCommit) fn();
      return outbox.length > 0;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The stored offset and the policy version in force there (null: none published yet on this partition). */
  private async lockOffset(tx: Tx, topic: string, partition: number): Promise<{ next: bigint; policyVersion: string | null }> {
    const params = [this.options.groupId, topic, partition];
    const select = `SELECT next_offset, policy_version FROM ${this.offsetsTable} WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`;
    let rows = await prepared(tx).query<{ next_offset: string; policy_version: string | null }>(select, params);
    if (rows.length === 0) {
      await prepared(tx).execute(`INSERT INTO ${this.offsetsTable} (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`, params);
      rows = await prepared(tx).query(select, params);
    }
    return { next: BigInt(rows[0].next_offset), policyVersion: rows[0].policy_version };
  }

  /** Types this consumer skips stay skipped; other misplaced messages carry their dead-letter reason. */
  private placed(p: Prepared, misplaced: Misplaced): Prepared {
    const reason = misplaced.get(p.message.offset);
    return reason === undefined || p.skip ? p : { message: p.message, headers: p.headers, event: null, error: reason, misplaced: true };
  }

  private prepare(message: KafkaMessage): Prepared {
    const headers = headersToStrings(message.headers as Record<string, unknown>);
    if (this.skippedByHeader(message)) return { message, headers, event: null, error: null, skip: true };
    const wanted = this.consumed;
    if (wanted) {
      // Read the type first: validating events this service ignores is most of the parsing cost.
      let raw: unknown;
      try {
        raw = message.value ? JSON.parse(message.value.toString('utf8')) : null;
      } catch {
        raw = undefined;
      }
      const type = (raw as { type?: unknown } | null | undefined)?.type;
      if (typeof type === 'string' && isEventType(type) && !wanted.has(type)) return { message, headers, event: null, error: null, skip: true };
      if (raw !== undefined && raw !== null) {
        const parsed = parseEvent(raw);
        return parsed.ok ? { message, headers, event: parsed.event, error: null } : { message, headers, event: null, error: parsed.error };
      }
    }
    const parsed = parseEventBytes(message.value);
    return parsed.ok ? { message, headers, event: parsed.event, error: null } : { message, headers, event: null, error: parsed.error };
  }

  /** Records the batch's event ids as processed; returns those seen for the first time. */
  private async claimEventIds(tx: Tx, batch: readonly Prepared[]): Promise<Set<string>> {
    const ids = batch.flatMap((p) => (p.event ? [p.event.eventId] : []));
    if (ids.length === 0) return new Set();
    const rows = await prepared(tx).query<{ event_id: string }>(
      `INSERT INTO "${this.options.schema}".processed_events (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
      [ids],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  private async run(tx: Tx, event: LeadEvent, info: MessageInfo, policy: Policy | undefined) {
    const emitted: OutboxRow[] = [];
    const afterCommit: Array<() => void> = [];
    await withConsumerSpan(
      `${this.options.groupId} process ${event.type}`,
      info.headers,
      { 'messaging.system': 'kafka', 'messaging.destination.name': info.topic, 'messaging.kafka.offset': info.offset, 'lead.id': event.leadId ?? '', 'event.type': event.type },
      () =>
        this.options.handle(event, {
          tx,
          message: info,
          ...(policy ? { policy } : {}),
          emit: (e, headers) => emitted.push(outboxRowForEvent(e, headers ?? currentTraceHeaders())),
          afterCommit: (fn) => afterCommit.push(fn),
        }),
    );
    return { ok: true as const, emitted, afterCommit };
  }

  private async applyBatchHandler(tx: Tx, items: readonly BatchItem[]) {
    const emitted: OutboxRow[] = [];
    const afterCommit: Array<() => void> = [];
    try {
      await this.options.handleBatch!(items, {
        tx,
        emit: (e, headers) => emitted.push(outboxRowForEvent(e, headers ?? currentTraceHeaders())),
        afterCommit: (fn) => afterCommit.push(fn),
      });
    } catch (error) {
      throw asHandlerFailure(error);
    }
    return { emitted, afterCommit };
  }

  private async applyOnce(tx: Tx, event: LeadEvent, info: MessageInfo, policy: Policy | undefined) {
    try {
      return await this.run(tx, event, info, policy);
    } catch (error) {
      throw asHandlerFailure(error);
    }
  }

  private async applyCarefully(tx: Tx, event: LeadEvent, info: MessageInfo, policy: Policy | undefined) {
    let lastError = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await tx.execute('SAVEPOINT message');
      try {
        const result = await this.run(tx, event, info, policy);
        await tx.execute('RELEASE SAVEPOINT message');
        return result;
      } catch (error) {
        // Not the message's fault: the whole transaction is rolled back and retried.
        if (isTransientDatabaseError(error)) throw error;
        await tx.execute('ROLLBACK TO SAVEPOINT message');
        lastError = error instanceof Error ? error.message : String(error);
        if (attempt < this.maxAttempts) await sleep(this.backoff * 2 ** (attempt - 1));
      }
    }
    return { ok: false as const, error: `handler failed ${this.maxAttempts} times: ${lastError}` };
  }

  private deadLetter(p: Prepared, info: MessageInfo, reason: string, attempts: number): OutboxRow {
    const row: OutboxRow = {
      topic: this.options.deadLetterTopic ?? Topics.deadLetter,
      key: p.message.key ? p.message.key.toString('utf8') : null,
      value: p.message.value ?? Buffer.alloc(0),
      headers: {
        ...p.headers,
        [DeadLetterHeaders.reason]: reason.slice(0, 2000),
        [DeadLetterHeaders.originalTopic]: info.topic,
        [DeadLetterHeaders.originalPartition]: String(info.partition),
        [DeadLetterHeaders.originalOffset]: info.offset,
        [DeadLetterHeaders.consumerGroup]: this.options.groupId,
        [DeadLetterHeaders.attempts]: String(attempts),
      },
    };
    if (messageBytes(row) <= DEAD_LETTER_MAX_BYTES) return row;
    // Too large to copy (the broker could refuse it, stalling the outbox): the headers say where the message is.
    return { ...row, value: Buffer.alloc(0), headers: { ...row.headers, [VALUE_OMITTED_HEADER]: String(row.value.length) } };
  }

}
