import { Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { BatchHandlerContext, BatchItem, HandlerContext } from '@lead-sla/messaging';
import type { LeadEventHandler } from '@lead-sla/service-runtime';
import { clockIdsOf, leadIdsOf, projectBatch } from './projection-batch';
import { ProjectionStore } from './projection-store.repository';

/**
 * Applies every reporting projection to a batch inside the consumer's
 * transaction (so with the offset): load the touched lead rows in one
 * query, fold the batch in memory, write each table with one statement,
 * and notify board listeners at commit. Bound as the service's
 * EVENT_HANDLER: the runtime's consumer calls handleBatch first and falls
 * back to `handle`, message by message, when a batch fails.
 */
@Injectable()
export class ReportingProjectionHandler implements LeadEventHandler {
  private readonly store = new ProjectionStore();

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    await this.apply([event], ctx);
  }

  async handleBatch(items: readonly BatchItem[], ctx: Pick<BatchHandlerContext, 'tx'>): Promise<void> {
    await this.apply(items.map((i) => i.event), ctx);
  }

  async apply(events: readonly LeadEvent[], ctx: Pick<BatchHandlerContext, 'tx'>): Promise<void> {
    const stored = await this.store.loadLeadRows(ctx.tx, leadIdsOf(events));
    const clocks = await this.store.loadClockInstances(ctx.tx, clockIdsOf(events));
    const changes = projectBatch(stored, events, clocks);
    await this.store.write(ctx.tx, changes, true);
  }
}
