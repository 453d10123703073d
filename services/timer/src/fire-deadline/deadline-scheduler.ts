import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventData, EventType } from '@lead-sla/contracts';
import { eventFrom, insertOutboxRows, outboxRowForEvent } from '@lead-sla/messaging';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, MessagingLifecycle } from '@lead-sla/service-runtime';
import { MinHeap } from './min-heap';

/** What a deadline row's payload holds: the event to emit when it fires. */
export interface DeadlinePayload<T extends EventType = EventType> {
  readonly type: T;
  readonly data: EventData<T>;
  readonly correlationId: string;
}

interface Entry {
  readonly id: string;
  readonly dueAt: number;
}

const HORIZON_MS = Number(process.env.TIMER_HORIZON_MS ?? 60_000);
const FIRE_BATCH = 2000;

/**
 * Holds the next minute of pending deadlines of this instance's partitions in
 * a heap, refilled by an indexed query; one timer for the earliest entry.
 * Firing is one transaction per batch: mark the rows fired (only if still
 * pending, so each fires once across instances and restarts) and write
 * their events to the outbox.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly heap = new MinHeap<Entry>();
  private readonly queued = new Set<string>();
  private partitions: number[] = [];
  private loadedUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private firing = false;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly messaging: MessagingLifecycle,
  ) {}

  onApplicationBootstrap(): void {
    this.refillTimer = setInterval(() => void this.refill(), HORIZON_MS / 2);
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refillTimer) clearInterval(this.refillTimer);
  }

  /** On rebalance: forget the old partitions' deadlines, load the new ones'. */
  setPartitions(partitions: readonly number[]): void {
    this.partitions = [...partitions].sort((a, b) => a - b);
    this.heap.clear();
    this.queued.clear();
    this.loadedUntil = 0;
    void this.refill();
  }

  /** A deadline committed by this instance: hold it if it falls inside the loaded horizon. */
  offer(id: string, dueAt: Date, partition: number): void {
    if (!this.partitions.includes(partition)) return;
    if (dueAt.getTime() > this.loadedUntil) return; // the next refill picks it up
    this.enqueue({ id, dueAt: dueAt.getTime() });
    this.arm();
  }

  private enqueue(entry: Entry): void {
    if (this.queued.has(entry.id)) return;
    this.queued.add(entry.id);
    this.heap.push(entry);
  }

  private async refill(): Promise<void> {
    if (this.stopped || this.partitions.length === 0) return;
    const until = this.clock.now().getTime() + HORIZON_MS;
    try {
      const rows: Array<{ id: string; due_at: Date }> = await this.dataSource.query(
        `SELECT id, due_at FROM timer.deadlines WHERE status = 'pending' AND partition = ANY($1::int[]) AND due_at < $2 ORDER BY due_at`,
        [this.partitions, new Date(until)],
      );
      for (const r of rows) this.enqueue({ id: r.id, dueAt: r.due_at.getTime() });
      this.loadedUntil = until;
      this.arm();
    } catch (error) {
      this.logger.error('loading due deadlines failed', { error });
    }
  }

  private arm(): void {
    if (this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.heap.peek();
    if (!next) return;
    const delay = Math.max(0, next.dueAt - this.clock.now().getTime());
    this.timer = setTimeout(() => void this.fireDue(), Math.min(delay, HORIZON_MS));
  }

  private async fireDue(): Promise<void> {
    if (this.stopped || this.firing) return;
    this.firing = true;
    try {
      const now = this.clock.now().getTime();
      const due: string[] = [];
      while (this.heap.size && this.heap.peek()!.dueAt <= now && due.length < FIRE_BATCH) {
        const e = this.heap.pop()!;
        this.queued.delete(e.id);
        due.push(e.id);
      }
      if (due.length > 0) await this.fire(due);
    } catch (error) {
      this.logger.error('firing deadlines failed; they stay pending and are retried', { error });
      this.loadedUntil = 0;
      setTimeout(() => void this.refill(), 1000);
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private async fire(ids: string[]): Promise<void> {
    const now = this.clock.now();
    await inTransaction(this.dataSource, async (tx) => {
      const rows = await tx.query<{ id: string; lead_id: string; cause_event_id: string; payload: DeadlinePayload }>(
        `UPDATE timer.deadlines SET status = 'fired', fired_at = $2 WHERE id = ANY($1::text[]) AND status = 'pending'
         RETURNING id, lead_id, cause_event_id, payload`,
        [ids, now],
      );
      const events = rows.map((r) =>
        eventFrom(
          { eventId: r.cause_event_id, correlationId: r.payload.correlationId, leadId: r.lead_id },
          `deadline:${r.id}`,
          r.payload.type,
          r.payload.data as never,
          { occurredAt: now, recordedAt: now },
        ),
      );
      await insertOutboxRows(tx, 'timer', events.map((e) => outboxRowForEvent(e, {})));
    });
    this.messaging.relay.kick();
  }
}
