import { createKafka, KAFKA_CLIENT_NAMES, kafkaClientName, type KafkaClientName } from '@lead-sla/messaging';
import { numberArg, percentile, round, type BenchScenario } from '../bench-scenario';
import { likeForLikeCeiling, type CeilingResult } from '../like-for-like-ceiling';
import { loadAverage } from '../platform-probe';
import { runLeadStream } from './e2e.scenario';

/** The consuming services of the platform: one consumer group each in the ceiling. */
const GROUPS = 5;

interface Run extends CeilingResult {
  readonly repetition: number;
  readonly loadStart: number;
  readonly loadEnd: number;
}

/**
 * The Kafka client libraries behind the port, on the like-for-like ceiling
 * (docs/adr/0008-kafka-client.md): one short platform run records the real
 * messages (partitions, keys, headers, value sizes); then each client replays
 * them on the same broker — idempotent producer with acks=all, five consumer
 * groups in processes of their own — for at least `--seconds`, followed by a
 * paced phase that times each message from the produce call to every group.
 * Clients alternate within each repetition, so machine load hits both alike.
 */
export const kafkaClientsScenario: BenchScenario = {
  name: 'kafka-clients',
  description:
    'kafkajs vs @platformatic/kafka on the like-for-like ceiling, same broker and messages (--reps=3 --seconds=20 --leads=500 --rate=2000 --paced-seconds=10 --clients=kafkajs,platformatic)',
  async run(ctx) {
    const reps = numberArg(ctx, 'reps', 3);
    const seconds = numberArg(ctx, 'seconds', 20);
    const rate = numberArg(ctx, 'rate', 2000);
    const pacedSeconds = numberArg(ctx, 'paced-seconds', 10);
    const clients: KafkaClientName[] = (ctx.args.clients ?? KAFKA_CLIENT_NAMES.join(',')).split(',').map((c) => kafkaClientName(c.trim()));
    ctx.log(`recording the messages of a ${numberArg(ctx, 'leads', 500)}-lead platform run (the ceiling replays them)`);
    const stream = await runLeadStream(ctx, { leads: numberArg(ctx, 'leads', 500), ratePerSecond: null, warmupSeconds: 0 });
    const kafka = createKafka({ brokers: ctx.kafkaBrokers, clientId: 'bench-kafka-clients' });
    const runs: Run[] = [];
    for (let repetition = 1; repetition <= reps; repetition++) {
      // Alternate which client goes first, so neither always meets the warmer broker.
      const order = repetition % 2 === 1 ? clients : [...clients].reverse();
      for (const client of order) {
        const loadStart = loadAverage();
        const result = await likeForLikeCeiling(kafka, ctx.kafkaBrokers, stream.shapes, GROUPS, seconds, ctx.log, { client, paced: { ratePerS: rate, seconds: pacedSeconds } });
        const run = { ...result, repetition, loadStart, loadEnd: loadAverage() };
        ctx.log(
          `rep ${repetition} ${client}: ${round(run.eventsPerS)} msgs/s over ${round(run.seconds, 1)} s; at ${rate}/s p50 ${run.latency?.p50} ms p99 ${run.latency?.p99} ms; load ${loadStart} → ${run.loadEnd}`,
        );
        runs.push(run);
      }
    }
    const json: Record<string, number | string> = { reps, seconds, groups: GROUPS, messages_per_replay: stream.shapes.length, paced_rate_per_s: rate, paced_seconds: pacedSeconds };
    const rows: Array<[string, string | number]> = [];
    for (const client of clients) {
      const mine = runs.filter((r) => r.client === client);
      const key = client.replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '');
      const rates = mine.map((r) => r.eventsPerS);
      const p99s = mine.map((r) => r.latency?.p99 ?? NaN);
      json[`${key}_msgs_per_s_median`] = round(percentile(rates, 50));
      json[`${key}_msgs_per_s_all`] = rates.map((r) => round(r)).join(' ');
      json[`${key}_p50_ms_all`] = mine.map((r) => r.latency?.p50 ?? NaN).join(' ');
      json[`${key}_p99_ms_all`] = p99s.join(' ');
      json[`${key}_load_all`] = mine.map((r) => `${r.loadStart}→${r.loadEnd}`).join(' ');
      rows.push([`${client} msgs/s (median; each run)`, `${round(percentile(rates, 50))}  (${rates.map((r) => round(r)).join(', ')})`]);
      rows.push([`${client} p50 / p99 ms at ${rate}/s (each run)`, mine.map((r) => `${r.latency?.p50}/${r.latency?.p99}`).join(', ')]);
      rows.push([`${client} load avg (each run)`, mine.map((r) => `${r.loadStart}→${r.loadEnd}`).join(', ')]);
    }
    return {
      title: `Kafka clients on the like-for-like ceiling: ${stream.shapes.length} recorded messages, ${GROUPS} groups, acks=all, ≥${seconds} s × ${reps} reps each`,
      rows,
      json,
    };
  },
};
