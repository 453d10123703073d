import type { Logger } from '@lead-sla/platform';

/** One table whose old rows a service forgets: deletes up to `limit` rows older than `before`, returns how many. */
export interface PruneTask {
  /** Schema-qualified table name, the metric's `table` label. */
  readonly table: string;
  /** This table's own retention, when it differs from the pruner's. */
  readonly retentionMs?: number;
  prune(before: Date, limit: number): Promise<number>;
}

export interface RetentionPrunerOptions {
  readonly tasks: readonly PruneTask[];
  /** Rows older than this are forgotten. */
  readonly retentionMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Rows per delete statement (default 5,000). */
  readonly batchSize?: number;
  /** Called after each delete that removed rows (the lead_sla_pruned_rows_total counter). */
  readonly onPruned?: (table: string, rows: number) => void;
}

/**
 * Forgets deduplication history older than the retention, in short batched
 * deletes, on a schedule (DESIGN.md §3; why the retention makes this safe:
 * docs/operations.md, "Storage growth and pruning"). A failed run is logged
 * and retried at the next interval; it never stops the service.
 */
export class RetentionPruner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly options: RetentionPrunerOptions) {}

  /** Prunes every table once, batch after batch until a batch comes back short; returns rows removed per table. */
  async runOnce(): Promise<Record<string, number>> {
    const { tasks, retentionMs, logger } = this.options;
    const limit = this.options.batchSize ?? 5_000;
    const now = (this.options.now ?? Date.now)();
    const removed: Record<string, number> = {};
    for (const task of tasks) {
      const before = new Date(now - (task.retentionMs ?? retentionMs));
      removed[task.table] = 0;
      try {
        for (;;) {
          const n = await task.prune(before, limit);
          if (n > 0) {
            removed[task.table] += n;
            this.options.onPruned?.(task.table, n);
          }
          if (n < limit) break;
        }
      } catch (error) {
        logger.warn('pruning failed; it is retried at the next interval', { table: task.table, error: (error as Error).message });
      }
    }
    const total = Object.values(removed).reduce((a, b) => a + b, 0);
    if (total > 0) logger.info('pruned rows older than the retention', { removed });
    return removed;
  }

  /** Runs now, then every `intervalMs` (never two runs at once). */
  start(intervalMs: number): void {
    const tick = () => {
      if (!this.running) this.running = this.runOnce().finally(() => (this.running = null));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
