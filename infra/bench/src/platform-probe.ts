import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { logEnd, type KafkaClient } from '@lead-sla/messaging';

/** The 1-minute load average, to print beside every figure (the machine is shared). */
export const loadAverage = (): number => Math.round(loadavg()[0] * 100) / 100;

/** Per-partition end offsets of the lead-events topic, as a plain record. */
export async function topicEnd(kafka: KafkaClient, topic: string = Topics.leadEvents): Promise<Map<number, bigint>> {
  return new Map(await logEnd(kafka, topic));
}

export interface CatchUp {
  /** Events behind, summed over every service's consumer group and partition. */
  readonly lag: bigint;
  /** Events written to an outbox and not yet on the topic, over every service. */
  readonly outboxed: number;
  /** The topic's end the lag was measured against, as "partition:offset,…". */
  readonly end: string;
}

/**
 * How far the platform is behind the log: each consuming service's database
 * offset (the truth the consumer commits with its state) against the topic's
 * end, and what sits in every service's outbox. Cheap queries only.
 */
export async function catchUp(db: Client, kafka: KafkaClient, schemas: readonly string[], consuming: readonly string[]): Promise<CatchUp> {
  const end = await topicEnd(kafka);
  let lag = 0n;
  let outboxed = 0;
  for (const schema of schemas) {
    outboxed += (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n;
  }
  for (const schema of consuming) {
    const offsets = await db.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE topic = $1`,
      [Topics.leadEvents],
    );
    const at = new Map(offsets.rows.map((r) => [r.partition, BigInt(r.next_offset)]));
    for (const [partition, e] of end) lag += e - (at.get(partition) ?? 0n) > 0n ? e - (at.get(partition) ?? 0n) : 0n;
  }
  return { lag, outboxed, end: [...end].map(([p, o]) => `${p}:${o}`).join(',') };
}

/**
 * Waits until every consumer group has applied every event on the topic and
 * every outbox is empty, twice in a row with the topic end unchanged (so no
 * decision is still on its way). Polls once a second: the probe must not load
 * the machine it measures. Resolves with the instant it first saw the platform
 * caught up.
 */
export async function waitCaughtUp(db: Client, kafka: KafkaClient, schemas: readonly string[], consuming: readonly string[], timeoutMs: number, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  let candidate: { at: number; end: string } | null = null;
  let lastLog = 0;
  while (Date.now() - started < timeoutMs) {
    const state = await catchUp(db, kafka, schemas, consuming);
    if (state.lag === 0n && state.outboxed === 0) {
      if (candidate && candidate.end === state.end) return candidate.at;
      candidate = { at: Date.now(), end: state.end };
    } else {
      candidate = null;
      if (Date.now() - lastLog > 10_000) {
        log(`waiting: ${state.lag} events behind over ${consuming.length} consumer groups, ${state.outboxed} in outboxes`);
        lastLog = Date.now();
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the platform did not catch up within ${timeoutMs / 1000} s (see the service logs of this run)`);
}

/**
 * Samples one service's stored offsets (the ones it commits with its state)
 * every `intervalMs` on a connection of its own, so that afterwards it can
 * tell when a given record had been applied: the first sample whose offset
 * covers it. A lag measured this way is over-stated by at most one interval.
 */
export class OffsetSampler {
  private readonly samples: Array<{ at: number; next: Map<number, bigint> }> = [];
  private db: Client | null = null;
  private loop: Promise<void> | null = null;
  private running = false;

  constructor(private readonly databaseUrl: string, private readonly schema: string, private readonly intervalMs: number, private readonly topic: string = Topics.leadEvents) {}

  async start(): Promise<void> {
    this.db = new Client({ connectionString: this.databaseUrl });
    await this.db.connect();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const rows = await this.db!.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM "${this.schema}".consumer_offsets WHERE group_id = $1 AND topic = $2`, [`lead-sla.${this.schema}`, this.topic]);
        this.samples.push({ at: Date.now(), next: new Map(rows.rows.map((r) => [Number(r.partition), BigInt(r.next_offset)])) });
        await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
    await this.db?.end();
    this.db = null;
  }

  /** When the service had applied the record at `offset` of `partition` (null: not within the sampling). Offsets only grow, so a binary search finds it. */
  coveredAt(partition: number, offset: bigint): number | null {
    let lo = 0;
    let hi = this.samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.samples[mid].next.get(partition) ?? 0n) > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.samples.length ? this.samples[lo].at : null;
  }
}

/** A Prometheus histogram as a service exposes it, summed over its labels. */
export interface HistogramReading {
  readonly count: number;
  readonly sum: number;
  /** The upper bound of the bucket holding the q-quantile (Infinity: above the last bucket). */
  quantileBound(q: number): number;
}

/** One histogram of a Prometheus text exposition, summed over its labels (null: absent or empty). */
export function histogramOf(text: string, name: string): HistogramReading | null {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+?)(_bucket|_sum|_count)(?:\{([^}]*)\})? ([\d.e+-]+|\+Inf|NaN)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const value = Number(m[4]);
    if (m[2] === '_sum') sum += value;
    else if (m[2] === '_count') count += value;
    else {
      const le = /le="([^"]+)"/.exec(m[3] ?? '')?.[1];
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
    }
  }
  if (count === 0) return null;
  const cumulative = [...buckets].sort(([a], [b]) => a - b);
  return {
    count,
    sum,
    quantileBound: (q) => cumulative.find(([, n]) => n >= q * count)?.[0] ?? Infinity,
  };
}

/** Each service's batches over a run, from its own histograms: count, mean and the buckets holding p50 and p99. */
export async function batchTimings(services: ReadonlyArray<{ readonly name: string; readonly url: string }>): Promise<Array<[string, string]>> {
  const ms = (s: number) => (s === Infinity ? '> 10,000' : String(Math.round(s * 1000)));
  const rows: Array<[string, string]> = [];
  for (const s of services) {
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const batches = histogramOf(metrics, 'lead_sla_consumer_batch_duration_seconds');
    const sizes = histogramOf(metrics, 'lead_sla_consumer_batch_messages');
    const sends = histogramOf(metrics, 'lead_sla_outbox_publish_duration_seconds');
    if (batches && sizes) {
      rows.push([
        `${s.name}: batches applied, mean messages, mean ms, p50 ≤ / p99 ≤ ms`,
        `${batches.count}, ${(sizes.sum / sizes.count).toFixed(1)}, ${((batches.sum / batches.count) * 1000).toFixed(1)}, ${ms(batches.quantileBound(0.5))} / ${ms(batches.quantileBound(0.99))}`,
      ]);
    }
    if (sends) rows.push([`${s.name}: outbox sends, mean ms, p50 ≤ / p99 ≤ ms`, `${sends.count}, ${((sends.sum / sends.count) * 1000).toFixed(1)}, ${ms(sends.quantileBound(0.5))} / ${ms(sends.quantileBound(0.99))}`]);
  }
  return rows;
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime + stime
  } catch {
    return 0; // exited
  }
}

function processes(): Array<{ pid: number; ppid: number; cmdline: string }> {
  const out: Array<{ pid: number; ppid: number; cmdline: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(entry), ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU time (user + system) of the processes that make up a run: each service
 * process by pid, the Kafka broker and every Postgres process of this run's
 * cluster (found by the run directory in their command lines). Backends that
 * exit during the run are not counted (the services' pools keep theirs).
 */
export class CpuMeter {
  private readonly groups: Map<string, number[]>;
  private startMs = new Map<string, number>();

  constructor(services: Record<string, number>, runDir: string) {
    const all = processes();
    const postmaster = all.find((p) => p.cmdline.includes('postgres') && p.cmdline.includes(runDir) && p.cmdline.includes(' -D '));
    this.groups = new Map<string, number[]>([
      ...Object.entries(services).map(([name, pid]) => [name, [pid]] as [string, number[]]),
      ['kafka', all.filter((p) => p.cmdline.includes('kafka.Kafka') && p.cmdline.includes(runDir)).map((p) => p.pid)],
      ['postgres', postmaster ? [postmaster.pid, ...all.filter((p) => p.ppid === postmaster.pid).map((p) => p.pid)] : []],
    ]);
  }

  private sample(): Map<string, number> {
    const all = processes();
    const postmaster = this.groups.get('postgres')?.[0];
    // Backends started after the meter (new pool connections) count too.
    if (postmaster !== undefined) this.groups.set('postgres', [postmaster, ...all.filter((p) => p.ppid === postmaster).map((p) => p.pid)]);
    return new Map([...this.groups].map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0)]));
  }

  start(): void {
    this.startMs = this.sample();
  }

  /** CPU milliseconds per process group since start(). */
  stop(): Map<string, number> {
    const end = this.sample();
    return new Map([...end].map(([name, ms]) => [name, ms - (this.startMs.get(name) ?? 0)]));
  }
}
