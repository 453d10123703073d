import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { freePort, migrateService, startService, workspaceRoot, type RunningService } from '@lead-sla/local-infra';
import { createKafka, ensureTopics, partitionForKey, platformTopics, LogProducer } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent } from '@lead-sla/testing';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';
import { benchPolicyFile } from './e2e.scenario';

const PARTITIONS = 3;
const REPS = Array.from({ length: 50 }, (_, i) => `rep-${i}`);
const ms = (t: number) => new Date(t).toISOString();

/** A lead's events as the platform logs them: created, assigned, first-touch clock started, touched, clock met. */
function leadEvents(leadId: string, t: number, i: number) {
  const rep = REPS[i % REPS.length];
  const clockId = `${leadId}:first_touch:1`;
  const math = { startedAt: ms(t), coverageStart: ms(t), coverageMinutes: 10, deadline: ms(t + 600_000), calendarId: 'always-on', timeZone: 'UTC' };
  return [
    makeEvent('LeadCreated', leadId, leadCreatedData({ source: `source-${i % 8}`, segment: ['smb', 'mid_market', 'enterprise'][i % 3] }), { occurredAt: ms(t) }),
    makeEvent('LeadAssigned', leadId, {
      repId: rep, teamId: `team-${i % 10}`, poolId: 'pool', ruleId: 'r', reason: 'rule', reassignment: false, previousRepId: null,
      reassignmentCause: null, skipped: [], managerId: 'mgr', policyVersion: 'bench',
    }, { occurredAt: ms(t) }),
    makeEvent('SlaClockStarted', leadId, { clockId, clock: 'first_touch', tier: 'hot', ownerRepId: rep, teamId: `team-${i % 10}`, managerId: 'mgr', math, policyVersion: 'bench' }, { occurredAt: ms(t) }),
    makeEvent('LeadTouched', leadId, { repId: rep, channel: 'phone', direction: 'outbound', personal: true, automated: false }, { occurredAt: ms(t) }),
    makeEvent('SlaClockStopped', leadId, { clockId, clock: 'first_touch', outcome: 'met', stoppedAt: ms(t), deadline: math.deadline, ownerRepId: rep, policyVersion: 'bench' }, { occurredAt: ms(t) }),
  ];
}

/**
 * Events in lead order, each lead's events on its key's partition (explicit, so the bench knows each batch's
 * offsets; the key's own partition, as consumers dead-letter a keyed message on any other).
 */
function* eventStream(prefix: string, total: number) {
  let sent = 0;
  for (let i = 0; sent < total; i++) {
    const leadId = `${prefix}-${i}`;
    for (const e of leadEvents(leadId, Date.now(), i)) {
      if (sent >= total) return;
      sent++;
      yield { partition: partitionForKey(leadId, PARTITIONS), key: leadId, value: JSON.stringify(e) };
    }
  }
}

async function send(producer: LogProducer, messages: Array<{ partition: number; key: string; value: string }>) {
  const result = await producer.send(Topics.leadEvents, messages);
  // The last offset written per partition by this batch.
  const last = new Map<number, bigint>();
  for (const r of result) {
    const count = messages.filter((m) => m.partition === r.partition).length;
    last.set(r.partition, r.baseOffset + BigInt(count) - 1n);
  }
  return last;
}

async function startReporting(ctx: BenchContext): Promise<RunningService> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, KAFKA_BROKERS: ctx.kafkaBrokers, DATABASE_URL: ctx.databaseUrl, POLICY_FILE: benchPolicyFile,
    LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing', KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  migrateService('reporting', env);
  return startService({ name: 'reporting', port: await freePort() }, env, join(ctx.runDir, 'logs'));
}

/**
 * Projection lag: events published at a steady rate; the lag of a batch is
 * the time from its acknowledged publish to the reporting consumer's stored
 * offset covering it (applied and committed), polled every 10 ms.
 */
async function measureLag(ctx: BenchContext, db: Client, producer: LogProducer, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const perBatch = Math.max(1, Math.round(rate / 50));
  const pending: Array<{ at: number; last: Map<number, bigint> }> = [];
  const lags: number[] = [];
  let stop = false;
  let deadline = Infinity;
  const watcher = (async () => {
    while (!stop || pending.length > 0) {
      const rows = await db.query(`SELECT partition, next_offset FROM reporting.consumer_offsets WHERE group_id = 'lead-sla.reporting' AND topic = $1`, [Topics.leadEvents]);
      const now = Date.now();
      const next = new Map<number, bigint>(rows.rows.map((r) => [Number(r.partition), BigInt(r.next_offset)]));
      while (pending.length > 0 && [...pending[0].last].every(([p, o]) => (next.get(p) ?? 0n) > o)) lags.push(now - pending.shift()!.at);
      if (stop && Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const stream = eventStream(`lag-${randomUUID().slice(0, 6)}`, total);
  const started = Date.now();
  let sent = 0;
  for (;;) {
    const batch = [];
    for (let i = 0; i < perBatch; i++) {
      const n = stream.next();
      if (n.done) break;
      batch.push(n.value);
    }
    if (batch.length === 0) break;
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const at = Date.now();
    pending.push({ at, last: await send(producer, batch) });
    sent += batch.length;
  }
  const publishSeconds = (Date.now() - started) / 1000;
  ctx.log(`published ${sent} events in ${publishSeconds.toFixed(1)} s (${round(sent / publishSeconds)}/s); waiting for the projection`);
  deadline = Date.now() + 120_000;
  stop = true;
  await watcher;
  if (pending.length > 0) throw new Error(`${pending.length} batches were not projected within 120 s`);
  return { events: sent, achievedRate: sent / publishSeconds, lags };
}

/**
 * History for the query part, generated straight into the projection
 * tables with generate_series (documented shortcut: replaying 10 M events
 * through Kafka takes longer than the bench budget). About 10 events per
 * lead: `events` / 10 lead rows over 90 days, 50 reps, 10 teams, 8 sources,
 * 3 segments; a breach row for every 8th lead; 20,000 open board rows.
 */
async function generateHistory(ctx: BenchContext, db: Client, events: number) {
  const leads = Math.max(1, Math.round(events / 10));
  const started = Date.now();
  const chunk = 250_000;
  for (let from = 0; from < leads; from += chunk) {
    const to = Math.min(leads, from + chunk) - 1;
    await db.query(
      `INSERT INTO reporting.lead_rows (lead_id, row, status, created_at, created_day, source, segment, territory, tier, vip,
         first_owner_rep_id, first_owner_team_id, current_rep_id, current_team_id, assigned_at, assignment_seconds,
         first_touch_at, first_touch_channel, speed_to_lead_seconds, attempts, contacted_at, reassignment_count,
         reached_mql, reached_sal, reached_sql, reached_opportunity, disposition_code, disposition_complete, recycle_count,
         breach_count, escalation_count, sla_assign_status, sla_first_touch_status, sla_second_touch_status, sla_accept_reject_status,
         sla_response_status, sla_unassigned_queue_status, sla_effort_status, sla_reply_escalation_status, last_event_at)
       SELECT 'hist-' || g, jsonb_build_object('leadId', 'hist-' || g, 'synthetic', true), 'working', c, c::date,
         'source-' || (g % 8), (ARRAY['smb','mid_market','enterprise'])[1 + g % 3], 'emea', 'hot', false,
         'rep-' || (g % 50), 'team-' || (g % 10), 'rep-' || (g % 50), 'team-' || (g % 10), c + interval '30 seconds', 30,
         c + (g % 1800) * interval '1 second', 'phone', (g % 1800), 1 + g % 6, CASE WHEN g % 3 = 0 THEN c + interval '1 hour' END, (g % 8 = 0)::int,
         true, g % 5 <> 0, g % 4 = 0, g % 20 = 0, CASE WHEN g % 2 = 0 THEN 'Working' END, g % 2 = 0, 0,
         (g % 8 = 0)::int, 0, 'met', CASE WHEN g % 8 = 0 THEN 'breached' ELSE 'met' END, 'pending', 'pending', 'met', 'not_started', 'pending', 'pending', c
       FROM (SELECT g, timestamptz '2026-08-01' + (g::double precision / $3) * interval '90 days' AS c FROM generate_series($1::int, $2::int) g) s`,
      [from, to, leads],
    );
    ctx.log(`history: ${to + 1} of ${leads} lead rows`);
  }
  await db.query(
    `INSERT INTO reporting.breach_rows SELECT 'hist-' || g || '/c/breach', 'breach', 'e-' || g, 'hist-' || g, 'c-' || g, 'first_touch', 'hot', 0, NULL, NULL,
       'rep-' || (g % 50), 'team-' || (g % 10), 'mgr', c + interval '10 minutes', (c + interval '10 minutes')::date, c, c, 10, c + interval '10 minutes',
       'always-on', 'UTC', 0, 'bench'
     FROM (SELECT g, timestamptz '2026-08-01' + (g::double precision / $1) * interval '90 days' AS c FROM generate_series(0, $1 - 1, 8) g) s`,
    [leads],
  );
  await db.query(
    `INSERT INTO reporting.board_rows SELECT 'open-' || g, 'rep-' || (g % 50), 'team-' || (g % 10), 'pool', 'mgr', now() - (g % 600) * interval '1 second', now(),
       now(), 'source-' || (g % 8), 'smb', 'emea', 'hot', false, 0, now() + (g % 600) * interval '1 second', 'c', NULL, false FROM generate_series(1, 20000) g`,
  );
  await db.query('ANALYZE reporting.lead_rows; ANALYZE reporting.breach_rows; ANALYZE reporting.board_rows');
  return { leads, seconds: (Date.now() - started) / 1000 };
}

async function timeQueries(service: RunningService, rounds: number) {
  const paths = [
    '/api/scorecards?dimension=rep&from=2026-09-01&to=2026-09-30',
    '/api/scorecards?dimension=team&from=2026-10-01&to=2026-10-07&groupBy=day',
    '/api/scorecards?dimension=source&from=2026-10-20&to=2026-10-20',
    '/api/scorecards?dimension=rep&key=rep-7&from=2026-08-01&to=2026-10-29&groupBy=day',
    '/api/board?limit=100',
    '/api/board?team=team-3&limit=100',
    '/api/reports/missed-sla?day=2026-09-15&limit=100',
  ];
  const all: number[] = [];
  const byPath = new Map<string, number[]>();
  for (const p of paths) await (await fetch(`${service.url}${p}`)).text(); // warm up
  for (let i = 0; i < rounds; i++) {
    for (const p of paths) {
      const t = performance.now();
      const res = await fetch(`${service.url}${p}`);
      await res.text();
      if (!res.ok) throw new Error(`${p} answered ${res.status}`);
      const d = performance.now() - t;
      all.push(d);
      byPath.set(p, [...(byPath.get(p) ?? []), d]);
    }
  }
  return { all, byPath };
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime, stime, cutime, cstime (ms) and the parent pid of a process from /proc; zeros when it is gone. */
function procTimes(pid: number | 'self') {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
    return { ppid: f[1], own: ms(f[11] + f[12]), children: ms(f[13] + f[14]) };
  } catch {
    return { ppid: 0, own: 0, children: 0 };
  }
}

/**
 * CPU milliseconds so far of the rebuild's two sides, which a loaded machine
 * stretches less than their wall time: this process's reaped children (the
 * rebuild script, run with spawnSync) and the run's Postgres — the postmaster,
 * its live backends and the backends it reaped (the rebuild's connections
 * end with it).
 */
function rebuildCpuMs(postmaster: number) {
  let postgres = procTimes(postmaster).own + procTimes(postmaster).children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t.ppid === postmaster) postgres += t.own;
  }
  return { script: procTimes('self').children, postgres };
}

/** Waits until the live reporting consumer's stored offsets cover `last` (per partition, the last offset to apply). */
async function waitForProjection(db: Client, last: ReadonlyMap<number, bigint>, timeoutMs: number, what: string) {
  for (const started = Date.now(); ; ) {
    const rows = await db.query(`SELECT partition, next_offset FROM reporting.consumer_offsets WHERE group_id = 'lead-sla.reporting' AND topic = $1`, [Topics.leadEvents]);
    const next = new Map<number, bigint>(rows.rows.map((r) => [Number(r.partition), BigInt(r.next_offset)]));
    if ([...last].every(([p, o]) => (next.get(p) ?? 0n) > o)) return;
    if (Date.now() - started > timeoutMs) throw new Error(`the reporting consumer did not ${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a reporting script (TypeScript, as `node tools/run.js script` would, without its install check) and returns its last JSON line. */
function runScript<T>(ctx: BenchContext, file: string, what: string): T {
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--no-warnings=ExperimentalWarning', '-r', '@swc-node/register', file], {
    cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KAFKA_BROKERS: ctx.kafkaBrokers, DATABASE_URL: ctx.databaseUrl, KAFKA_LOG_LEVEL: 'nothing' },
  });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`${what} printed no result:\n${r.stdout}`);
  return JSON.parse(line) as T;
}

function rebuild(ctx: BenchContext) {
  return runScript<{ events: number; eventsPerSecond: number; seconds: number; cellsSeconds: number; stages?: Record<string, number> }>(ctx, 'services/reporting/src/rebuild/rebuild.main.ts', 'rebuild');
}

/** The generated history bypasses the projection: its scorecard cells are built once from the rows, as after a rebuild. */
function buildCells(ctx: BenchContext) {
  return runScript<{ leads: number; cells: number; seconds: number }>(ctx, 'services/reporting/src/rebuild/rebuild-cells.main.ts', 'building the scorecard cells');
}

export const reportingScenario: BenchScenario = {
  name: 'reporting',
  description:
    'projection lag p99 at a steady rate (--rate=2000 --seconds=30), rebuild events/s (--rebuild-events=300000), scorecard/board query p95 over a generated history (--events=10000000)',
  async run(ctx) {
    const rate = numberArg(ctx, 'rate', 2000);
    const seconds = numberArg(ctx, 'seconds', 30);
    const rebuildEvents = numberArg(ctx, 'rebuild-events', 300_000);
    const history = numberArg(ctx, 'events', 10_000_000);
    const rounds = numberArg(ctx, 'rounds', 30);

    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-reporting' });
    await ensureTopics(kafka, platformTopics(PARTITIONS));
    const producer = await new LogProducer(kafka).connect();
    const db = new Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    let service: RunningService | null = await startReporting(ctx);
    try {
      // Warm up: the consumer group must have joined before lag means anything.
      const warm = await send(producer, [...eventStream(`warm-${randomUUID().slice(0, 6)}`, 300)]);
      await waitForProjection(db, warm, 60_000, 'start consuming');
      ctx.log(`projection lag at ${rate} events/s for ${seconds} s`);
      const lag = await measureLag(ctx, db, producer, rate, seconds);

      ctx.log(`generating a history of ${history} events into the projection tables`);
      const generated = await generateHistory(ctx, db, history);
      ctx.log(`history generated in ${generated.seconds.toFixed(1)} s; building its scorecard cells`);
      const cells = buildCells(ctx);
      await db.query('ANALYZE reporting.scorecard_cells; ANALYZE reporting.scorecard_held_cells; ANALYZE reporting.scorecard_speed_cells');
      ctx.log(`${cells.cells} cells from ${cells.leads} lead rows in ${cells.seconds.toFixed(1)} s; timing API queries (${rounds} rounds)`);
      const queries = await timeQueries(service, rounds);

      ctx.log(`publishing ${rebuildEvents} more events for the rebuild`);
      const stream = eventStream(`rb-${randomUUID().slice(0, 6)}`, rebuildEvents);
      const published = new Map<number, bigint>();
      for (;;) {
        const batch = [];
        for (let i = 0; i < 2000; i++) {
          const n = stream.next();
          if (n.done) break;
          batch.push(n.value);
        }
        if (batch.length === 0) break;
        for (const [p, o] of await send(producer, batch)) if (o > (published.get(p) ?? -1n)) published.set(p, o);
      }
      // The rebuild replays up to the live consumer's offsets (what the live tables hold), so the live projection
      // applies these events first; otherwise the rebuild would stop where the lag part ended.
      const caughtUp = Date.now();
      await waitForProjection(db, published, 600_000, `apply the ${rebuildEvents} events`);
      ctx.log(`the live projection applied them in ${((Date.now() - caughtUp) / 1000).toFixed(1)} s; stopping it`);
      await service.stop();
      service = null;
      ctx.log('rebuilding from offset 0');
      const [{ pid: backend }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const postmaster = procTimes(backend).ppid;
      const cpuBefore = rebuildCpuMs(postmaster);
      const rebuilt = rebuild(ctx);
      const cpuAfter = rebuildCpuMs(postmaster);
      // Per 1,000 events replayed, the whole command (replay, cells, comparison and swap): Node.js and Postgres.
      const perThousand = (ms: number) => round((ms * 1000) / rebuilt.events);

      const json = {
        events: history,
        history_lead_rows: generated.leads,
        lag_events: lag.events,
        lag_rate_per_s: round(lag.achievedRate),
        lag_p50_ms: round(percentile(lag.lags, 50)),
        lag_p99_ms: round(percentile(lag.lags, 99)),
        lag_max_ms: round(Math.max(...lag.lags)),
        rebuild_events: rebuilt.events,
        rebuild_events_per_s: round(rebuilt.eventsPerSecond),
        rebuild_cells_s: round(rebuilt.cellsSeconds),
        rebuild_node_cpu_ms_per_1000: perThousand(cpuAfter.script - cpuBefore.script),
        rebuild_postgres_cpu_ms_per_1000: perThousand(cpuAfter.postgres - cpuBefore.postgres),
        // Milliseconds per replay stage (rebuild_fetch_ms, rebuild_parse_ms, …), summed over the partitions' writers (they overlap).
        ...Object.fromEntries(Object.entries(rebuilt.stages ?? {}).map(([stage, ms]) => [`rebuild_${stage}_ms`, ms])),
        history_cells: cells.cells,
        history_cells_s: round(cells.seconds),
        query_samples: queries.all.length,
        query_p50_ms: round(percentile(queries.all, 50)),
        query_p95_ms: round(percentile(queries.all, 95)),
        query_max_ms: round(Math.max(...queries.all)),
      };
      return {
        title: `reporting: projection lag, rebuild and query latency (history ${history} events = ${generated.leads} lead rows)`,
        rows: [
          ['lag: events published (rate/s)', `${lag.events} (${json.lag_rate_per_s})`],
          ['projection lag p50 / p99 / max (ms)', `${json.lag_p50_ms} / ${json.lag_p99_ms} / ${json.lag_max_ms}`],
          ['rebuild events (events/s)', `${rebuilt.events} (${json.rebuild_events_per_s})`],
          ['rebuild: scorecard cells built once before the swap (s)', json.rebuild_cells_s],
          ['rebuild: ms per stage, summed over partitions', JSON.stringify(rebuilt.stages ?? null)],
          ['rebuild: CPU ms per 1,000 events, Node.js / Postgres (whole command)', `${json.rebuild_node_cpu_ms_per_1000} / ${json.rebuild_postgres_cpu_ms_per_1000}`],
          ['history: scorecard cells built from the lead rows (cells, s)', `${cells.cells} (${json.history_cells_s})`],
          ['query p50 / p95 / max (ms)', `${json.query_p50_ms} / ${json.query_p95_ms} / ${json.query_max_ms}`],
          ...[...queries.byPath].map(([p, v]) => [`  p95 ${p}`, round(percentile(v, 95))] as const),
        ],
        json,
      };
    } finally {
      await service?.stop();
      await db.end();
      await producer.disconnect();
    }
  },
};
