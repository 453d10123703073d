import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { SERVICE_NAMES, startPlatform } from '@lead-sla/local-infra';
import { createKafka, EventPublisher, scanLog, type KafkaClient } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent } from '@lead-sla/testing';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';
import { likeForLikeCeiling, type MessageShape } from '../like-for-like-ceiling';
import { formatShares, summariseProcessProfiles, type ProfileSummary } from '../cpu-profile';
import { batchTimings, CpuMeter, loadAverage, OffsetSampler, topicEnd, waitCaughtUp } from '../platform-probe';

export const benchPolicyFile = join(__dirname, '../../policies/bench.policy.yaml');

/** How often reporting's stored offsets are read during a run: each projection lag is over-stated by at most this. */
const PROJECTION_SAMPLE_MS = 50;

/** The services that consume the log (ingest is an edge that only publishes): one consumer group each. */
const CONSUMING_SERVICES = SERVICE_NAMES.filter((s) => s !== 'ingest');

export interface StreamOptions {
  readonly leads: number;
  /** Leads per second; null: as fast as the publisher can (a burst). */
  readonly ratePerSecond: number | null;
  /** Leads created in the first `warmupSeconds` are left out of the latency figures. */
  readonly warmupSeconds: number;
  /** Partitions of the lead-events topic (default 3, the platform's default). */
  readonly partitions?: number;
  /** Run the services under `node --cpu-prof` and summarise where each one's CPU went during the run. */
  readonly profile?: boolean;
}

export interface StreamRun {
  readonly leads: number;
  /** Every event the topic received during the run: the leads and every decision about them. */
  readonly events: number;
  /** First publish → every consumer group at the end of the topic, every outbox empty. */
  readonly seconds: number;
  readonly publishSeconds: number;
  /** created → LeadAssigned on the topic, by the records' own timestamps, after the warm-up. */
  readonly assignLatencies: number[];
  /** Every record on the topic after the warm-up: its timestamp on the log → reporting's stored offset covering it. */
  readonly reportingLags: number[];
  readonly unassigned: number;
  readonly shapes: MessageShape[];
  readonly cpuMs: Map<string, number>;
  readonly load: { readonly start: number; readonly end: number };
  /** Each service's batch and outbox-send timings over the run (its own histograms, warm-up included). */
  readonly timings: Array<[string, string]>;
  /** With `profile`: per service, where its CPU went from the first publish until it stopped. */
  readonly profiles: Map<string, ProfileSummary>;
}

/** What the log says about the run: events, shapes for the ceiling, created → assigned per lead (the records' own timestamps). */
export async function readRun(kafka: KafkaClient, warmupEndsAt: number, leadIds: ReadonlySet<string>, projected?: OffsetSampler) {
  const shapes: MessageShape[] = [];
  const reportingLags: number[] = [];
  const created = new Map<string, number>();
  const assigned = new Map<string, number>();
  const end = await topicEnd(kafka);
  await scanLog(kafka, Topics.leadEvents, end, (m) => {
    const key = m.key?.toString('utf8') ?? null;
    shapes.push({ partition: m.partition, key, headers: m.headers, valueBytes: m.value?.length ?? 0 });
    const at = Number(m.timestamp);
    if (projected && at >= warmupEndsAt) {
      const appliedAt = projected.coveredAt(m.partition, BigInt(m.offset));
      if (appliedAt !== null) reportingLags.push(Math.max(0, appliedAt - at));
    }
    if (key === null || !leadIds.has(key)) return;
    // The platform's relays label each record; the bench's own publisher (like an integrator's) may not.
    const type = m.headers['event-type'] ?? (JSON.parse(m.value?.toString('utf8') ?? '{}') as { type?: string }).type;
    if (type === 'LeadCreated' && !created.has(key)) created.set(key, at);
    if (type === 'LeadAssigned' && !assigned.has(key)) assigned.set(key, at);
  }, `bench-read-${randomUUID().slice(0, 8)}`);
  const assignLatencies = [...created].flatMap(([lead, at]) => (at >= warmupEndsAt && assigned.has(lead) ? [assigned.get(lead)! - at] : []));
  return { shapes, assignLatencies, reportingLags, unassigned: [...created.keys()].filter((l) => !assigned.has(l)).length };
}

/**
 * Publishes `leads` LeadCreated events (in a burst or at a steady rate) to
 * the whole platform, waits until every service has applied every event the
 * run caused and published every decision, then reads the log back.
 */
export async function runLeadStream(ctx: BenchContext, o: StreamOptions): Promise<StreamRun> {
  const profileDir = join(ctx.runDir, 'profiles');
  const platform = await startPlatform({
    kafkaBrokers: ctx.kafkaBrokers, databaseUrl: ctx.databaseUrl, policyFile: benchPolicyFile,
    logDir: join(ctx.runDir, 'logs'), extraEnv: { LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing', LEAD_EVENTS_PARTITIONS: String(o.partitions ?? 3), ...(o.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}) },
  });
  const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const projected = new OffsetSampler(ctx.databaseUrl, 'reporting', PROJECTION_SAMPLE_MS);
  const pids = Object.fromEntries(SERVICE_NAMES.map((n) => [n, platform.services[n].process.pid!]));
  let measuredFrom = Date.now();
  let result: Omit<StreamRun, 'profiles'>;
  try {
    const meter = new CpuMeter(pids, ctx.runDir);
    const leads = Array.from({ length: o.leads }, (_, i) => makeEvent('LeadCreated', `bench-${randomUUID().slice(0, 8)}-${i}`, leadCreatedData()));
    ctx.log(`publishing ${o.leads} leads ${o.ratePerSecond ? `at ${o.ratePerSecond}/s (warm-up ${o.warmupSeconds} s)` : 'as fast as possible'}; load average ${loadAverage()}`);
    const load = { start: loadAverage(), end: 0 };
    meter.start();
    await projected.start();
    // A steady rate sends a small batch every 50 ms; a burst sends batches of 200 back to back.
    const batch = o.ratePerSecond ? Math.max(1, Math.round(o.ratePerSecond / 20)) : 200;
    const started = Date.now();
    measuredFrom = started;
    for (let i = 0; i < o.leads; i += batch) {
      if (o.ratePerSecond) {
        const wait = started + (i / o.ratePerSecond) * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const now = new Date().toISOString();
      await publisher.publish(leads.slice(i, i + batch).map((l) => ({ ...l, occurredAt: now, recordedAt: now })));
    }
    const publishSeconds = (Date.now() - started) / 1000;
    const caughtUpAt = await waitCaughtUp(db, kafka, SERVICE_NAMES, CONSUMING_SERVICES, 900_000, ctx.log);
    const cpuMs = meter.stop();
    load.end = loadAverage();
    await projected.stop();
    const timings = await batchTimings(Object.values(platform.services));
    const run = await readRun(kafka, started + o.warmupSeconds * 1000, new Set(leads.map((l) => l.leadId!)), projected);
    result = { leads: o.leads, events: run.shapes.length, seconds: (caughtUpAt - started) / 1000, publishSeconds, assignLatencies: run.assignLatencies, reportingLags: run.reportingLags, unassigned: run.unassigned, shapes: run.shapes, cpuMs, load, timings };
  } finally {
    await projected.stop();
    await db.end();
    await publisher.disconnect();
    await platform.stop();
  }
  // Each profile is written when its process exits: its last (now − first publish) ms are the run.
  return { ...result, profiles: o.profile ? summariseProcessProfiles(profileDir, pids, Date.now() - measuredFrom) : new Map() };
}

export const e2eScenario: BenchScenario = {
  name: 'e2e',
  description:
    'lead events/s through every service until every consumer group is caught up, vs the like-for-like Kafka ceiling (--leads=N); --rate=R [--seconds=S --warmup=W]: steady created → LeadAssigned p50/p99; --partitions=P: the lead-events topic with P partitions (default 3); --profile: where the CPU of each service went (node --cpu-prof)',
  async run(ctx) {
    const rate = ctx.args.rate === undefined ? null : numberArg(ctx, 'rate', 200);
    const warmup = rate ? numberArg(ctx, 'warmup', 10) : 0;
    const leads = rate ? Math.round(rate * (warmup + numberArg(ctx, 'seconds', 60))) : numberArg(ctx, 'leads', 5000);
    const partitions = numberArg(ctx, 'partitions', 3);
    const run = await runLeadStream(ctx, { leads, ratePerSecond: rate, warmupSeconds: warmup, partitions, profile: ctx.args.profile === 'true' });
    if (run.unassigned > 0) throw new Error(`${run.unassigned} of ${leads} leads were never assigned; the figures would be wrong (see the service logs in ${ctx.runDir}/logs)`);
    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-ceiling' });
    const ceiling = await likeForLikeCeiling(kafka, ctx.kafkaBrokers, run.shapes, CONSUMING_SERVICES.length, numberArg(ctx, 'ceiling-seconds', 20), ctx.log);
    const eventsPerS = run.events / run.seconds;
    const cpuPer1000 = Object.fromEntries([...run.cpuMs].map(([name, ms]) => [`cpu_ms_per_1000_leads_${name}`, round((ms / leads) * 1000)]));
    const json = {
      mode: rate ? 'steady' : 'burst',
      partitions,
      leads,
      events: run.events,
      events_per_lead: round(run.events / leads, 2),
      seconds: round(run.seconds, 2),
      events_per_s: round(eventsPerS),
      ceiling_events_per_s: round(ceiling.eventsPerS),
      ceiling_messages: ceiling.messages,
      ceiling_seconds: round(ceiling.seconds, 2),
      ratio: round(eventsPerS / ceiling.eventsPerS, 3),
      rate_per_s: round(leads / run.publishSeconds),
      assign_p50_ms: round(percentile(run.assignLatencies, 50)),
      assign_p99_ms: round(percentile(run.assignLatencies, 99)),
      assign_samples: run.assignLatencies.length,
      reporting_lag_p50_ms: round(percentile(run.reportingLags, 50)),
      reporting_lag_p99_ms: round(percentile(run.reportingLags, 99)),
      reporting_lag_samples: run.reportingLags.length,
      load_avg_start: run.load.start,
      load_avg_end: run.load.end,
      ...cpuPer1000,
      ...Object.fromEntries([...run.profiles].map(([name, p]) => [`profile_${name}`, formatShares(p.byPlace, 8)])),
    };
    return {
      title: `e2e (${json.mode}): ${leads} leads, ${run.events} lead events through ${SERVICE_NAMES.length} services, ${partitions} partitions (real Kafka + Postgres, acks=all)`,
      rows: [
        ['leads published (per s)', `${leads} (${json.rate_per_s}/s)`],
        ['lead events on the topic (per lead)', `${run.events} (${json.events_per_lead})`],
        ['first publish → every group caught up (s)', json.seconds],
        ['throughput (lead events/s)', json.events_per_s],
        [`like-for-like ceiling (events/s, ${CONSUMING_SERVICES.length} groups, ${json.ceiling_seconds} s)`, json.ceiling_events_per_s],
        ['ratio', json.ratio],
        [`created → LeadAssigned p50 / p99 (ms, ${run.assignLatencies.length} leads${warmup ? ` after ${warmup} s warm-up` : ''})`, `${json.assign_p50_ms} / ${json.assign_p99_ms}`],
        [`reporting's projection lag p50 / p99 (ms, ${run.reportingLags.length} records${warmup ? ' after the warm-up' : ''}; polled every ${PROJECTION_SAMPLE_MS} ms)`, `${json.reporting_lag_p50_ms} / ${json.reporting_lag_p99_ms}`],
        ['load average (1 min, start → end)', `${run.load.start} → ${run.load.end}`],
        ...[...run.cpuMs].map(([name, ms]) => [`CPU ms per 1,000 leads: ${name}`, round((ms / leads) * 1000)] as const),
        ...run.timings,
        ...[...run.profiles].flatMap(([name, p]) => [
          [`CPU profile ${name} (${Math.round(p.busyMs)} ms sampled): by place`, formatShares(p.byPlace, 8)] as const,
          [`CPU profile ${name}: top functions (self time)`, formatShares(p.topFunctions, 5)] as const,
        ]),
      ],
      json,
    };
  },
};
