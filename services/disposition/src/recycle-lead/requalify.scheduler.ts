import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { insertOutboxRows, outboxRowForEvent } from '@lead-sla/messaging';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, MessagingLifecycle } from '@lead-sla/service-runtime';
import { ContactStateRepository, type DueEntry } from '../contact-state/contact-state.repository';
import { DueQueue } from './due-queue';
import { fireDueRequalifications } from './recycle-lead.decider';

/** How far ahead the scheduler holds due times in memory; the rest stay rows until a refill reaches them. */
const HORIZON_MS = Number(process.env.DISPOSITION_REQUALIFY_HORIZON_MS ?? 60_000);
const FIRE_BATCH = 500;
const REFILL_LIMIT = 50_000;
const RETRY_MS = 1000;

/**
 * The re-qualification time trigger (DESIGN.md §4, as the timer does it):
 * due times are rows in `disposition.requalify_due`; only the next
 * HORIZON_MS is held in memory, refilled by an indexed query, with one
 * timer armed for the earliest entry. Firing one contact is one
 * transaction: lock the contact, re-check its rows are still pending and
 * due, decide (`requalifyDue`), persist the state, mark the rows done and
 * write the events to the outbox. Every instance may hold the same rows;
 * the contact lock and the pending check make each fire exactly once.
 */
@Injectable()
export class RequalifyScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly queue = new DueQueue();
  private loadedUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private firing = false;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: ContactStateRepository,
    private readonly messaging: MessagingLifecycle,
  ) {}

  onApplicationBootstrap(): void {
    this.refillTimer = setInterval(() => void this.refill(), HORIZON_MS / 2);
    // Due times that passed while the service was down fire right after start.
    void this.refill();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refillTimer) clearInterval(this.refillTimer);
  }

  /** Due rows just committed by the consumer: hold those inside the loaded horizon (later ones wait for a refill). */
  offer(entries: readonly DueEntry[]): void {
    let added = false;
    for (const e of entries) {
      if (e.requalifyAt.getTime() >= this.loadedUntil) continue;
      this.queue.push({ id: e.recycledEventId, contactKey: e.contactKey, dueAt: e.requalifyAt.getTime() });
      added = true;
    }
    if (added) this.arm();
  }

  private async refill(): Promise<void> {
    if (this.stopped) return;
    const until = new Date(this.clock.now().getTime() + HORIZON_MS);
    try {
      const rows = await this.repository.dueBefore({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, until, REFILL_LIMIT);
      for (const r of rows) this.queue.push({ id: r.recycledEventId, contactKey: r.contactKey, dueAt: r.requalifyAt.getTime() });
      // A full page may hide later rows inside the horizon: only claim the horizon up to the last row read.
      this.loadedUntil = rows.length === REFILL_LIMIT ? rows[rows.length - 1].requalifyAt.getTime() : until.getTime();
      this.arm();
    } catch (error) {
      this.logger.error('loading due re-qualifications failed; retrying at the next refill', { error });
    }
  }

  private arm(): void {
    if (this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.queue.peek();
    if (!next) return;
    const delay = Math.max(0, next.dueAt - this.clock.now().getTime());
    this.timer = setTimeout(() => void this.fireDue(), Math.min(delay, HORIZON_MS));
  }

  private async fireDue(): Promise<void> {
    if (this.stopped || this.firing) return;
    this.firing = true;
    try {
      const due = this.queue.popDue(this.clock.now().getTime(), FIRE_BATCH);
      // Sorted, so two instances firing overlapping batches lock contacts in the same order.
      const contacts = [...new Set(due.map((d) => d.contactKey))].sort();
      if (contacts.length > 0) await this.fire(contacts);
    } catch (error) {
      this.logger.error('firing re-qualifications failed; the rows stay pending and are retried', { error });
      this.loadedUntil = 0;
      setTimeout(() => void this.refill(), RETRY_MS);
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private async fire(contactKeys: readonly string[]): Promise<void> {
    const now = this.clock.now();
    const fired = await inTransaction(this.dataSource, async (tx) => {
      let count = 0;
      for (const contactKey of contactKeys) {
        const before = await this.repository.load(tx, { leadIds: [], contactKeys: [contactKey] });
        const rows = await this.repository.dueRows(tx, contactKey, now);
        if (rows.length === 0) continue; // fired by another instance, or cancelled since it was loaded
        const { state: next, events } = fireDueRequalifications(before.contacts[contactKey], now);
        await this.repository.markDone(tx, rows.map((r) => r.recycledEventId), now);
        // Rows the state no longer calls for (none normally) are cancelled by save.
        await this.repository.save(tx, before, { ...before, contacts: { ...before.contacts, [contactKey]: next } });
        await insertOutboxRows(tx, 'disposition', events.map((e) => outboxRowForEvent(e, {})));
        count += events.filter((e) => e.type === 'LeadRequalified').length;
      }
      return count;
    });
    if (fired > 0) {
      this.logger.info('re-qualified recycled leads by time', { count: fired });
      this.messaging.relay.kick();
    }
  }
}
