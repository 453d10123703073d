import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { insertOutboxRows, outboxRowForEvent } from '@lead-sla/messaging';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, MessagingLifecycle, ServiceMetrics, type SlaMetrics } from '@lead-sla/service-runtime';
import type { StoredDeadline } from '../domain/timer-state';
import { timerStore } from '../persistence/timer-store.repository';
import { DueQueue } from './due-queue';
import { fireBatch } from './fire-batch.util';

const HORIZON_MS = Number(process.env.TIMER_HORIZON_MS ?? 60_000);
/** A pending row overdue by this much is fired by any instance (restart before the rebalance, a stuck owner). */
const ORPHAN_GRACE_MS = Number(process.env.TIMER_ORPHAN_GRACE_MS ?? 5_000);
const FIRE_BATCH = Number(process.env.TIMER_FIRE_BATCH ?? 1000);
const RETRY_MS = 1_000;

/**
 * Fires deadline rows (DESIGN.md §4). Holds the next minute of this
 * instance's pending rows in a DueQueue, refilled by an indexed query every
 * half horizon (incrementally, with a full reload every tenth time) and on
 * each rebalance; one setTimeout for the earliest row.
 *
 * Firing is one transaction per batch: lock the leads' state rows, mark the
 * rows fired where still pending, run fireDeadline on each, write the new
 * states, the next ladder steps and the events (outbox). The `status =
 * 'pending'` condition under the lead's row lock is what makes a deadline
 * fire exactly once across restarts and instances; partition ownership only
 * splits the work.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly queue = new DueQueue(HORIZON_MS);
  private timer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private firing = false;
  private stopped = false;
  /** Deadlines fired (events emitted) since start. */
  fired = 0;
  private readonly metrics: SlaMetrics;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly messaging: MessagingLifecycle,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    // lead_sla_pending_deadlines is read at scrape time; the fire delay is observed per fired row.
    this.metrics = metrics.sla({ pendingDeadlines: () => timerStore.countPending(this.dataSource) });
  }

  onApplicationBootstrap(): void {
    this.refillTimer = setInterval(() => void this.refill(), HORIZON_MS / 2);
    // Before any partition is assigned, overdue rows of every partition fire at once (restart).
    void this.refill();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refillTimer) clearInterval(this.refillTimer);
  }

  /** On rebalance: forget the old partitions' deadlines, load the new ones'. */
  setPartitions(partitions: readonly number[]): void {
    this.logger.info('deadline partitions assigned', { partitions: [...partitions].sort((a, b) => a - b) });
    this.queue.assign(partitions);
    void this.refill();
  }

  /** Rows this instance just committed: held now if inside the loaded horizon, else the next refill loads them. */
  offer(deadlines: readonly StoredDeadline[]): void {
    let held = false;
    for (const d of deadlines) held = this.queue.offer({ id: d.row.deadlineId, dueAt: Date.parse(d.row.dueAt) }, d.partition) || held;
    if (held) this.arm();
  }

  private async refill(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    const window = this.queue.nextWindow(now);
    try {
      const rows = await inTransaction(this.dataSource, (tx) =>
        timerStore.pendingDue(tx, this.queue.partitions, window, new Date(now - ORPHAN_GRACE_MS)),
      );
      this.queue.loaded(rows, window.until);
      this.arm();
    } catch (error) {
      if (!this.stopped) this.logger.error('loading due deadlines failed', { error: (error as Error).message });
    }
  }

  private arm(): void {
    if (this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.queue.nextDueAt();
    if (next === undefined) return;
    const delay = Math.max(0, next - this.clock.now().getTime());
    this.timer = setTimeout(() => void this.fireDue(), Math.min(delay, HORIZON_MS));
  }

  private async fireDue(): Promise<void> {
    if (this.stopped || this.firing) return;
    this.firing = true;
    try {
      for (;;) {
        const due = this.queue.takeDue(this.clock.now().getTime(), FIRE_BATCH);
        if (due.length === 0 || this.stopped) break;
        await this.fire(due);
      }
    } catch (error) {
      // The rows are still pending: reload them and try again.
      this.logger.error('firing deadlines failed; they stay pending and are retried', { error: (error as Error).message });
      this.queue.forget();
      setTimeout(() => void this.refill(), RETRY_MS);
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private async fire(ids: readonly string[]): Promise<void> {
    const now = this.clock.now();
    const { next, claimed } = await inTransaction(this.dataSource, async (tx) => {
      const states = await timerStore.lockStatesOfDeadlines(tx, ids);
      const claimed = await timerStore.claimDue(tx, ids, now);
      const result = fireBatch(states, claimed, now);
      await timerStore.saveStates(tx, result.states);
      await timerStore.insertDeadlines(tx, result.schedule);
      await timerStore.cancelDeadlines(tx, result.cancel);
      await insertOutboxRows(tx, 'timer', result.emit.map((e) => outboxRowForEvent(e, {})));
      return { next: result, claimed };
    });
    const committedAt = this.clock.now().getTime();
    for (const d of claimed) this.metrics.breachFireDelay.observe({ clock: d.row.clock }, Math.max(0, committedAt - Date.parse(d.row.dueAt)) / 1000);
    this.fired += next.emit.length;
    if (next.emit.length > 0) this.messaging.relay.kick();
    this.offer(next.schedule);
  }
}
