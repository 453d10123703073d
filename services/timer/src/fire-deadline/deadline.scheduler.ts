import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutboxWriter } from '@lead-sla/messaging';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, currentReplay, DATA_SOURCE, LOGGER, PolicyProvider, ServiceMetrics, type SlaMetrics } from '@lead-sla/service-runtime';
import { timerChanges } from '../domain/timer-changes.util';
import { TimerStateRepository } from '../persistence/timer-state.repository';
import { fireBatch } from './fire-batch.util';

const HORIZON_MS = Number(process.env.TIMER_HORIZON_MS ?? 60_000);
const ORPHAN_GRACE_MS = Number(process.env.TIMER_ORPHAN_GRACE_MS ?? 5_000);
const FIRE_BATCH = Number(process.env.TIMER_FIRE_BATCH ?? 1000);

/**
 * The timer's deadlines on the shared scheduler (libs/scheduler): this class
 * is the timer-specific part. Firing is one transaction per batch through
 * the OutboxWriter: lock the leads' state rows, claim the rows still
 * pending, fold what they fire through the timer's evolve, save the diff
 * (the next ladder steps appear as rows), and publish each fired event
 * with the trace context stored with its row, so a breach belongs to the
 * trace of the event that started its clock. The `status = 'pending'`
 * claim under the lead's row lock makes a deadline fire exactly once across
 * restarts and instances; partition ownership only splits the work.
 */
@Injectable()
export class DeadlineScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;
  private readonly metrics: SlaMetrics;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) logger: Logger,
    private readonly outbox: OutboxWriter,
    private readonly repository: TimerStateRepository,
    private readonly policies: PolicyProvider,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    this.scheduler = new Scheduler(this, { name: 'deadline', horizonMs: HORIZON_MS, orphanGraceMs: ORPHAN_GRACE_MS, batchSize: FIRE_BATCH, retryMs: 1_000, now: () => clock.now(), logger });
    // lead_sla_pending_deadlines is read at scrape time; the fire delay is observed per fired row.
    this.metrics = metrics.sla({ pendingDeadlines: () => this.repository.countPending(this.dataSource) });
  }

  onApplicationBootstrap(): void {
    // A replay folds the log and fires nothing: every deadline that fired live is in the log as its event.
    if (currentReplay()) return;
    this.scheduler.start();
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
  }

  setPartitions(partitions: readonly number[]): void {
    this.scheduler.setPartitions(partitions);
  }

  offer(rows: readonly ScheduledRow[]): void {
    this.scheduler.offer(rows);
  }

  loadDue(partitions: readonly number[], window: { from: number; until: number }, orphanBefore: number): Promise<ScheduledRow[]> {
    return inTransaction(this.dataSource, (tx) => this.repository.pendingDue(tx, partitions, window, orphanBefore));
  }

  async fire(ids: readonly string[], now: Date): Promise<void> {
    const { claimed, scheduled } = await this.outbox.transaction(async (tx, emit) => {
      const before = await this.repository.lockStatesOfDeadlines(tx, ids);
      const claimed = await this.repository.claimDue(tx, ids, now);
      // The policy is not consulted when firing (each clock carries what it started under).
      const { state: after, fired } = fireBatch(before, claimed, now, { policy: this.policies.current() });
      const partitionOf = new Map(claimed.map((c) => [c.leadId, c.partition]));
      // The next ladder step of a clock continues the trace of the row of that clock that fired.
      const traceOf = new Map(fired.map((f) => [f.event.data.clockId, f.trace]));
      const scheduled = await this.repository.write(tx, timerChanges(before, after), (row) => ({ partition: partitionOf.get(row.leadId) ?? 0, trace: traceOf.get(row.clockId) ?? {} }));
      for (const f of fired) emit([f.event], { ...f.trace });
      return { claimed, scheduled };
    });
    const committedAt = Date.now();
    for (const d of claimed) this.metrics.breachFireDelay.observe({ clock: d.clock }, Math.max(0, committedAt - d.dueAt) / 1000);
    this.scheduler.offer(scheduled);
  }
}
