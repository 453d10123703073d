import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Topics } from '@lead-sla/contracts';
import { firedEventHeaders, logEnd, OutboxWriter, PolicyLog, type KafkaClient } from '@lead-sla/messaging';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { Scheduler, type FireOutcome, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, consumerGroupOf, currentReplay, DATA_SOURCE, KAFKA, LOGGER, SERVICE_DEFINITION, ServiceMetrics, type ServiceDefinition, type SlaMetrics } from '@lead-sla/service-runtime';
import { timerChanges } from '../domain/timer-changes.util';
import { TimerStateRepository, type PendingDeadline } from '../persistence/timer-state.repository';
import { fireBatch, type FiredBatch } from './fire-batch.util';

const HORIZON_MS = Number(process.env.TIMER_HORIZON_MS ?? 60_000);
const ORPHAN_GRACE_MS = Number(process.env.TIMER_ORPHAN_GRACE_MS ?? 5_000);
const FIRE_BATCH = Number(process.env.TIMER_FIRE_BATCH ?? 1000);
/** How often a deadline waiting for its partition's log to be applied is checked again. */
const WATERMARK_RETRY_MS = Number(process.env.TIMER_WATERMARK_RETRY_MS ?? 250);

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
 *
 * Breaches only on complete information (DESIGN.md §4): a due deadline
 * fires only once the timer has applied every event its partition's log
 * held at the deadline. The partition's high watermark is observed once,
 * at or after the due time, and pinned to the row (events appended later
 * are not needed); the row fires when the timer's applied offset has
 * reached it, and is handed back to the scheduler as not ready until then.
 * A touch logged before the deadline is therefore applied (and cancels the
 * deadline) first, however far the timer lags.
 */
@Injectable()
export class DeadlineScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;
  private readonly metrics: SlaMetrics;
  private readonly groupId: string;
  /** Per due row still pending: its partition's high watermark observed at or after its due time. */
  private readonly watermarks = new Map<string, bigint>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_DEFINITION) definition: ServiceDefinition,
    private readonly outbox: OutboxWriter,
    private readonly repository: TimerStateRepository,
    private readonly policies: PolicyLog,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    // The group the runtime consumes lead-events.v1 under: its stored offsets are what the timer has applied.
    this.groupId = consumerGroupOf(definition);
    // lead_sla_pending_deadlines is read at scrape time; the fire and watermark delays are observed per fired row.
    this.metrics = metrics.sla({ pendingDeadlines: () => this.repository.countPending(this.dataSource) });
    this.scheduler = new Scheduler(this, {
      name: 'deadline',
      horizonMs: HORIZON_MS,
      orphanGraceMs: ORPHAN_GRACE_MS,
      batchSize: FIRE_BATCH,
      retryMs: 1_000,
      readyRetryMs: WATERMARK_RETRY_MS,
      onClockStep: (step) => this.metrics.clockSteps.inc({ direction: step.direction }),
      now: () => clock.now(),
      logger,
    });
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
    // Rows of lost partitions are another instance's now; those kept are reloaded and observed again (still after their due time).
    this.watermarks.clear();
    this.scheduler.setPartitions(partitions);
  }

  offer(rows: readonly ScheduledRow[]): void {
    this.scheduler.offer(rows);
  }

  loadDue(partitions: readonly number[], window: { from: number; until: number }, orphanBefore: number): Promise<ScheduledRow[]> {
    return inTransaction(this.dataSource, (tx) => this.repository.pendingDue(tx, partitions, window, orphanBefore));
  }

  /** Fires the due rows whose partition the timer has applied up to their watermark; the others are not ready yet. */
  async fire(ids: readonly string[], now: Date): Promise<FireOutcome> {
    const pending = await inTransaction(this.dataSource, (tx) => this.repository.pendingAmong(tx, ids));
    const stillPending = new Set(pending.map((p) => p.deadlineId));
    // Cancelled (a touch applied meanwhile) or fired by another instance: nothing to wait for any more.
    for (const id of ids) if (!stillPending.has(id)) this.watermarks.delete(id);
    if (pending.length === 0) return { notReady: [] };
    await this.observeWatermarks(pending);
    // The applied offset only grows, so one read before the firing transaction stays true inside it.
    const applied = await inTransaction(this.dataSource, (tx) => this.repository.appliedOffsets(tx, this.groupId, Topics.leadEvents));
    // The scheduler's time (monotonic since start), not the wall clock, which may have stepped.
    const completeAt = now.getTime();
    const ready: PendingDeadline[] = [];
    const notReady: PendingDeadline[] = [];
    for (const p of pending) ((applied.get(p.partition) ?? 0n) >= (this.watermarks.get(p.deadlineId) ?? 0n) ? ready : notReady).push(p);
    for (const p of ready) {
      this.metrics.watermarkDelay.observe({ clock: p.clock }, Math.max(0, completeAt - p.dueAt) / 1000);
      this.watermarks.delete(p.deadlineId);
    }
    if (notReady.length > 0) {
      this.logger.debug('deadlines wait for the timer to apply their partition up to the deadline', {
        deadlines: notReady.length,
        waiting: [...new Set(notReady.map((p) => p.partition))].map((partition) => ({ partition, applied: String(applied.get(partition) ?? 0n) })),
      });
    }
    if (ready.length > 0) await this.fireComplete(ready.map((p) => p.deadlineId), now);
    return { notReady: notReady.map((p) => p.deadlineId) };
  }

  /** Pins, for each row seen due for the first time, its partition's high watermark as of now (at or after its due time). */
  private async observeWatermarks(pending: readonly PendingDeadline[]): Promise<void> {
    const unobserved = pending.filter((p) => !this.watermarks.has(p.deadlineId));
    if (unobserved.length === 0) return;
    const highs = await logEnd(this.kafka, Topics.leadEvents);
    for (const p of unobserved) {
      const high = highs.get(p.partition);
      if (high === undefined) throw new Error(`${Topics.leadEvents} has no partition ${p.partition} (deadline ${p.deadlineId}): the topic lost partitions; the deadline stays pending`);
      this.watermarks.set(p.deadlineId, high);
    }
  }

  private async fireComplete(ids: readonly string[], now: Date): Promise<void> {
    const { claimed, scheduled } = await this.outbox.transaction(async (tx, emit) => {
      const before = await this.repository.lockStatesOfDeadlines(tx, ids);
      const claimed = await this.repository.claimDue(tx, ids, now);
      // Each lead's deadlines fire under the policy in force on its partition (each clock also carries what it started under).
      let after = before;
      const fired: Array<FiredBatch['fired'][number]> = [];
      for (const partition of [...new Set(claimed.map((c) => c.partition))]) {
        const { policy } = await this.policies.inForce(tx, this.groupId, Topics.leadEvents, partition);
        const batch = fireBatch(after, claimed.filter((c) => c.partition === partition), now, { policy });
        after = batch.state;
        fired.push(...batch.fired);
      }
      const partitionOf = new Map(claimed.map((c) => [c.leadId, c.partition]));
      // Each fired event continues its row's stored trace through a fire span; the clock's next ladder step continues from that span.
      const sent = fired.map((f) => ({ event: f.event, headers: firedEventHeaders('timer', f.event, f.trace) }));
      const traceOf = new Map(sent.map((f) => [f.event.data.clockId, f.headers]));
      const scheduled = await this.repository.write(tx, timerChanges(before, after), (row) => ({ partition: partitionOf.get(row.leadId) ?? 0, trace: traceOf.get(row.clockId) ?? {} }));
      for (const f of sent) emit([f.event], f.headers);
      return { claimed, scheduled };
    });
    const committedAt = Date.now();
    for (const d of claimed) this.metrics.breachFireDelay.observe({ clock: d.clock }, Math.max(0, committedAt - d.dueAt) / 1000);
    this.scheduler.offer(scheduled);
  }
}
