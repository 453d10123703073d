/** Timed work of the simulation: a timer deadline or a re-qualification, due at `dueAt` (ms). */
export type DueItem =
  | { readonly kind: 'deadline'; readonly dueAt: number; readonly id: string; readonly leadId: string }
  | { readonly kind: 'requalify'; readonly dueAt: number; readonly id: string; readonly contactKey: string };

const before = (a: DueItem, b: DueItem) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);

/**
 * The simulated scheduler: a binary min-heap by due time (ties by id, so a
 * run is deterministic). A cancelled deadline stays queued and fires
 * nothing, exactly as a row cancelled after it was loaded does live.
 */
export class DueQueue {
  private readonly heap: DueItem[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(item: DueItem): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  /** The next item due strictly before `until` (ms), removed; null when none is. */
  popBefore(until: number): DueItem | null {
    const h = this.heap;
    if (h.length === 0 || h[0].dueAt >= until) return null;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
