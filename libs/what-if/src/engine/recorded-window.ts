import type { LeadEvent } from '@lead-sla/contracts';

/** Events in recorded order, from memory or streamed (a spool on disk, the log). */
export type EventStream = Iterable<LeadEvent> | AsyncIterable<LeadEvent>;

/**
 * How far ahead of (and behind) the simulated clock the platform's recorded
 * decisions are kept. A decision is recorded after its cause (the service's
 * processing delay, a deadline's fire delay), so while the simulation is at
 * instant t it can only ask for decisions recorded in [t, t + lag]. One day
 * covers any delay short of an outage; memory holds one day of decisions
 * instead of the whole log.
 */
export const RECORDED_LOOKAHEAD_MS = 24 * 3_600_000;

/**
 * The platform's recorded decisions, read from a stream in recorded order
 * as the simulation advances: `fillUntil(t)` reads every decision recorded
 * up to t, `timeOf(id)` answers for those held, and `evictBefore(t)` lets go
 * of those recorded before t, telling `onEvicted` (the exactness check
 * counts one never decided by then as missing). Memory: the decisions of
 * the lookahead window, whatever the period's length.
 */
export class RecordedDecisionWindow {
  private readonly byId = new Map<string, LeadEvent>();
  private readonly held: LeadEvent[] = [];
  private head = 0;
  private readonly iterator: Iterator<LeadEvent> | AsyncIterator<LeadEvent>;
  private next: LeadEvent | null = null;
  private exhausted = false;
  private readUntil = Number.NEGATIVE_INFINITY;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    stream: EventStream,
    private readonly onRead: (decision: LeadEvent) => void = () => undefined,
    private readonly onEvicted: (decision: LeadEvent) => void = () => undefined,
  ) {
    this.iterator = Symbol.asyncIterator in stream ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]();
  }

  /** Decisions held now (the window's size). */
  get size(): number {
    return this.held.length - this.head;
  }

  /** True when `fillUntil(until)` has something to read (lets a caller skip an await per fact). */
  needs(until: number): boolean {
    return !this.exhausted && until > this.readUntil;
  }

  /** Reads every decision recorded at or before `until` (ms). The stream must be in recorded order. */
  async fillUntil(until: number): Promise<void> {
    if (!this.needs(until)) return;
    for (;;) {
      if (this.next === null) {
        const step = await this.iterator.next();
        if (step.done) {
          this.exhausted = true;
          break;
        }
        this.next = step.value;
      }
      const at = Date.parse(this.next.recordedAt);
      if (at > until) break;
      if (at < this.lastAt) {
        throw new Error(`what-if: recorded decisions out of order: ${this.next.type} ${this.next.eventId} (${this.next.recordedAt}) came after one recorded at ${new Date(this.lastAt).toISOString()}; the stream must be sorted by recorded time`);
      }
      this.lastAt = at;
      this.byId.set(this.next.eventId, this.next);
      this.held.push(this.next);
      this.onRead(this.next);
      this.next = null;
    }
    this.readUntil = until;
  }

  /** When the platform recorded the decision with this id, if it is in the window. */
  timeOf(eventId: string): string | undefined {
    return this.byId.get(eventId)?.recordedAt;
  }

  /** Lets go of the decisions recorded before `before` (ms), oldest first. */
  evictBefore(before: number): void {
    while (this.head < this.held.length && Date.parse(this.held[this.head].recordedAt) < before) {
      const decision = this.held[this.head];
      this.held[this.head++] = undefined as unknown as LeadEvent;
      this.byId.delete(decision.eventId);
      this.onEvicted(decision);
    }
    // Compact now and then, so the array does not keep the whole history's slots.
    if (this.head > 4096 && this.head * 2 > this.held.length) {
      this.held.splice(0, this.head);
      this.head = 0;
    }
  }
}
