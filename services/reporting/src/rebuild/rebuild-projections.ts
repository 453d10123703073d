import type { Client } from 'pg';
import { parseEventBytes, Topics, type LeadEvent } from '@lead-sla/contracts';
import { assertLogFromStart, logEnd, tailLog, uniqueKeys, type KafkaClient, type LogRecord, type LogTail } from '@lead-sla/messaging';
import { foldInputs } from '@lead-sla/decider';
import type { Tx } from '@lead-sla/platform';
import { BOARD_CHANNEL, ProjectionStore } from '../project-events/projection-store.repository';
import { CELL_TABLE_NAMES, CELL_TABLES } from '../projections/scorecard-cells.projection';
import { ReportingDeciderService } from '../project-events/reporting-decider.service';
import { changesOf } from '../project-events/reporting-projections.evolve';
import { ShadowTablesRepository } from './shadow-tables.repository';

/** The projection tables a rebuild replaces, in the order they are swapped. */
export const PROJECTION_TABLES = ['lead_rows', 'clock_instances', 'breach_rows', 'board_rows', 'rep_rotation', 'policy_versions'] as const;

const PRIMARY_KEYS: Record<(typeof PROJECTION_TABLES)[number], string> = {
  lead_rows: 'lead_id',
  clock_instances: 'clock_id',
  breach_rows: 'breach_key',
  board_rows: 'lead_id',
  rep_rotation: 'rep_id',
  policy_versions: 'version',
};

export interface RebuildOptions {
  readonly kafka: KafkaClient;
  /** A dedicated connection (the rebuild holds locks on it). */
  readonly db: Client;
  /**
   * Opens a further connection, one per partition, so partitions replay in
   * parallel (their leads are disjoint). `db` stays free for the swap, which
   * holds the live consumer's offsets while the replay's last batches apply.
   */
  readonly connect: () => Promise<Client>;
  readonly topic?: string;
  /** The live consumer group whose offsets the rebuilt tables must cover. */
  readonly liveGroup?: string;
  readonly schema?: string;
  readonly shadowSchema?: string;
  /** Events applied per shadow transaction. */
  readonly chunk?: number;
  /** Compare only, leave the live tables as they are (the shadow schema is kept). */
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}

export interface RebuildResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Building the scorecard cells from the replayed rows, once, after the replay and before the swap (not part of `seconds`). */
  readonly cellsSeconds: number;
  /** Rows in live and not in shadow plus the reverse, per table (compared when both cover the same offsets). */
  readonly differences: Readonly<Record<string, number>> | null;
  readonly rows: Readonly<Record<string, number>>;
  readonly swapped: boolean;
  /** Where the replay's time went: milliseconds per stage, summed over the partitions' writers (they overlap). */
  readonly stages: Readonly<Record<RebuildStage, number>>;
}

/** The replay's stages, timed for the result (see `stages`). */
export type RebuildStage = 'fetch' | 'parse' | 'claim' | 'load' | 'fold' | 'save' | 'commit';

/** Accumulates milliseconds per stage. */
function stageTimer() {
  const ms: Record<RebuildStage, number> = { fetch: 0, parse: 0, claim: 0, load: 0, fold: 0, save: 0, commit: 0 };
  return {
    async time<T>(stage: RebuildStage, work: () => Promise<T> | T): Promise<T> {
      const t = performance.now();
      try {
        return await work();
      } finally {
        ms[stage] += performance.now() - t;
      }
    },
    add(stage: RebuildStage, since: number) {
      ms[stage] += performance.now() - since;
    },
    rounded(): Record<RebuildStage, number> {
      return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) as Record<RebuildStage, number>;
    },
  };
}

export function txOfClient(db: Client): Tx {
  return {
    async query<R>(sql: string, params?: readonly unknown[]) {
      return (await db.query(sql, params as unknown[] | undefined)).rows as R[];
    },
    async execute(sql: string, params?: readonly unknown[]) {
      return (await db.query(sql, params as unknown[] | undefined)).rowCount ?? 0;
    },
  };
}

/**
 * (Re)creates the shadow schema: a table like each live one, empty. They are
 * scratch space: unlogged, only their primary keys (the upserts need them),
 * written without synchronous commit. A crash loses nothing that a new
 * rebuild would not redo; the live tables are logged.
 */
export async function createShadowTables(db: Client, schema: string, shadow: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS "${shadow}" CASCADE`);
  await db.query(`CREATE SCHEMA "${shadow}"`);
  for (const t of PROJECTION_TABLES) {
    await db.query(`CREATE UNLOGGED TABLE "${shadow}".${t} (LIKE "${schema}".${t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await db.query(`ALTER TABLE "${shadow}".${t} ADD PRIMARY KEY (${PRIMARY_KEYS[t]})`);
  }
  // The scorecard cells are not kept per batch here: they are built once, from the replayed rows, before the swap.
  for (const t of CELL_TABLE_NAMES) {
    await db.query(`CREATE UNLOGGED TABLE "${shadow}".${t} (LIKE "${schema}".${t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
  }
  // The event ids applied, as the live consumer's processed_events: see `apply` in rebuildProjections.
  await db.query(`CREATE UNLOGGED TABLE "${shadow}".applied_events (event_id text PRIMARY KEY)`);
}

/**
 * Refuses (LogHistoryGapError, naming each partition's first kept offset)
 * when the log no longer starts at offset 0. Otherwise replays it from
 * offset 0 into fresh tables in a shadow schema, then
 * swaps them in: in one transaction that holds the live consumer's offset
 * rows (so it pauses), the live tables are emptied and refilled from the
 * shadow tables. Views (reporting.daily_scorecard, bi.*) keep pointing at
 * the same tables, so the BI contract is never dropped.
 *
 * The swap is exact: the replay never applies a record at or past a limit
 * per partition — the live consumer's offsets when the rebuild starts (the
 * high watermarks where it has none) — and in the swap's transaction, with
 * the live consumer paused on its offset rows, the limit is raised to those
 * offsets and the replay catches up to exactly them. The swapped tables then
 * hold what the live consumer had applied, no more (it would apply the rest
 * again on a later state) and no less; no shadow write runs while they are
 * copied. Before taking the lock, the replay follows the live offsets until
 * it has met them once, so the lock is held only for the last few batches.
 */
export async function rebuildProjections(o: RebuildOptions): Promise<RebuildResult> {
  const topic = o.topic ?? Topics.leadEvents;
  // The service runtime's consumer group for reporting (lead-sla.<service name>).
  const liveGroup = o.liveGroup ?? 'lead-sla.reporting';
  const schema = o.schema ?? 'reporting';
  const shadow = o.shadowSchema ?? `${schema}_rebuild`;
  const chunk = o.chunk ?? 5000;
  const log = o.log ?? (() => undefined);
  // Refuse before touching anything: a log truncated by retention would be swapped in as the whole history.
  await assertLogFromStart(o.kafka, topic);
  const db = o.db;
  const tx = txOfClient(db);
  const store = new ProjectionStore(shadow);
  // The live consumer's load and fold, on the shadow schema (its save would notify board listeners: the rebuild announces once, at the swap).
  const projections = new ReportingDeciderService(store);
  // The replay's bulk writes (COPY), until the cells are built; the live store's save after that (it keeps the cells).
  const bulk = new ShadowTablesRepository(shadow);

  await db.query('SET synchronous_commit = off');
  await createShadowTables(db, schema, shadow);

  const high = new Map(await logEnd(o.kafka, topic));
  const position = new Map<number, bigint>([...high.keys()].map((p) => [p, 0n]));
  const reached = (targets: ReadonlyMap<number, bigint>) => [...targets].every(([p, t]) => (position.get(p) ?? 0n) >= t);
  const liveOffsets = async (lock: boolean) => {
    const rows = await tx.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE group_id = $1 AND topic = $2${lock ? ' FOR UPDATE' : ''}`,
      [liveGroup, topic],
    );
    return new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
  };
  // The replay applies no record at or past `limit` on its partition. A partition the live consumer has no offset for
  // yet is replayed to the high watermark, and the swap gives the live consumer that offset.
  const limit = new Map<number, bigint>();
  let limitRaised: () => void = () => undefined;
  let limitChanged = new Promise<void>((r) => (limitRaised = r));
  const wakeHeldBatches = () => {
    const wake = limitRaised;
    limitChanged = new Promise<void>((r) => (limitRaised = r));
    wake();
  };
  const raiseLimit = (live: ReadonlyMap<number, bigint>) => {
    for (const p of new Set([...high.keys(), ...live.keys()])) {
      const to = live.get(p) ?? high.get(p) ?? 0n;
      if (to > (limit.get(p) ?? 0n)) limit.set(p, to);
    }
    wakeHeldBatches();
  };
  let stopping = false;

  let events = 0;
  const started = Date.now();
  const stages = stageTimer();
  // One writer per partition, each on a connection of its own.
  const writers = new Map<number, { db: Client; queue: Promise<void> }>();
  const writerFor = async (partition: number) => {
    let w = writers.get(partition);
    if (!w) {
      const client = await o.connect();
      await client.query('SET synchronous_commit = off');
      await bulk.prepare(client);
      w = { db: client, queue: Promise.resolve() };
      writers.set(partition, w);
    }
    return w;
  };
  // The shadow cells are not kept batch by batch up to the high watermarks: they are built once from the replayed
  // rows (outside the swap's lock), and the batches after that (catching up with the live consumer) keep them as the
  // live consumer does. `gate` holds new batches while the cells are built; `active` counts those already running.
  let keepCells = false;
  let gate: Promise<void> = Promise.resolve();
  let active = 0;
  const apply = async (partition: number, batch: LeadEvent[]) => {
    const w = await writerFor(partition);
    const wtx = txOfClient(w.db);
    const run = w.queue.then(async () => {
      await gate;
      active += 1;
      try {
        await applyBatch(w.db, wtx, batch);
      } finally {
        active -= 1;
      }
    });
    w.queue = run.catch(() => undefined);
    return run;
  };
  const applyBatch = async (client: Client, wtx: Tx, batch: LeadEvent[]) => {
    await client.query('BEGIN');
    try {
      // Each event id applies once, as in the live consumer. A lead's events can sit on two partitions (a
      // misplaced message next to its re-driven copy, same id): the writer claiming the id second waits for
      // the first to commit and skips it, so the two never build the lead's row side by side (one would
      // overwrite the other). Ids are claimed in sorted order, so writers cannot deadlock.
      const claimed = await stages.time('claim', () => wtx.query<{ event_id: string }>(
        `INSERT INTO "${shadow}".applied_events (event_id) SELECT id FROM unnest($1::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING RETURNING event_id`,
        [[...new Set(batch.map((e) => e.eventId))].sort()],
      ));
      const firstSeen = new Set(claimed.map((r) => r.event_id));
      const fresh = batch.filter((e) => firstSeen.delete(e.eventId));
      if (fresh.length === 0) {
        await client.query('COMMIT');
        return;
      }
      const before = await stages.time('load', () => projections.load(wtx, uniqueKeys(projections, fresh), fresh));
      const { state } = await stages.time('fold', () => foldInputs(projections, before, fresh, () => null, new Date()));
      await stages.time('save', async () => {
        if (keepCells) await store.save(wtx, before, state, { notify: false, cells: true });
        else await bulk.write(client, changesOf(before, state));
      });
      await stages.time('commit', () => client.query('COMMIT'));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  const buildCells = async () => {
    let open = () => undefined as void;
    gate = new Promise<void>((resolve) => (open = resolve));
    // One timer tick lets every batch already past the old gate count itself in `active`.
    await new Promise((r) => setTimeout(r, 20));
    while (active > 0) await new Promise((r) => setTimeout(r, 20));
    const cellsStarted = Date.now();
    try {
      await db.query('BEGIN');
      const cells = await store.rebuildCells(tx);
      await db.query('COMMIT');
      keepCells = true;
      const seconds = (Date.now() - cellsStarted) / 1000;
      log(`built ${cells.cells} scorecard cells from ${cells.leads} lead rows in ${seconds.toFixed(1)} s`);
      return seconds;
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    } finally {
      open();
    }
  };
  const drained = () => Promise.all([...writers.values()].map((w) => w.queue));

  let failure: unknown = null;
  let consumer: LogTail | null = null;
  // Per partition, when its last batch was handed over: the time until the next one is the fetch's.
  const lastBatchDone = new Map<number, number>();
  try {
    consumer = await tailLog(
      o.kafka,
      { topics: [topic], groupId: `lead-sla.reporting-rebuild-${Date.now()}`, sessionTimeoutMs: 30_000, maxWaitTimeMs: 100, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 32 * 1024 * 1024, partitionsConsumedConcurrently: 3 },
      async (batch) => {
        const since = lastBatchDone.get(batch.partition);
        if (since !== undefined) stages.add('fetch', since);
        try {
          // Pipelined: the next chunk is parsed while the previous one is written (one write in flight per
          // partition, so chunks still apply in log order); the position moves once a chunk is written.
          let writing: Promise<void> = Promise.resolve();
          for (let i = 0; i < batch.records.length; ) {
            const cap = limit.get(batch.partition) ?? 0n;
            let end = i;
            while (end < batch.records.length && end - i < chunk && BigInt(batch.records[end].offset) < cap) end++;
            if (end === i) {
              // At the limit: hold the rest of the batch until the limit is raised (heartbeating), or the rebuild ends.
              await writing;
              if (stopping) return;
              await Promise.race([limitChanged, new Promise((r) => setTimeout(r, 1000))]);
              await batch.heartbeat();
              continue;
            }
            const slice: LogRecord[] = batch.records.slice(i, end);
            i = end;
            const parseStarted = performance.now();
            const parsed = slice.flatMap((m) => {
              const r = parseEventBytes(m.value);
              return r.ok ? [r.event] : [];
            });
            stages.add('parse', parseStarted);
            const next = BigInt(slice[slice.length - 1].offset) + 1n;
            await writing;
            writing = (parsed.length > 0 ? apply(batch.partition, parsed) : Promise.resolve()).then(() => {
              events += parsed.length;
              position.set(batch.partition, next);
            });
            // A failed write is rethrown by the next `await writing`; until then it must not count as unhandled.
            writing.catch(() => undefined);
            await batch.heartbeat();
          }
          await writing;
          lastBatchDone.set(batch.partition, performance.now());
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    );

    const waitFor = async (targets: ReadonlyMap<number, bigint>, timeoutMs = Infinity) => {
      let lastLog = 0;
      const since = Date.now();
      while (!reached(targets)) {
        if (failure) throw failure;
        if (Date.now() - since > timeoutMs) throw new Error(`the replay did not reach the live consumer's offsets within ${timeoutMs} ms while holding them; nothing was swapped`);
        if (Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          log(`replayed ${events} events (${Math.round(events / ((Date.now() - started) / 1000 || 1))}/s)`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await drained();
    };
    raiseLimit(await liveOffsets(false));
    await waitFor(limit);
    const replayedSeconds = (Date.now() - started) / 1000;
    const replayStages = stages.rounded();
    log(`replayed ${events} events to the live consumer's offsets in ${replayedSeconds.toFixed(1)} s; ms per stage (summed over partitions): ${JSON.stringify(replayStages)}`);
    const cellsSeconds = await buildCells();
    // Follow the live consumer without the lock until the replay has met its offsets (or it moves too fast to meet).
    for (let round = 0; round < 20; round++) {
      const live = await liveOffsets(false);
      if ([...live].every(([p, at]) => (limit.get(p) ?? 0n) >= at)) break;
      raiseLimit(live);
      await waitFor(limit);
    }

    await db.query('BEGIN');
    let committed = false;
    try {
      // The live consumer pauses on these rows: the replay catches up to exactly its offsets, then the tables swap.
      const live = await liveOffsets(true);
      raiseLimit(live);
      await waitFor(limit, 120_000);
      if (![...limit].every(([p, at]) => position.get(p) === at)) {
        throw new Error(`the replay did not stop at the live consumer's offsets: ${JSON.stringify([...position].map(([p, at]) => [p, String(at)]))}`);
      }
      // Partitions the live consumer has not committed on: the live tables lack them, so no comparison.
      const unknown = [...limit].filter(([p]) => !live.has(p));
      const differences = unknown.length === 0 ? await compare(tx, schema, shadow) : null;
      const rows: Record<string, number> = {};
      for (const t of [...PROJECTION_TABLES, ...CELL_TABLE_NAMES]) {
        const [r] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${shadow}".${t}`);
        rows[t] = r.n;
      }
      if (o.dryRun) {
        await db.query('ROLLBACK');
      } else {
        await db.query('SET LOCAL synchronous_commit = on');
        for (const t of [...PROJECTION_TABLES, ...CELL_TABLE_NAMES]) {
          await db.query(`TRUNCATE "${schema}".${t}`);
          await db.query(`INSERT INTO "${schema}".${t} SELECT * FROM "${shadow}".${t}`);
        }
        // Such a partition's live consumer then continues after what the tables now hold.
        for (const [p, at] of unknown) {
          await tx.execute(
            `INSERT INTO "${schema}".consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4::bigint) ON CONFLICT DO NOTHING`,
            [liveGroup, topic, p, String(at)],
          );
        }
        await tx.query('SELECT pg_notify($1, $2)', [BOARD_CHANNEL, JSON.stringify({ reload: true })]);
        await db.query('COMMIT');
        await db.query(`DROP SCHEMA "${shadow}" CASCADE`);
      }
      committed = true;
      return { events, seconds: replayedSeconds, eventsPerSecond: events / replayedSeconds, cellsSeconds, differences, rows, swapped: !o.dryRun, stages: replayStages };
    } finally {
      if (!committed) await db.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    stopping = true;
    wakeHeldBatches();
    await consumer?.stop();
    await Promise.all([...writers.values()].map((w) => w.db.end().catch(() => undefined)));
  }
}

/**
 * Row-for-row comparison of the live and shadow tables (rows only in one
 * side, both directions); cells that hold nothing (all zeros, see
 * CELL_TABLES) count as no row.
 */
export async function compare(tx: Tx, schema: string, shadow: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tables = [...PROJECTION_TABLES.map((t) => [t, 'true'] as const), ...CELL_TABLE_NAMES.map((t) => [t, CELL_TABLES[t].present] as const)];
  for (const [t, present] of tables) {
    const rows = (s: string) => `SELECT * FROM "${s}".${t} WHERE ${present}`;
    const [r] = await tx.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM (${rows(schema)} EXCEPT ALL ${rows(shadow)}) a)
             + (SELECT count(*) FROM (${rows(shadow)} EXCEPT ALL ${rows(schema)}) b))::int AS n`,
    );
    out[t] = r.n;
  }
  return out;
}
