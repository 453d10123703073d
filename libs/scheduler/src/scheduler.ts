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
   * Rows it names `notReady` (e.g. the information they depend on has not
   * been applied yet) stay pending and are offered to `fire` again after
   * `readyRetryMs`.
   */
  fire(ids: readonly string[], now: Date): Promise<FireOutcome | void>;
}

export interface FireOutcome {
  /** Due rows the work did not fire yet: retried, never dropped. */
  readonly notReady: readonly string[];
}

/** A jump of the wall clock against the monotonic clock (NTP step, VM resume, operator). */
export interface ClockStep {
  readonly direction: 'forward' | 'backward';
  readonly ms: number;
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
  /** Wait before offering rows the work said are not ready to `fire` again (default 250 ms). */
  readonly readyRetryMs?: number;
  /** Wall time drifting from monotonic time by more than this between two checks is a clock step (default 2 s). */
  readonly clockStepThresholdMs?: number;
  /** How often wall and monotonic time are compared (default 1 s). */
  readonly clockCheckMs?: number;
  /** Told of each clock step (after it is logged), e.g. to count it. */
  readonly onClockStep?: (step: ClockStep) => void;
  /** Wall time: rows are due at wall instants; read at start (and to detect steps), time then runs monotonic. */
  readonly now: () => Date;
  /** Monotonic milliseconds (default performance.now): the scheduler's time after start. */
  readonly monotonic?: () => number;
  readonly logger: {
    info(msg: string, fields?: Record<string, unknown>): void;
    warn(msg: string, fields?: Record<string, unknown>): void;
    error(msg: string, fields?: Record<string, unknown>): void;
  };
}

/**
 * One scheduler for scheduled work (DESIGN.md §4): rows in Postgres are the
 * truth, only the near future is held in memory (a DueQueue), refilled by an
 * indexed query every half horizon and on each rebalance; one setTimeout for
 * the earliest row; firing in batches through `ScheduledWork.fire`.
 *
 * Time: rows are due at wall instants. The scheduler reads the wall clock
 * once, at start, and from then on its time is that instant plus the
 * monotonic time elapsed: a step of the host's wall clock (NTP, VM resume,
 * an operator) moves no deadline. A +1 h step does not fire an hour of
 * deadlines early and a -1 h step does not hold them back for an hour.
 * Wall time is compared with monotonic time every second: a step is logged
 * and reported (onClockStep) so an operator can fix the host; a restart
 * adopts the host's clock again.
 */
export class Scheduler {
  private readonly queue: DueQueue;
  private timer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private releaseTimer: NodeJS.Timeout | null = null;
  private clockTimer: NodeJS.Timeout | null = null;
  private lastClockCheck: { wall: number; mono: number } | null = null;
  /** Wall time minus monotonic time, read at start: the scheduler's time is monotonic time plus this. */
  private offset: number | null = null;
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
    this.lastClockCheck = this.readClocks();
    this.offset = this.lastClockCheck.wall - this.lastClockCheck.mono;
    this.clockTimer = setInterval(() => this.checkClock(), this.options.clockCheckMs ?? 1_000);
    void this.refill();
  }

  stop(): void {
    this.stopped = true;
    for (const t of [this.timer, this.releaseTimer]) if (t) clearTimeout(t);
    for (const t of [this.refillTimer, this.clockTimer]) if (t) clearInterval(t);
    this.timer = null;
    this.refillTimer = null;
    this.releaseTimer = null;
    this.clockTimer = null;
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

  private readClocks(): { wall: number; mono: number } {
    return { wall: this.options.now().getTime(), mono: this.monotonic() };
  }

  private monotonic(): number {
    return (this.options.monotonic ?? (() => performance.now()))();
  }

  /** The scheduler's time (epoch ms): the wall time read at start plus the monotonic time since. */
  private time(): number {
    return this.offset === null ? this.options.now().getTime() : this.monotonic() + this.offset;
  }

  /** Compares elapsed wall time with elapsed monotonic time; a difference over the threshold is a step. */
  private checkClock(): void {
    const current = this.readClocks();
    const last = this.lastClockCheck ?? current;
    this.lastClockCheck = current;
    const drift = current.wall - last.wall - (current.mono - last.mono);
    if (Math.abs(drift) <= (this.options.clockStepThresholdMs ?? 2_000)) return;
    const step: ClockStep = { direction: drift > 0 ? 'forward' : 'backward', ms: Math.round(Math.abs(drift)) };
    this.options.logger.warn(`wall clock stepped ${step.direction} by ${step.ms} ms against the monotonic clock; ${this.options.name} rows keep firing by monotonic time (until a restart); check the host's clock`, {
      direction: step.direction,
      stepMs: step.ms,
      wallTime: new Date(current.wall).toISOString(),
      schedulerTime: new Date(this.time()).toISOString(),
    });
    this.options.onClockStep?.(step);
  }

  private async refill(): Promise<void> {
    if (this.stopped) return;
    const now = this.time();
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
    const delay = Math.max(0, next - this.time());
    this.timer = setTimeout(() => void this.fireDue(), Math.min(delay, this.options.horizonMs));
  }

  private async fireDue(): Promise<void> {
    if (this.stopped || this.firing) return;
    this.firing = true;
    try {
      for (;;) {
        const due = this.queue.takeDue(this.time(), this.options.batchSize);
        if (due.length === 0 || this.stopped) break;
        const outcome = await this.work.fire(due.map((e) => e.id), new Date(this.time()));
        if (outcome && outcome.notReady.length > 0) this.holdBack(due, outcome.notReady);
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

  /** Keeps the rows the work did not fire aside and offers them again after `readyRetryMs`. */
  private holdBack(taken: readonly DueEntry[], notReady: readonly string[]): void {
    const ids = new Set(notReady);
    this.queue.hold(taken.filter((e) => ids.has(e.id)));
    if (this.releaseTimer) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      if (this.queue.release() > 0) this.arm();
    }, this.options.readyRetryMs ?? 250);
  }
}
