import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Clock, Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { currentReplay } from './replay/decision-clock';

/** What a service-wide schedule holds of each due item: its id and when it is due. */
export interface DueItem {
  readonly id: string;
  readonly dueAt: Date;
}

export interface ServiceWideSchedulerOptions {
  /** For the log ("routing wake-up", "re-qualification"). */
  readonly name: string;
  /** How far ahead due items are held in memory; the rest stay rows until a refill reaches them. */
  readonly horizonMs: number;
  readonly batchSize: number;
}

/** Every instance holds every row of a service-wide schedule: one pseudo-partition. */
const ALL = 0;

/**
 * Timed work of a service whose rows are not split by partition (a wake-up
 * about a whole queue, a re-qualification about a contact whose leads sit on
 * several partitions): every instance holds them all on the shared scheduler
 * (libs/scheduler), and the claim in `fire` makes each fire once. Idle in a
 * replay, which re-decides what the log holds: what fired then is in the log.
 * A subclass says where its due rows are (`pendingDue`) and what firing does.
 */
export abstract class ServiceWideScheduler<T> implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;

  protected constructor(options: ServiceWideSchedulerOptions, clock: Clock, logger: Logger) {
    this.scheduler = new Scheduler(this, { ...options, orphanGraceMs: 0, retryMs: 1_000, now: () => clock.now(), logger });
  }

  /** The id and due time of one of the subclass's items. */
  protected abstract dueOf(item: T): DueItem;

  /** The due items in [from, until) that have not fired. */
  protected abstract pendingDue(window: { from: number; until: number }): Promise<readonly T[]>;

  /** Fires the due items with these ids, once across instances (claim them in the same transaction). */
  abstract fire(ids: readonly string[], now: Date): Promise<void>;

  onApplicationBootstrap(): void {
    if (currentReplay()) return;
    this.scheduler.start();
    this.scheduler.setPartitions([ALL]);
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
  }

  /** Items just committed by the consumer. */
  offer(items: readonly T[]): void {
    this.scheduler.offer(items.map((i) => rowOf(this.dueOf(i))));
  }

  async loadDue(_partitions: readonly number[], window: { from: number; until: number }): Promise<ScheduledRow[]> {
    return (await this.pendingDue(window)).map((i) => rowOf(this.dueOf(i)));
  }
}

function rowOf(item: DueItem): ScheduledRow {
  return { id: item.id, dueAt: item.dueAt.getTime(), partition: ALL };
}
