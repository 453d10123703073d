import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Topics } from '@lead-sla/contracts';
import { freePort, migrateService, startPlatform, startService, type RunningService } from '@lead-sla/local-infra';
import { createKafka, ensureTopics, EventPublisher, platformTopics, tailLog, type KafkaClient } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent } from '@lead-sla/testing';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';
import { benchPolicyFile } from './e2e.scenario';

/** When each lead's first LeadAssigned reached the topic (created → assigned, committed and relayed). */
async function watchAssignments(kafka: KafkaClient, leadIds: ReadonlySet<string>) {
  const arrivals = new Map<string, number>();
  let joined!: () => void;
  const groupJoined = new Promise<void>((r) => (joined = r));
  const consumer = await tailLog(kafka, { topics: [Topics.leadEvents], groupId: `bench-routing-watch-${randomUUID().slice(0, 8)}`, fromBeginning: false, maxWaitTimeMs: 10, onJoined: () => joined() }, ({ records }) => {
    const now = Date.now();
    for (const m of records) {
      if (m.headers['event-type'] !== 'LeadAssigned') continue;
      const key = m.key?.toString() ?? '';
      if (leadIds.has(key) && !arrivals.has(key)) arrivals.set(key, now);
    }
  });
  await groupJoined;
  // "latest" is resolved on the first fetch after the join: give it a moment so no early assignment is missed.
  await new Promise((r) => setTimeout(r, 1500));
  return { arrivals, stop: () => consumer.stop() };
}

/** Only routing (default), or all four services competing for the same cores (--platform=full). */
async function startRouting(ctx: BenchContext): Promise<{ stop(): Promise<unknown> }> {
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
    return startPlatform({
      kafkaBrokers: ctx.kafkaBrokers, databaseUrl: ctx.databaseUrl, policyFile: benchPolicyFile,
      logDir: join(ctx.runDir, 'logs'), extraEnv: { LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing' },
    });
  }
  if (ctx.args.platform !== undefined && ctx.args.platform !== 'routing') throw new Error(`--platform must be "routing" or "full" (got "${ctx.args.platform}")`);
  migrateService('routing', env);
  const routing: RunningService = await startService({ name: 'routing', port: await freePort() }, env, join(ctx.runDir, 'logs'));
  return { stop: () => routing.stop() };
}

export const routingScenario: BenchScenario = {
  name: 'routing',
  description: 'leads published at --rate (default 500/s), --leads (default 5000): assignment throughput and created → LeadAssigned p50/p99 (--platform=routing|full)',
  async run(ctx) {
    const count = numberArg(ctx, 'leads', 5000);
    const rate = numberArg(ctx, 'rate', 500);
    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-routing' });
    await ensureTopics(kafka, platformTopics(3));
    const service = await startRouting(ctx);
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    try {
      const territories = ['emea', 'na', 'latam'];
      const leads = Array.from({ length: count }, (_, i) =>
        makeEvent('LeadCreated', `bench-routing-${randomUUID().slice(0, 8)}-${i}`, leadCreatedData({ territory: territories[i % territories.length], intentTier: 'warm' })),
      );
      const watch = await watchAssignments(kafka, new Set(leads.map((l) => l.leadId!)));
      const createdAt = new Map<string, number>();
      // Small batches every 20 ms: close to a steady arrival rate without one send per lead.
      const batch = Math.max(1, Math.round(rate / 50));
      ctx.log(`publishing ${count} leads at ${rate}/s in batches of ${batch}`);
      const started = Date.now();
      for (let i = 0; i < count; i += batch) {
        const wait = started + (i / rate) * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t = Date.now();
        const slice = leads.slice(i, i + batch).map((l) => ({ ...l, occurredAt: new Date(t).toISOString(), recordedAt: new Date(t).toISOString() }));
        for (const l of slice) createdAt.set(l.leadId!, t);
        await publisher.publish(slice);
      }
      const published = Date.now();
      const deadline = published + 300_000;
      while (watch.arrivals.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await watch.stop();
      if (watch.arrivals.size < count) throw new Error(`only ${watch.arrivals.size} of ${count} leads were assigned within 5 minutes`);
      const latencies = leads.map((l) => watch.arrivals.get(l.leadId!)! - createdAt.get(l.leadId!)!);
      const lastArrival = Math.max(...watch.arrivals.values());
      const json = {
        leads: count,
        platform: ctx.args.platform ?? 'routing',
        target_rate_per_s: rate,
        rate_per_s: round(count / ((published - started) / 1000)),
        leads_per_s: round(count / ((lastArrival - started) / 1000)),
        assign_p50_ms: round(percentile(latencies, 50)),
        assign_p99_ms: round(percentile(latencies, 99)),
        assign_max_ms: round(Math.max(...latencies)),
      };
      return {
        title: `routing: ${count} leads at ${rate}/s, created → LeadAssigned on the topic (real Kafka + Postgres, ${json.platform})`,
        rows: [
          ['leads', count],
          ['publish rate achieved (leads/s)', json.rate_per_s],
          ['assignment throughput (leads/s)', json.leads_per_s],
          ['created → LeadAssigned p50 (ms)', json.assign_p50_ms],
          ['created → LeadAssigned p99 (ms)', json.assign_p99_ms],
          ['created → LeadAssigned max (ms)', json.assign_max_ms],
        ],
        json,
      };
    } finally {
      await publisher.disconnect();
      await service.stop();
    }
  },
};
