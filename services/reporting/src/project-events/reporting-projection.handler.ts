import type { LeadEvent } from '@lead-sla/contracts';
import type { BatchHandlerContext, BatchItem } from '@lead-sla/messaging';
import { clockIdsOf, leadIdsOf, projectBatch } from './projection-batch';
import { ProjectionStore } from './projection-store.repository';

/**
 * Applies every reporting projection to a batch inside the consumer's
 * transaction (so with the offset): load the touched lead rows in one
 * query, fold the batch in memory, write each table with one statement,
 * and notify board listeners at commit.
 */
export class ReportingProjectionHandler {
  constructor(private readonly store: ProjectionStore = new ProjectionStore()) {}

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
