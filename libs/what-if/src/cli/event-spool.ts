import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LeadEvent } from '@lead-sla/contracts';

/** The sort key's width: recorded time (ms), partition, offset, each zero-padded, so keys compare as strings. */
const KEY_WIDTH = 15 + 1 + 6 + 1 + 20;

function sortKey(recordedAtMs: number, partition: number, offset: bigint): string {
  return `${String(recordedAtMs).padStart(15, '0')}\t${String(partition).padStart(6, '0')}\t${offset.toString().padStart(20, '0')}`;
}

/**
 * Events kept on disk in recorded order (ties: partition, then offset — the
 * order the what-if replays the log in), so a month of events is streamed
 * instead of held: `add` buffers up to `runSize` events, sorts them and
 * writes them as one sorted run file; `events()` merges the runs, reading
 * one line of each at a time. Memory: one run while writing, one line per
 * run while reading. The folder is removed by `dispose()`.
 */
export class EventSpool {
  private readonly dir: string;
  private readonly runs: string[] = [];
  private buffer: Array<{ key: string; json: string }> = [];
  private count = 0;

  constructor(
    label: string,
    private readonly runSize = 20_000,
    parent = tmpdir(),
  ) {
    this.dir = mkdtempSync(join(parent, `lead-sla-what-if-${label}-`));
  }

  /** Events added so far. */
  get size(): number {
    return this.count;
  }

  add(event: LeadEvent, partition: number, offset: bigint): void {
    const at = Date.parse(event.recordedAt);
    if (Number.isNaN(at)) throw new Error(`what-if: event ${event.eventId} (${event.type}) has no valid recordedAt ("${event.recordedAt}")`);
    this.buffer.push({ key: sortKey(at, partition, offset), json: JSON.stringify(event) });
    this.count++;
    if (this.buffer.length >= this.runSize) this.flush();
  }

  /** Every event added, in recorded order; can be read more than once (once per simulated run). */
  async *events(): AsyncGenerator<LeadEvent> {
    this.flush();
    const readers = this.runs.map((file) => createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity })[Symbol.asyncIterator]());
    try {
      const heads: Array<string | null> = await Promise.all(readers.map(async (r) => (await r.next()).value ?? null));
      for (;;) {
        // A linear scan: a month is a handful of runs, fewer than a heap would pay off for.
        let min = -1;
        for (let i = 0; i < heads.length; i++) {
          const line = heads[i];
          if (line !== null && (min < 0 || line.slice(0, KEY_WIDTH) < heads[min]!.slice(0, KEY_WIDTH))) min = i;
        }
        if (min < 0) return;
        const line = heads[min]!;
        heads[min] = (await readers[min].next()).value ?? null;
        yield JSON.parse(line.slice(KEY_WIDTH + 1)) as LeadEvent;
      }
    } finally {
      for (const r of readers) await r.return?.();
    }
  }

  /** Removes the spool's files. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.buffer.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const file = join(this.dir, `run-${String(this.runs.length).padStart(5, '0')}.ndjson`);
    writeFileSync(file, this.buffer.map((b) => `${b.key}\t${b.json}\n`).join(''));
    this.runs.push(file);
    this.buffer = [];
  }
}
