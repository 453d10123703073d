import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { deterministicId } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { OutboxWriter } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, currentReplay, DATA_SOURCE, LOGGER } from '@lead-sla/service-runtime';
import { RoutingStateRepository, type PendingWakeUp } from '../route-event/routing-state.repository';

/** How far ahead the scheduler holds wake-ups in memory; the rest stay rows until a refill reaches them. */
const HORIZON_MS = Number(process.env.ROUTING_WAKE_UP_HORIZON_MS ?? 60_000);
/** Wake-ups are about the whole queue, not a partition: every instance holds them all, the claim makes each fire once. */
const ALL = 0;
const rowOf = (w: PendingWakeUp): ScheduledRow => ({ id: w.wakeUpId, dueAt: w.dueAt.getTime(), partition: ALL });

/**
 * Routing's wake-ups on the shared scheduler (libs/scheduler): when leads
 * wait in the unassigned queue, routing schedules a wake-up at each instant
 * someone may become able to take them with no event saying so (a coverage
 * window opens, a PTO ends, a shift override starts). Firing publishes
 * RoutingWakeUp through the OutboxWriter with occurredAt = the due instant;
 * routing consumes it like any input and drains the queue as of that
 * instant, so the log alone replays the same decisions.
 */
@Injectable()
export class QueueWakeUpScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: RoutingStateRepository,
    private readonly outbox: OutboxWriter,
  ) {
    this.scheduler = new Scheduler(this, { name: 'routing wake-up', horizonMs: HORIZON_MS, orphanGraceMs: 0, batchSize: 100, retryMs: 1_000, now: () => clock.now(), logger });
  }

  onApplicationBootstrap(): void {
    // A replay re-decides what the log holds: the wake-ups that fired then are in the log already.
    if (currentReplay()) return;
    this.scheduler.start();
    this.scheduler.setPartitions([ALL]);
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
  }

  /** Wake-ups just committed by the consumer. */
  offer(wakeUps: readonly PendingWakeUp[]): void {
    this.scheduler.offer(wakeUps.map(rowOf));
  }

  async loadDue(_partitions: readonly number[], window: { from: number; until: number }): Promise<ScheduledRow[]> {
    const rows = await this.repository.pendingWakeUps({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, window);
    return rows.map(rowOf);
  }

  async fire(ids: readonly string[], now: Date): Promise<void> {
    const fired = await this.outbox.transaction(async (tx, emit) => {
      const claimed = await this.repository.claimWakeUps(tx, ids, now);
      for (const w of claimed) {
        const event = buildEvent({
          type: 'RoutingWakeUp',
          eventId: deterministicId(w.wakeUpId, 'fired', 'RoutingWakeUp'),
          occurredAt: w.data.dueAt,
          recordedAt: now,
          leadId: null,
          correlationId: w.wakeUpId,
          causationId: null,
          data: w.data,
        });
        emit([event], w.trace);
      }
      return claimed.length;
    });
    if (fired > 0) this.logger.info('routing woke up to drain the unassigned queue', { count: fired });
  }
}
