import { kafkaClientName, kafkaDriver } from '@lead-sla/messaging';

/**
 * One consumer group of the like-for-like ceiling, in a process of its own as
 * each service is: `<client> <brokers> <topic> <group>`. Prints "joined" once
 * it has its partitions, then "read <count> <epoch ms>" at most every 100 ms
 * while its count grows. Each value is decoded (JSON), as a service must
 * before it can skip or apply an event. Records carrying a `sent-at` header
 * (epoch ms) are timed; on SIGTERM it prints "latency <p50> <p99> <samples>"
 * (ms, produce call → decoded here) and exits.
 */
async function main(): Promise<void> {
  const [client, brokers, topic, groupId] = process.argv.slice(2);
  let read = 0;
  let reported = 0;
  const latencies: number[] = [];
  setInterval(() => {
    if (read !== reported) {
      reported = read;
      process.stdout.write(`read ${read} ${Date.now()}\n`);
    }
  }, 100);
  process.on('SIGTERM', () => {
    const sorted = latencies.sort((a, b) => a - b);
    const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
    process.stdout.write(`latency ${at(50)} ${at(99)} ${sorted.length}\n`, () => process.exit(0));
  });
  await kafkaDriver(kafkaClientName(client)).readGroup({
    brokers,
    topic,
    groupId,
    onJoined: () => process.stdout.write('joined\n'),
    onRecords: (records) => {
      const now = Date.now();
      for (const r of records) {
        JSON.parse(r.value?.toString('utf8') ?? 'null');
        const sentAt = r.headers['sent-at'];
        if (sentAt !== undefined) latencies.push(now - Number(sentAt));
        read++;
      }
    },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`ceiling consumer failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
