/** An entry the scheduler holds: a due time and the contact it belongs to. */
export interface QueuedDue {
  readonly id: string;
  readonly contactKey: string;
  readonly dueAt: number;
}

/**
 * A min-heap of the near-future due times, earliest first, holding each id
 * once (a row offered after commit and loaded by a refill is the same row).
 */
export class DueQueue {
  private readonly heap: QueuedDue[] = [];
  private readonly ids = new Set<string>();

  get size(): number {
    return this.heap.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  peek(): QueuedDue | undefined {
    return this.heap[0];
  }

  push(entry: QueuedDue): void {
    if (this.ids.has(entry.id)) return;
    this.ids.add(entry.id);
    this.heap.push(entry);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent].dueAt <= this.heap[i].dueAt) break;
      [this.heap[parent], this.heap[i]] = [this.heap[i], this.heap[parent]];
      i = parent;
    }
  }

  /** Removes and returns every entry due at or before `now`, earliest first (at most `limit`). */
  popDue(now: number, limit: number): QueuedDue[] {
    const out: QueuedDue[] = [];
    while (out.length < limit && this.heap.length > 0 && this.heap[0].dueAt <= now) out.push(this.pop());
    return out;
  }

  clear(): void {
    this.heap.length = 0;
    this.ids.clear();
  }

  private pop(): QueuedDue {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < this.heap.length && this.heap[l].dueAt < this.heap[min].dueAt) min = l;
        if (r < this.heap.length && this.heap[r].dueAt < this.heap[min].dueAt) min = r;
        if (min === i) break;
        [this.heap[min], this.heap[i]] = [this.heap[i], this.heap[min]];
        i = min;
      }
    }
    this.ids.delete(top.id);
    return top;
  }
}
