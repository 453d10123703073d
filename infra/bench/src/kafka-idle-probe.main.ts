import { createKafka, ensureTopics, LogProducer, tailLog, uninstallKafkajsRequestQueueFix } from '@lead-sla/messaging';

/**
 * One idle Kafka-connected process of `npm run bench -- kafka-idle`:
 * `<brokers> <topic> <fixed|unfixed> <seconds>`. It connects as a service does
 * (a producer and a consumer group reading the topic), sends one record so
 * every connection has had a response, lets the group settle, then measures
 * for `seconds` the CPU the process spends and the timers of 1 ms or less it
 * arms, and prints one JSON line.
 */
async function main(): Promise<void> {
  const [brokers, topic, mode, secondsText] = process.argv.slice(2);
  if (mode !== 'fixed' && mode !== 'unfixed') throw new Error(`mode must be fixed or unfixed (got "${mode}")`);
  const kafka = createKafka({ brokers, clientId: `bench-kafka-idle-${mode}` });
  if (mode === 'unfixed') uninstallKafkajsRequestQueueFix();
  await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
  const producer = await new LogProducer(kafka).connect();
  await producer.send(topic, [{ key: 'idle', value: 'x' }]);
  const consumer = await tailLog(kafka, { topics: [topic], groupId: `bench-kafka-idle-${mode}-${process.pid}` }, () => undefined);
  await new Promise((r) => setTimeout(r, 5_000));

  let shortTimers = 0;
  const realSetTimeout = global.setTimeout;
  global.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (ms === undefined || ms <= 1) shortTimers++;
    return realSetTimeout(fn, ms, ...args);
  }) as typeof setTimeout;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => realSetTimeout(r, Number(secondsText) * 1000));
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - started) / 1000;
  global.setTimeout = realSetTimeout;
  process.stdout.write(`${JSON.stringify({ mode, cpu_ms_per_s: (cpu.user + cpu.system) / 1000 / seconds, short_timers_per_s: shortTimers / seconds })}\n`);
  await consumer.stop();
  await producer.disconnect();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`kafka-idle probe failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
