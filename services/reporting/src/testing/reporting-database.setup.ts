import type { LeadEvent } from '@lead-sla/contracts';
import { uniqueKeys } from '@lead-sla/messaging';
import { foldInputs } from '@lead-sla/decider';
import { testDatabase } from '@lead-sla/testing';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { reportingMigrations } from '../migrations';
import { ProjectionStore } from '../project-events/projection-store.repository';
import { ReportingDeciderService } from '../project-events/reporting-decider.service';

/**
 * "Medium" test setup (immich style): the real repositories on a real
 * Postgres, no Kafka. `sut` is the HTTP read repository; `ctx.project`
 * writes events through the consumer's own load → fold → save path, one
 * transaction per call, like one consumer batch.
 */
export async function setup() {
  const db = await testDatabase({ service: 'reporting', schema: 'reporting', migrations: reportingMigrations });
  const store = new ProjectionStore();
  const projections = new ReportingDeciderService(store);
  const sut = new ReportingQueries(db.dataSource);
  const ctx = {
    ...db,
    store,
    project(events: readonly LeadEvent[]): Promise<void> {
      return db.tx(async (tx) => {
        const before = await projections.load(tx, uniqueKeys(projections, events), events);
        const { state } = foldInputs(projections, before, events, () => null, new Date());
        await store.save(tx, before, state, { notify: false, cells: true });
      });
    },
  };
  return { sut, ctx };
}
