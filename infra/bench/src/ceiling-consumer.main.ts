import { createKafka } from '@lead-sla/messaging';

/**
 * One consumer group of the like-for-like ceiling, in a process of its own as
 * each service is: `<brokers> <topic> <group>`. Prints "joined" once it has
 * its partitions, then "read <count> <epoch ms>" at most every 100 ms while
 * its count grows. Each value is decoded (JSON), as a service must before it
 * can skip or apply an event. Runs until killed.
 */
async function main(): Promise<void> {
  const [brokers, topic, groupId] = process.argv.slice(2);
  const kafka = createKafka({ brokers, clientId: `bench-${groupId}` });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, maxBytes: 10 * 1024 * 1024 });
  await consumer.connect();
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\n'));
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  let reported = 0;
  setInterval(() => {
    if (read !== reported) {
      reported = read;
      process.stdout.write(`read ${read} ${Date.now()}\n`);
    }
  }, 100);
  await consumer.run({
    autoCommit: true,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        JSON.parse(m.value?.toString('utf8') ?? 'null');
        read++;
      }
    },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`ceiling consumer failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
