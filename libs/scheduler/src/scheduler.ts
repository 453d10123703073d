import { DueQueue, type DueEntry } from './due-queue';

/** A pending row of scheduled work: its id, when it is due (epoch ms) and the partition whose owner fires it. */
export interface ScheduledRow extends DueEntry {
  readonly partition: number;
}

/**
 * The service-specific part of scheduled work (SLA deadlines, re-qualification
 * due dates, notification retries): where the rows live and what firing them
 * means. The scheduler owns the rest (horizon, heap, refills, partitions,
 * batching, retries).
 */
export interface ScheduledWork {
  /**
   * Pending rows of `partitions` due in [window.from, window.until), and pending
   * rows of any partition due before `orphanBefore` (their owner is down or has
   * not been assigned yet). One indexed query.
   */
  loadDue(partitions: readonly number[], window: { readonly from: number; readonly until: number }, orphanBefore: number): Promise<ScheduledRow[]>;
  /**
   * Fires the rows in ONE transaction: claim those still pending (a row fires
   * once, whatever the number of instances), emit through the outbox with each
   * row's stored trace context, write what firing changed. Rows it schedules
   * in turn are handed back with `Scheduler.offer` after the commit.
   */
  fire(ids: readonly string[], now: Date): Promise<void>;
}

export interface SchedulerOptions {
  /** For log lines: "deadline", "requalification" … */
  readonly name: string;
  /** How far ahead rows are held in memory. */
  readonly horizonMs: number;
  /** A pending row overdue by this much is fired by any instance (restart before the rebalance, a stuck owner). */
  readonly orphanGraceMs: number;
  /** Most rows fired in one transaction. */
  readonly batchSize: number;
  /** Wait before reloading after a failed fire. */
  readonly retryMs: number;
  readonly now: () => Date;
  readonly logger: { info(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void };
}

/**
 * One scheduler for scheduled work (DESIGN.md §4): rows in Postgres are the
 * truth, only the near future is held in memory (a DueQueue), refilled by an
 * indexed query every half horizon and on each rebalance; one setTimeout for
 * the earliest row; firing in batches through `ScheduledWork.fire`.
 */
export class Scheduler {
  private readonly queue: DueQueue;
  private timer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private firing = false;
  // Idle until start(): a replay never starts it, so nothing fires while the log is re-decided.
  private stopped = true;

  constructor(
    private readonly work: ScheduledWork,
    private readonly options: SchedulerOptions,
  ) {
    this.queue = new DueQueue(options.horizonMs);
  }

  /** Starts refilling; before any partition is assigned, overdue rows of every partition fire at once (restart). */
  start(): void {
    this.stopped = false;
    this.refillTimer = setInterval(() => void this.refill(), this.options.horizonMs / 2);
    void this.refill();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refillTimer) clearInterval(this.refillTimer);
    this.timer = null;
    this.refillTimer = null;
  }

  /** On rebalance: forget the old partitions' rows, load the new ones'. */
  setPartitions(partitions: readonly number[]): void {
    this.options.logger.info(`${this.options.name} partitions assigned`, { partitions: [...partitions].sort((a, b) => a - b) });
    this.queue.assign(partitions);
    void this.refill();
  }

  /** Rows just committed: held now if inside the loaded horizon, else the next refill loads them. */
  offer(rows: readonly ScheduledRow[]): void {
    let held = false;
    for (const r of rows) held = this.queue.offer({ id: r.id, dueAt: r.dueAt }, r.partition) || held;
    if (held) this.arm();
  }

  private async refill(): Promise<void> {
    if (this.stopped) return;
    const now = this.options.now().getTime();
    const window = this.queue.nextWindow(now);
    try {
      const rows = await this.work.loadDue(this.queue.partitions, window, now - this.options.orphanGraceMs);
      this.queue.loaded(rows, window.until);
      this.arm();
    } catch (error) {
      if (!this.stopped) this.options.logger.error(`loading due ${this.options.name} rows failed`, { error: (error as Error).message });
    }
  }

  private arm(): void {
    if (this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.queue.nextDueAt();
    if (next === undefined) return;
    const delay = Math.max(0, next - this.options.now().getTime());
    this.timer = setTimeout(() => void this.fireDue(), Math.min(delay, this.options.horizonMs));
  }

  private async fireDue(): Promise<void> {
    if (this.stopped || this.firing) return;
    this.firing = true;
    try {
      for (;;) {
        const due = this.queue.takeDue(this.options.now().getTime(), this.options.batchSize);
        if (due.length === 0 || this.stopped) break;
        await this.work.fire(due, this.options.now());
      }
    } catch (error) {
      // The rows are still pending: reload them and try again.
      this.options.logger.error(`firing ${this.options.name} rows failed; they stay pending and are retried`, { error: (error as Error).message });
      this.queue.forget();
      setTimeout(() => void this.refill(), this.options.retryMs);
    } finally {
      this.firing = false;
      this.arm();
    }
  }
}
