import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { SERVICE_NAMES, startPlatform } from '@lead-sla/local-infra';
import { createKafka, ensureTopics, EventPublisher } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent } from '@lead-sla/testing';
import { numberArg, percentile, round, type BenchContext, type BenchScenario } from '../bench-scenario';

export const benchPolicyFile = join(__dirname, '../../policies/bench.policy.yaml');

/** The bare ceiling: the same broker and client producing and consuming N messages, no processing. */
async function measureCeiling(kafka: Kafka, count: number, batch: number, payload: string): Promise<number> {
  const topic = `bench-ceiling-${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 50 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({ eachBatch: async ({ batch: b }) => {
    received += b.messages.length;
    if (received >= count) done();
  } });
  const started = Date.now();
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `lead-${i + j}`, value: payload })) });
  }
  await finished;
  const seconds = (Date.now() - started) / 1000;
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return count / seconds;
}

/** Arrival times of LeadAssigned for the leads of this run (created → assigned committed). */
async function watchAssignments(kafka: Kafka, leadIds: Set<string>) {
  const arrivals = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `bench-watch-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.leadEvents, fromBeginning: false });
  await consumer.run({ eachBatch: async ({ batch }) => {
    const now = Date.now();
    for (const m of batch.messages) {
      if (m.headers?.['event-type']?.toString() !== 'LeadAssigned') continue;
      const key = m.key?.toString() ?? '';
      if (leadIds.has(key) && !arrivals.has(key)) arrivals.set(key, now);
    }
  } });
  // Let the group join before leads are published, so no assignment is missed.
  await new Promise((r) => setTimeout(r, 3000));
  return { arrivals, stop: () => consumer.disconnect() };
}

export async function runLeadStream(ctx: BenchContext, count: number, ratePerSecond: number | null) {
  const platform = await startPlatform({
    kafkaBrokers: ctx.kafkaBrokers, databaseUrl: ctx.databaseUrl, policyFile: benchPolicyFile,
    logDir: join(ctx.runDir, 'logs'), extraEnv: { LOG_LEVEL: 'warn', KAFKA_LOG_LEVEL: 'nothing' },
  });
  const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    const leads = Array.from({ length: count }, (_, i) => makeEvent('LeadCreated', `bench-${randomUUID().slice(0, 8)}-${i}`, leadCreatedData()));
    const createdAt = new Map<string, number>();
    const watch = await watchAssignments(kafka, new Set(leads.map((l) => l.leadId!)));
    ctx.log(`publishing ${count} leads${ratePerSecond ? ` at ${ratePerSecond}/s` : ' as fast as possible'}`);
    const batch = ratePerSecond ? Math.max(1, Math.round(ratePerSecond / 20)) : 200;
    const started = Date.now();
    for (let i = 0; i < count; i += batch) {
      if (ratePerSecond) {
        const due = started + (i / ratePerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const slice = leads.slice(i, i + batch).map((l) => ({ ...l, occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString() }));
      const t = Date.now();
      slice.forEach((l) => createdAt.set(l.leadId!, t));
      await publisher.publish(slice);
    }
    const ids = leads.map((l) => l.leadId!);
    let projected = 0;
    const deadline = Date.now() + 600_000;
    while (projected < count && Date.now() < deadline) {
      const r = await db.query(`SELECT count(*)::int AS n FROM reporting.lead_rows WHERE lead_id = ANY($1) AND row->>'assignedAt' IS NOT NULL`, [ids]);
      projected = r.rows[0].n;
      if (projected < count) await new Promise((r2) => setTimeout(r2, 100));
    }
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    await watch.stop();
    const latencies = ids.flatMap((id) => (watch.arrivals.has(id) ? [watch.arrivals.get(id)! - createdAt.get(id)!] : []));
    return { seconds, projected, latencies, payload: JSON.stringify(leads[0]) };
  } finally {
    await db.end();
    await publisher.disconnect();
    await platform.stop();
  }
}

export const e2eScenario: BenchScenario = {
  name: 'e2e',
  description: 'leads/s through created → assigned → projected, latency p50/p99, and the bare Kafka ceiling (--leads=N)',
  async run(ctx) {
    const count = numberArg(ctx, 'leads', 5000);
    const run = await runLeadStream(ctx, count, null);
    if (run.projected < count) throw new Error(`only ${run.projected} of ${count} leads were projected within the time limit`);
    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-ceiling' });
    ctx.log('measuring the bare produce/consume ceiling');
    const ceiling = await measureCeiling(kafka, count, 200, run.payload);
    const eventsPerS = count / run.seconds;
    const json = {
      leads: count,
      events_per_s: round(eventsPerS),
      ceiling_events_per_s: round(ceiling),
      ratio: round(eventsPerS / ceiling, 3),
      assign_p50_ms: round(percentile(run.latencies, 50)),
      assign_p99_ms: round(percentile(run.latencies, 99)),
      assign_samples: run.latencies.length,
    };
    return {
      title: `e2e: ${count} leads, created → assigned → projected (${SERVICE_NAMES.length} services, real Kafka + Postgres)`,
      rows: [
        ['leads', count],
        ['throughput (leads/s, created→projected)', json.events_per_s],
        ['bare ceiling (msgs/s, produce+consume)', json.ceiling_events_per_s],
        ['ratio', json.ratio],
        ['created → LeadAssigned p50 (ms)', json.assign_p50_ms],
        ['created → LeadAssigned p99 (ms)', json.assign_p99_ms],
      ],
      json,
    };
  },
};
