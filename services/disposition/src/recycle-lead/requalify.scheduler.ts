import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutboxWriter } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, currentReplay, DATA_SOURCE, LOGGER } from '@lead-sla/service-runtime';
import { ContactStateRepository, type DueEntry } from '../contact-state/contact-state.repository';
import { fireDueRequalifications } from './recycle-lead.decider';

/** How far ahead the scheduler holds due times in memory; the rest stay rows until a refill reaches them. */
const HORIZON_MS = Number(process.env.DISPOSITION_REQUALIFY_HORIZON_MS ?? 60_000);
/**
 * One contact's leads may sit on several partitions, so re-qualification
 * rows are not split by partition: every instance holds them all (one
 * pseudo-partition), and the contact lock plus the pending check make each
 * fire once.
 */
const ALL = 0;
const rowOf = (e: DueEntry): ScheduledRow => ({ id: e.recycledEventId, dueAt: e.requalifyAt.getTime(), partition: ALL });

/**
 * The re-qualification time trigger on the shared scheduler (libs/scheduler):
 * due times are rows in `disposition.requalify_due`; this class is the
 * disposition-specific part. Firing is one transaction through the
 * OutboxWriter: per due contact (in key order), lock it, re-check its rows
 * are still pending and due, fold the re-qualification into its state, mark
 * the rows done, and publish LeadRequalified with the trace context of the
 * recycle that scheduled it.
 */
@Injectable()
export class RequalifyScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: ContactStateRepository,
    private readonly outbox: OutboxWriter,
  ) {
    this.scheduler = new Scheduler(this, { name: 're-qualification', horizonMs: HORIZON_MS, orphanGraceMs: 0, batchSize: 500, retryMs: 1_000, now: () => clock.now(), logger });
  }

  onApplicationBootstrap(): void {
    // A replay re-decides what the log holds: what fired then is in the log already.
    if (currentReplay()) return;
    this.scheduler.start();
    this.scheduler.setPartitions([ALL]);
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
  }

  /** Due rows just committed by the consumer. */
  offer(entries: readonly DueEntry[]): void {
    this.scheduler.offer(entries.map(rowOf));
  }

  async loadDue(_partitions: readonly number[], window: { from: number; until: number }): Promise<ScheduledRow[]> {
    const rows = await this.repository.pendingDue({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, window);
    return rows.map(rowOf);
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
        for (const e of events) emit([e], traceOf.get(e.causationId ?? '') ?? {});
        count += events.filter((e) => e.type === 'LeadRequalified').length;
      }
      return count;
    });
    if (fired > 0) this.logger.info('re-qualified recycled leads by time', { count: fired });
  }
}
