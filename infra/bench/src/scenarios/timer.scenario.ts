import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { Topics } from '@lead-sla/contracts';
import { freePort, migrateService, startService, type RunningService } from '@lead-sla/local-infra';
import { createKafka, ensureTopics, platformTopics, tailLog } from '@lead-sla/messaging';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';
import { benchPolicyFile } from './e2e.scenario';

const SECOND = 1000;
const CHUNK = 100_000;

/** ISO-8601 in UTC with milliseconds, as the contracts' Instant. */
const isoSql = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One lead's timer state and its first-touch breach row, as the timer
 * service writes them (domain/timer-state.ts), with placeholders the SQL
 * fills per row: @L@ lead id, @D@ deadline id, @DUE@ due instant. A bench
 * row fires exactly like a real one: claimed, fireDue and evolve on the
 * state, SlaBreached to the outbox, relayed to Kafka.
 */
function templates(run: string) {
  const calendar = {
    id: 'always-on', timeZone: 'UTC', holidays: [],
    windows: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, open: '00:00', close: '00:00' })),
  };
  const owner = { repId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea' };
  const math = { startedAt: '2026-01-01T00:00:00.000Z', coverageStart: '2026-01-01T00:00:00.000Z', coverageMinutes: 10, deadline: '@DUE@', calendarId: 'always-on', timeZone: 'UTC' };
  const common = { policyVersion: 'bench', correlationId: `${run}-@L@`, clock: 'first_touch', tier: 'standard' };
  const state = {
    leadId: '@L@', lead: null, channels: ['phone'], owner, acknowledged: false, salDecided: false, responded: false, attempts: [], closed: false,
    clocks: [{
      clockId: 'c-@L@', clock: 'first_touch', status: 'running', tier: 'standard', owner, calendar, math, warnAt: null, ladder: [],
      policyVersion: 'bench', correlationId: `${run}-@L@`, startedByEventId: `${run}-cause-@L@`, trace: {}, stoppedAt: null,
      pending: [{ deadlineId: '@D@', kind: 'breach', step: 0, dueAt: '@DUE@' }],
    }],
  };
  const row = {
    ...common, deadlineId: '@D@', clockId: 'c-@L@', leadId: '@L@', kind: 'breach', step: 0, dueAt: '@DUE@', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea',
    math, warnAt: null, action: null, lastStep: null, causationId: `${run}-cause-@L@`,
  };
  return { state: JSON.stringify(state), row: JSON.stringify(row) };
}

/** Inserts timer state + deadline rows for leads `${prefix}${g}` whose due time is the SQL expression `dueExpr` of g. */
async function insertTimerRows(db: Client, run: string, prefix: string, from: number, to: number, dueExpr: string, params: unknown[]): Promise<void> {
  const t = templates(run);
  const fill = (tpl: number) => `replace(replace(replace($${tpl}::text, '@L@', l.lead), '@D@', 'd-' || l.lead), '@DUE@', ${isoSql('l.due')})::jsonb`;
  const rows = `SELECT $3 || g AS lead, g, ${dueExpr} AS due FROM generate_series($1::int, $2::int) g`;
  await db.query(
    `WITH l AS (${rows}), s AS (INSERT INTO timer.lead_timers (lead_id, state) SELECT l.lead, ${fill(4)} FROM l)
     INSERT INTO timer.deadlines (id, lead_id, partition, clock, kind, step, due_at, payload, cause_event_id)
     SELECT 'd-' || l.lead, l.lead, l.g % 3, 'first_touch', 'breach', 0, l.due, ${fill(5)}, '${run}-cause-' || l.lead FROM l`,
    [from, to, prefix, t.state, t.row, ...params],
  );
}

/** SlaBreached arrival times on Kafka for the bench's leads (committed and relayed). */
async function watchBreaches(ctx: BenchContext, prefix: string) {
  const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-timer-watch' });
  await ensureTopics(kafka, platformTopics(3));
  const arrivals = new Map<string, number>();
  const consumer = await tailLog(kafka, { topics: [Topics.leadEvents], groupId: `bench-timer-${randomUUID().slice(0, 8)}`, fromBeginning: false, maxWaitTimeMs: 20 }, ({ records }) => {
    const now = Date.now();
    for (const m of records) {
      if (m.headers['event-type'] !== 'SlaBreached') continue;
      const key = m.key?.toString() ?? '';
      if (key.startsWith(prefix) && !arrivals.has(key)) arrivals.set(key, now);
    }
  });
  await new Promise((r) => setTimeout(r, 3 * SECOND));
  return { arrivals, stop: () => consumer.stop() };
}

async function until(what: string, done: () => boolean | Promise<boolean>, deadline: number, log: (l: string) => void): Promise<boolean> {
  let last = 0;
  while (Date.now() < deadline) {
    if (await done()) return true;
    if (Date.now() - last > 10 * SECOND) {
      log(`waiting for ${what}…`);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

interface Plan {
  readonly pending: number;
  readonly steady: number;
  readonly burst: number;
  readonly restart: number;
  /** Steady deadlines are spread over this window, starting at `start`. */
  readonly start: number;
  readonly steadyMs: number;
  readonly burstStart: number;
}

const steadyDue = (p: Plan, i: number) => p.start + Math.floor((i * p.steadyMs) / p.steady);
const burstDue = (p: Plan, i: number) => p.burstStart + Math.floor((i * 60 * SECOND) / p.burst);

function figures(p: Plan, due: (kind: 'steady' | 'burst', i: number) => number, firedAt: (kind: 'steady' | 'burst', i: number) => number | undefined) {
  const lat = (kind: 'steady' | 'burst', n: number) => {
    const out: number[] = [];
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const f = firedAt(kind, i);
      if (f === undefined) missing++;
      else out.push(Math.max(0, f - due(kind, i)));
    }
    return { out, missing };
  };
  const steady = lat('steady', p.steady);
  const burst = lat('burst', p.burst);
  const lastBurst = Math.max(...Array.from({ length: p.burst }, (_, i) => firedAt('burst', i) ?? Infinity));
  return {
    p50: percentile(steady.out, 50), p99: percentile(steady.out, 99), max: Math.max(...steady.out),
    steadyMissing: steady.missing, burstMissing: burst.missing,
    burstWithinS: (lastBurst - p.burstStart) / SECOND,
    burstP99: percentile(burst.out, 99),
  };
}

async function runTimer(ctx: BenchContext, db: Client, plan: Omit<Plan, 'start' | 'burstStart'>) {
  const run = `tb${randomUUID().slice(0, 6)}-`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, KAFKA_BROKERS: ctx.kafkaBrokers, DATABASE_URL: ctx.databaseUrl, POLICY_FILE: benchPolicyFile,
    KAFKAJS_NO_PARTITIONER_WARNING: '1', LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing',
  };
  migrateService('timer', env);
  const background = plan.pending - plan.steady - plan.burst;
  const t = Date.now();
  ctx.log(`timer: loading ${background} background deadlines (due in 1–30 days) with their lead states`);
  for (let from = 0; from < background; from += CHUNK) {
    await insertTimerRows(db, run, `${run}bg-`, from, Math.min(background, from + CHUNK) - 1, `now() + interval '1 day' + g * interval '2 seconds'`, []);
  }
  // Measure the steady state, not the bulk load's aftermath (autovacuum, checkpoint).
  await db.query('VACUUM ANALYZE timer.deadlines');
  await db.query('VACUUM ANALYZE timer.lead_timers');
  await db.query('CHECKPOINT');
  const loadS = (Date.now() - t) / SECOND;
  ctx.log(`timer: loaded in ${round(loadS)} s`);

  const logDir = join(ctx.runDir, 'logs');
  const launch = async (instance: string) => startService({ name: 'timer', port: await freePort(), instance }, env, logDir);
  let service: RunningService = await launch('1');
  const watch = await watchBreaches(ctx, run);
  // Let the consumer join and take its partitions.
  await new Promise((r) => setTimeout(r, 8 * SECOND));

  const start = Date.now() + 75 * SECOND;
  const p: Plan = { ...plan, start, burstStart: start + plan.steadyMs + 5 * SECOND };
  ctx.log(`timer: scheduling ${p.steady} deadlines over ${p.steadyMs / SECOND} s and a burst of ${p.burst} within one minute`);
  const steadyIdx = `to_timestamp(($6::bigint + floor(g::numeric * $7 / $8))::numeric / 1000)`;
  await insertTimerRows(db, run, `${run}s-`, 0, p.steady - 1, steadyIdx, [p.start, p.steadyMs, p.steady]);
  const burstIdx = `to_timestamp(($6::bigint + floor(g::numeric * 60000 / $7))::numeric / 1000)`;
  await insertTimerRows(db, run, `${run}b-`, 0, p.burst - 1, burstIdx, [p.burstStart, p.burst]);

  const total = p.steady + p.burst;
  const allFired = await until('timer: every scheduled deadline to fire', () => watch.arrivals.size >= total, p.burstStart + 60 * SECOND + 120 * SECOND, ctx.log);
  if (!allFired) ctx.log(`timer: only ${watch.arrivals.size}/${total} fired in time`);
  const f = figures(p, (k, i) => (k === 'steady' ? steadyDue(p, i) : burstDue(p, i)), (k, i) => watch.arrivals.get(`${run}${k === 'steady' ? 's' : 'b'}-${i}`));

  // Where the time goes: due → the firing transaction's start (fired_at), as against due → on Kafka.
  const [claim] = (await db.query(
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
     FROM (SELECT extract(epoch FROM fired_at - due_at) * 1000 AS ms FROM timer.deadlines WHERE lead_id LIKE $1 AND status = 'fired') x`,
    [`${run}s-%`],
  )).rows;

  // Restart: kill the service, let deadlines fall due while it is down, start it again.
  ctx.log(`timer: killing the service with ${p.restart} deadlines about to fall due`);
  await service.stop('SIGKILL');
  const dueAt = Date.now() + SECOND;
  await insertTimerRows(db, run, `${run}r-`, 0, p.restart - 1, `to_timestamp($6::numeric / 1000)`, [dueAt]);
  await new Promise((r) => setTimeout(r, 8 * SECOND));
  const restartedAt = Date.now();
  service = await launch('2');
  const readyAt = Date.now();
  const restarted = () => [...watch.arrivals.keys()].filter((k) => k.startsWith(`${run}r-`));
  await until('timer: the first overdue deadline after the restart', () => restarted().length > 0, restartedAt + 120 * SECOND, ctx.log);
  const firstFire = Math.min(...restarted().map((k) => watch.arrivals.get(k)!));
  await until('timer: every overdue deadline after the restart', () => restarted().length >= p.restart, restartedAt + 120 * SECOND, ctx.log);
  const allRestart = Math.max(...restarted().map((k) => watch.arrivals.get(k)!));
  const [{ dup }] = (await db.query(`SELECT count(*)::int AS dup FROM (SELECT lead_id FROM timer.deadlines WHERE lead_id LIKE $1 AND status = 'fired' GROUP BY lead_id HAVING count(*) > 1) x`, [`${run}%`])).rows;
  await service.stop('SIGTERM');
  await watch.stop();
  return {
    ...f, loadS, restartFirstFireS: (firstFire - restartedAt) / SECOND, restartFromReadyS: (firstFire - readyAt) / SECOND,
    restartAllS: (allRestart - restartedAt) / SECOND, duplicates: dup as number,
    dbP50: Number(claim.p50), dbP99: Number(claim.p99), dbMax: Number(claim.max),
  };
}

async function runPgBoss(ctx: BenchContext, db: Client, plan: Omit<Plan, 'start' | 'burstStart'>) {
  const queue = 'timer-bench';
  const boss = new PgBoss({ connectionString: ctx.databaseUrl, max: 5 });
  boss.on('error', (e) => ctx.log(`pg-boss error: ${(e as Error).message}`));
  await boss.start();
  await boss.createQueue(queue);
  const background = plan.pending - plan.steady - plan.burst;
  const t = Date.now();
  ctx.log(`pg-boss: loading ${background} background jobs (start after 1–30 days)`);
  for (let from = 0; from < background; from += CHUNK) {
    await db.query(
      `INSERT INTO pgboss.job (id, name, data, start_after, keep_until, policy)
       SELECT gen_random_uuid(), $3, jsonb_build_object('lead', 'bg-' || g), now() + interval '1 day' + g * interval '2 seconds', now() + interval '60 days', 'standard'
       FROM generate_series($1::int, $2::int) g`,
      [from, Math.min(background, from + CHUNK) - 1, queue],
    );
  }
  await db.query('VACUUM ANALYZE pgboss.job');
  await db.query('CHECKPOINT');
  const loadS = (Date.now() - t) / SECOND;
  await db.query('CREATE TABLE IF NOT EXISTS public.pgboss_fired (lead text PRIMARY KEY, fired_at timestamptz NOT NULL)');

  const start = Date.now() + 30 * SECOND;
  const p: Plan = { ...plan, start, burstStart: start + plan.steadyMs + 5 * SECOND };
  const jobs = [
    ...Array.from({ length: p.steady }, (_, i) => ({ name: queue, data: { lead: `s-${i}` }, startAfter: new Date(steadyDue(p, i)) })),
    ...Array.from({ length: p.burst }, (_, i) => ({ name: queue, data: { lead: `b-${i}` }, startAfter: new Date(burstDue(p, i)) })),
  ];
  ctx.log(`pg-boss: scheduling ${p.steady} jobs over ${p.steadyMs / SECOND} s and a burst of ${p.burst} within one minute`);
  for (let i = 0; i < jobs.length; i += 5000) await boss.insert(jobs.slice(i, i + 5000));
  const fired = new Map<string, number>();
  // The same effect as a timer fire: one transaction per fetched batch records the breach; the commit is the fire time.
  await boss.work<{ lead: string }>(queue, { batchSize: 1000, pollingIntervalSeconds: 0.5 }, async (batch) => {
    await db.query('INSERT INTO public.pgboss_fired (lead, fired_at) SELECT unnest($1::text[]), now() ON CONFLICT DO NOTHING', [batch.map((j) => j.data.lead)]);
    const now = Date.now();
    for (const j of batch) if (!fired.has(j.data.lead)) fired.set(j.data.lead, now);
  });
  const total = p.steady + p.burst;
  await until('pg-boss: every scheduled job to run', () => fired.size >= total, p.burstStart + 60 * SECOND + 120 * SECOND, ctx.log);
  const f = figures(p, (k, i) => (k === 'steady' ? steadyDue(p, i) : burstDue(p, i)), (k, i) => fired.get(`${k === 'steady' ? 's' : 'b'}-${i}`));
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  return { ...f, loadS };
}

/**
 * Durable deadlines at scale (DESIGN.md §8): N pending deadlines, deadline →
 * SlaBreached latency, a burst due within one minute, first fire after a
 * restart; then the same deadlines through pg-boss on the same Postgres.
 */
export const timerScenario: BenchScenario = {
  name: 'timer',
  description: 'SLA deadlines: 1M pending, fire latency, 50k burst in a minute, restart; and pg-boss for comparison (--pending= --burst= --steady= --restart=)',
  async run(ctx) {
    const plan = {
      pending: numberArg(ctx, 'pending', 1_000_000),
      burst: numberArg(ctx, 'burst', 50_000),
      steady: numberArg(ctx, 'steady', 3_000),
      restart: numberArg(ctx, 'restart', 1_000),
      steadyMs: 30 * SECOND,
    };
    if (plan.steady + plan.burst > plan.pending) throw new Error('--pending must be at least --steady + --burst');
    const db = new Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    try {
      const timer = await runTimer(ctx, db, plan);
      const boss = await runPgBoss(ctx, db, plan);
      const json = {
        pending: plan.pending,
        steady: plan.steady,
        burst: plan.burst,
        load_s: round(timer.loadS),
        fire_p50_ms: round(timer.p50, 0),
        fire_p99_ms: round(timer.p99, 0),
        fire_max_ms: round(timer.max, 0),
        claim_p50_ms: round(timer.dbP50, 0),
        claim_p99_ms: round(timer.dbP99, 0),
        claim_max_ms: round(timer.dbMax, 0),
        burst_fired_within_s: round(timer.burstWithinS),
        burst_p99_ms: round(timer.burstP99, 0),
        missed: timer.steadyMissing + timer.burstMissing,
        restart_first_fire_s: round(timer.restartFirstFireS),
        restart_first_fire_after_ready_s: round(timer.restartFromReadyS),
        restart_all_fired_s: round(timer.restartAllS),
        duplicate_fires: timer.duplicates,
        pgboss_load_s: round(boss.loadS),
        pgboss_fire_p50_ms: round(boss.p50, 0),
        pgboss_fire_p99_ms: round(boss.p99, 0),
        pgboss_fire_max_ms: round(boss.max, 0),
        pgboss_burst_fired_within_s: round(boss.burstWithinS),
        pgboss_burst_p99_ms: round(boss.burstP99, 0),
        pgboss_missed: boss.steadyMissing + boss.burstMissing,
        ratio_p99_pgboss_over_timer: round(boss.p99 / Math.max(1, timer.p99), 2),
      };
      return {
        title: `SLA deadlines: ${plan.pending} pending, ${plan.steady} steady + ${plan.burst} burst fired (timer: due → SlaBreached on Kafka; pg-boss: due → handler commit)`,
        rows: [
          ['pending deadlines', plan.pending],
          ['load (generate_series), s', json.load_s],
          ['fire latency p50 / p99 / max, ms', `${json.fire_p50_ms} / ${json.fire_p99_ms} / ${json.fire_max_ms}`],
          ['  of which due → firing transaction starts, p50 / p99 / max, ms', `${json.claim_p50_ms} / ${json.claim_p99_ms} / ${json.claim_max_ms}`],
          [`burst of ${plan.burst}: last fired after window start, s`, json.burst_fired_within_s],
          ['burst lateness p99, ms', json.burst_p99_ms],
          ['missed', json.missed],
          ['restart → first overdue fire, s (from spawn / from ready)', `${json.restart_first_fire_s} / ${json.restart_first_fire_after_ready_s}`],
          [`restart → all ${plan.restart} overdue fired, s`, json.restart_all_fired_s],
          ['duplicate fires', json.duplicate_fires],
          ['pg-boss fire latency p50 / p99 / max, ms', `${json.pgboss_fire_p50_ms} / ${json.pgboss_fire_p99_ms} / ${json.pgboss_fire_max_ms}`],
          [`pg-boss burst: last run after window start, s`, json.pgboss_burst_fired_within_s],
          ['pg-boss missed', json.pgboss_missed],
          ['p99 ratio pg-boss / timer', json.ratio_p99_pgboss_over_timer],
        ],
        json,
      };
    } finally {
      await db.end();
    }
  },
};
