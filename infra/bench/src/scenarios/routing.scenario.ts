import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort, migrateService, startPlatform, startService, type RunningService } from '@lead-sla/local-infra';
import { Client } from 'pg';
import { createKafka, ensureTopics, EventPublisher, platformTopics } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent } from '@lead-sla/testing';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';
import { batchTimings, CpuMeter, loadAverage, waitCaughtUp } from '../platform-probe';
import { benchPolicyFile, readRun } from './e2e.scenario';

/** Only routing (default), or all four services competing for the same cores (--platform=full). */
async function startRouting(ctx: BenchContext): Promise<{ services: RunningService[]; stop(): Promise<unknown> }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: ctx.kafkaBrokers,
    DATABASE_URL: ctx.databaseUrl,
    POLICY_FILE: benchPolicyFile,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    LOG_LEVEL: 'warn',
    KAFKA_LOG_LEVEL: 'nothing',
  };
  if (ctx.args.platform === 'full') {
    const platform = await startPlatform({
      kafkaBrokers: ctx.kafkaBrokers, databaseUrl: ctx.databaseUrl, policyFile: benchPolicyFile,
      logDir: join(ctx.runDir, 'logs'), extraEnv: { LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing' },
    });
    return { services: Object.values(platform.services), stop: () => platform.stop() };
  }
  if (ctx.args.platform !== undefined && ctx.args.platform !== 'routing') throw new Error(`--platform must be "routing" or "full" (got "${ctx.args.platform}")`);
  migrateService('routing', env);
  const routing: RunningService = await startService({ name: 'routing', port: await freePort() }, env, join(ctx.runDir, 'logs'));
  return { services: [routing], stop: () => routing.stop() };
}

export const routingScenario: BenchScenario = {
  name: 'routing',
  description:
    'leads published at --rate (default 500/s) for --warmup (default 5 s) + --seconds (default 20 s): created → LeadAssigned p50/p99 after the warm-up, by the records\' own timestamps on the log (--platform=routing|full)',
  async run(ctx) {
    const rate = numberArg(ctx, 'rate', 500);
    const warmup = numberArg(ctx, 'warmup', 5);
    const count = Math.round(rate * (warmup + numberArg(ctx, 'seconds', 20)));
    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-routing' });
    await ensureTopics(kafka, platformTopics(3));
    const service = await startRouting(ctx);
    const full = ctx.args.platform === 'full';
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    const db = new Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    try {
      const territories = ['emea', 'na', 'latam'];
      const leads = Array.from({ length: count }, (_, i) =>
        makeEvent('LeadCreated', `bench-routing-${randomUUID().slice(0, 8)}-${i}`, leadCreatedData({ territory: territories[i % territories.length], intentTier: 'warm' })),
      );
      const meter = new CpuMeter(Object.fromEntries(service.services.map((s) => [s.name, s.process.pid!])), ctx.runDir);
      // Small batches every 20 ms: close to a steady arrival rate without one send per lead.
      const batch = Math.max(1, Math.round(rate / 50));
      ctx.log(`publishing ${count} leads at ${rate}/s in batches of ${batch} (warm-up ${warmup} s); load average ${loadAverage()}`);
      const load = { start: loadAverage(), end: 0 };
      meter.start();
      const started = Date.now();
      for (let i = 0; i < count; i += batch) {
        const wait = started + (i / rate) * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const now = new Date().toISOString();
        await publisher.publish(leads.slice(i, i + batch).map((l) => ({ ...l, occurredAt: now, recordedAt: now })));
      }
      const published = Date.now();
      // Done when routing (or, with --platform=full, every consuming service) has applied the whole topic and relayed every decision.
      const schemas = service.services.map((s) => s.name);
      const caughtUpAt = await waitCaughtUp(db, kafka, schemas, schemas.filter((s) => s !== 'ingest'), 300_000, ctx.log);
      const cpuMs = meter.stop();
      load.end = loadAverage();
      const timings = await batchTimings(service.services);
      const run = await readRun(kafka, started + warmup * 1000, new Set(leads.map((l) => l.leadId!)));
      if (run.unassigned > 0) throw new Error(`${run.unassigned} of ${count} leads were never assigned; the figures would be wrong (see the service logs in ${ctx.runDir}/logs)`);
      const latencies = run.assignLatencies;
      const cpuPer1000 = Object.fromEntries([...cpuMs].map(([name, ms]) => [`cpu_ms_per_1000_leads_${name}`, round((ms / count) * 1000)]));
      const json = {
        leads: count,
        platform: full ? 'full' : 'routing',
        target_rate_per_s: rate,
        rate_per_s: round(count / ((published - started) / 1000)),
        leads_per_s: round(count / ((caughtUpAt - started) / 1000)),
        assign_p50_ms: round(percentile(latencies, 50)),
        assign_p99_ms: round(percentile(latencies, 99)),
        assign_max_ms: round(Math.max(...latencies)),
        assign_samples: latencies.length,
        load_avg_start: load.start,
        load_avg_end: load.end,
        ...cpuPer1000,
      };
      return {
        title: `routing: ${count} leads at ${rate}/s, created → LeadAssigned on the topic after a ${warmup} s warm-up (real Kafka + Postgres, ${json.platform})`,
        rows: [
          ['leads (after the warm-up)', `${count} (${latencies.length})`],
          ['publish rate achieved (leads/s)', json.rate_per_s],
          ['leads/s (first publish → caught up)', json.leads_per_s],
          ['created → LeadAssigned p50 (ms)', json.assign_p50_ms],
          ['created → LeadAssigned p99 (ms)', json.assign_p99_ms],
          ['created → LeadAssigned max (ms)', json.assign_max_ms],
          ['load average (1 min, start → end)', `${load.start} → ${load.end}`],
          ...[...cpuMs].map(([name, ms]) => [`CPU ms per 1,000 leads: ${name}`, round((ms / count) * 1000)] as const),
          ...timings,
        ],
        json,
      };
    } finally {
      await db.end();
      await publisher.disconnect();
      await service.stop();
    }
  },
};
