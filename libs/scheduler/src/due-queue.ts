import { MinHeap } from './min-heap';

export interface DueEntry {
  readonly id: string;
  /** Epoch ms. */
  readonly dueAt: number;
}

/**
 * The in-memory near future of scheduled work (DESIGN.md §4): the pending
 * rows due before `loadedUntil`, in a heap. Pure bookkeeping, no timers and
 * no I/O, so the scheduler's logic runs on a fake clock in unit tests.
 *
 * Rows due after `loadedUntil` are not held: the next refill loads them. A
 * committed row inside the horizon is offered directly (no wait for a refill).
 */
export class DueQueue {
  private readonly heap = new MinHeap<DueEntry>();
  private readonly queued = new Set<string>();
  /** Taken rows their work said are not ready yet: out of the heap until released, still known so refills do not add them twice. */
  private readonly held = new Map<string, DueEntry>();
  private owned = new Set<number>();
  private loadedUntil = 0;
  private refills = 0;

  /**
   * @param fullEvery every n-th refill reloads the whole window, the others
   *   only what lies beyond the last one: rows inside it were held already
   *   or offered on commit, and a full reload of a busy minute (tens of
   *   thousands of rows) would stall the event loop each time.
   */
  constructor(
    readonly horizonMs: number,
    private readonly fullEvery = 10,
  ) {}

  get size(): number {
    return this.heap.size;
  }

  get partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** New partitions after a rebalance: forget everything, the next refill loads the new set. */
  assign(partitions: readonly number[]): void {
    this.owned = new Set(partitions);
    this.forget();
  }

  /** Drop what is held (also after a failed fire: the rows are still pending and are reloaded). */
  forget(): void {
    this.heap.clear();
    this.queued.clear();
    this.held.clear();
    this.loadedUntil = 0;
  }

  /** The next refill's window: load pending rows due in [from, until). `from` is 0 for a full reload. */
  nextWindow(now: number): { from: number; until: number } {
    const full = this.loadedUntil === 0 || this.refills % this.fullEvery === 0;
    this.refills += 1;
    return { from: full ? 0 : this.loadedUntil, until: now + this.horizonMs };
  }

  /** A refill's result: every pending row due before `until`. */
  loaded(entries: readonly DueEntry[], until: number): void {
    for (const e of entries) this.push(e);
    this.loadedUntil = Math.max(this.loadedUntil, until);
  }

  /** A row this instance just committed. Returns whether it is now held. */
  offer(entry: DueEntry, partition: number): boolean {
    if (!this.owned.has(partition) || entry.dueAt >= this.loadedUntil) return false;
    this.push(entry);
    return true;
  }

  /** Removes and returns up to `max` rows due at or before `now`, earliest first. */
  takeDue(now: number, max: number): DueEntry[] {
    const due: DueEntry[] = [];
    while (due.length < max) {
      const next = this.heap.peek();
      if (!next || next.dueAt > now) break;
      this.heap.pop();
      this.queued.delete(next.id);
      due.push(next);
    }
    return due;
  }

  /** Taken rows that are not ready to fire yet: kept aside (not dropped) until `release`. */
  hold(entries: readonly DueEntry[]): void {
    for (const e of entries) {
      this.held.set(e.id, e);
      this.queued.add(e.id);
    }
  }

  /** Puts the held rows back in the heap (they are due, so the next take returns them). Returns how many. */
  release(): number {
    const n = this.held.size;
    for (const e of this.held.values()) this.heap.push(e);
    this.held.clear();
    return n;
  }

  /** When the earliest held deadline is due, if any. */
  nextDueAt(): number | undefined {
    return this.heap.peek()?.dueAt;
  }

  private push(e: DueEntry): void {
    if (this.queued.has(e.id)) return;
    this.queued.add(e.id);
    this.heap.push(e);
  }
}
