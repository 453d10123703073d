import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { deterministicId } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { firedEventHeaders, OutboxWriter } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, ServiceWideScheduler, type DueItem } from '@lead-sla/service-runtime';
import { RoutingStateRepository, type PendingWakeUp } from '../route-event/routing-state.repository';

/**
 * Routing's wake-ups on the shared scheduler: when leads wait in the
 * unassigned queue, routing schedules a wake-up at each instant someone may
 * become able to take them with no event saying so (a coverage window opens,
 * a PTO ends, a shift override starts). Wake-ups are about the whole queue,
 * not a partition (ServiceWideScheduler). Firing publishes RoutingWakeUp
 * through the OutboxWriter with occurredAt = the due instant; routing
 * consumes it like any input and drains the queue as of that instant, so the
 * log alone replays the same decisions.
 */
@Injectable()
export class QueueWakeUpScheduler extends ServiceWideScheduler<PendingWakeUp> {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: RoutingStateRepository,
    private readonly outbox: OutboxWriter,
  ) {
    super({ name: 'routing wake-up', horizonMs: Number(process.env.ROUTING_WAKE_UP_HORIZON_MS ?? 60_000), batchSize: 100 }, clock, logger);
  }

  protected dueOf(w: PendingWakeUp): DueItem {
    return { id: w.wakeUpId, dueAt: w.dueAt };
  }

  protected pendingDue(window: { from: number; until: number }): Promise<PendingWakeUp[]> {
    return this.repository.pendingWakeUps({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, window);
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
        emit([event], firedEventHeaders('routing', event, w.trace));
      }
      return claimed.length;
    });
    if (fired > 0) this.logger.info('routing woke up to drain the unassigned queue', { count: fired });
  }
}
