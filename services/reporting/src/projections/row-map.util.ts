/**
 * An immutable map of read-model rows by key, cheap to "change" one row at a
 * time: the pure fold of a batch returns a new state per event, and copying a
 * plain Map of thousands of rows per event would make a replay quadratic.
 * Rows are spread over fixed buckets, so `set` copies the bucket index and
 * one small bucket, and the previous map stays intact (the runtime diffs the
 * state before the batch with the state after it).
 */
const BUCKETS = 64;

function bucketOf(key: string): number {
  // FNV-1a: spreads similar keys (lead-1, lead-2, …) over the buckets.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

export class RowMap<V> {
  private constructor(
    private readonly buckets: ReadonlyArray<ReadonlyMap<string, V> | undefined>,
    readonly size: number,
  ) {}

  static empty<V>(): RowMap<V> {
    return new RowMap<V>(new Array(BUCKETS).fill(undefined), 0);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): RowMap<V> {
    const buckets: Array<Map<string, V> | undefined> = new Array(BUCKETS).fill(undefined);
    let size = 0;
    for (const [key, value] of entries) {
      const b = bucketOf(key);
      const bucket = (buckets[b] ??= new Map());
      if (!bucket.has(key)) size++;
      bucket.set(key, value);
    }
    return new RowMap(buckets, size);
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) ?? false;
  }

  /** This map with `key` set to `value`; the same map when the value is already there. */
  set(key: string, value: V): RowMap<V> {
    const b = bucketOf(key);
    const bucket = this.buckets[b];
    if (bucket?.get(key) === value && bucket.has(key)) return this;
    const next = new Map(bucket ?? []);
    next.set(key, value);
    const buckets = [...this.buckets];
    buckets[b] = next;
    return new RowMap(buckets, this.size + (bucket?.has(key) ? 0 : 1));
  }

  *entries(): IterableIterator<[string, V]> {
    for (const bucket of this.buckets) if (bucket) yield* bucket.entries();
  }

  values(): V[] {
    return [...this.entries()].map(([, v]) => v);
  }
}
