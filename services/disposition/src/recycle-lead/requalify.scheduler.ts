import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { firedEventHeaders, OutboxWriter } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, ServiceWideScheduler, type DueItem } from '@lead-sla/service-runtime';
import { ContactStateRepository, type DueEntry } from '../contact-state/contact-state.repository';
import { fireDueRequalifications } from './recycle-lead.decider';

/**
 * The re-qualification time trigger on the shared scheduler: due times are
 * rows in `disposition.requalify_due`. One contact's leads may sit on
 * several partitions, so the rows are service-wide (ServiceWideScheduler);
 * the contact lock plus the pending check make each fire once. Firing is one
 * transaction through the OutboxWriter: per due contact (in key order), lock
 * it, re-check its rows are still pending and due, fold the re-qualification
 * into its state, mark the rows done, and publish LeadRequalified with the
 * trace context of the recycle that scheduled it.
 */
@Injectable()
export class RequalifyScheduler extends ServiceWideScheduler<DueEntry> {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: ContactStateRepository,
    private readonly outbox: OutboxWriter,
  ) {
    super({ name: 're-qualification', horizonMs: Number(process.env.DISPOSITION_REQUALIFY_HORIZON_MS ?? 60_000), batchSize: 500 }, clock, logger);
  }

  protected dueOf(e: DueEntry): DueItem {
    return { id: e.recycledEventId, dueAt: e.requalifyAt };
  }

  protected pendingDue(window: { from: number; until: number }): Promise<DueEntry[]> {
    return this.repository.pendingDue({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, window);
  }

  async fire(ids: readonly string[], now: Date): Promise<void> {
    const fired = await this.outbox.transaction(async (tx, emit) => {
      let count = 0;
      for (const contactKey of await this.repository.dueContacts(tx, ids, now)) {
        const before = await this.repository.load(tx, { leadIds: [], contactKeys: [contactKey] });
        const rows = await this.repository.dueRows(tx, contactKey, now);
        if (rows.length === 0) continue; // fired by another instance, or cancelled since it was loaded
        const { state: next, events } = fireDueRequalifications(before.contacts[contactKey], now);
        await this.repository.markDone(tx, rows.map((r) => r.recycledEventId), now);
        // Rows the state no longer calls for (none normally) are cancelled by save.
        await this.repository.save(tx, before, { ...before, contacts: { ...before.contacts, [contactKey]: next } });
        const traceOf = new Map(rows.map((r) => [r.recycledEventId, r.trace]));
        for (const e of events) emit([e], firedEventHeaders('disposition', e, traceOf.get(e.causationId ?? '') ?? {}));
        count += events.filter((e) => e.type === 'LeadRequalified').length;
      }
      return count;
    });
    if (fired > 0) this.logger.info('re-qualified recycled leads by time', { count: fired });
  }
}
