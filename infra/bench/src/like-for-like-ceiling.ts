import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ensureTopics, kafkaDriver, type KafkaClient, type KafkaClientName } from '@lead-sla/messaging';
import { workspaceRoot } from '@lead-sla/local-infra';

/** One message of a run, as the ceiling replays it: same partition, key, headers and value size. */
export interface MessageShape {
  readonly partition: number;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly valueBytes: number;
}

export interface CeilingResult {
  readonly client: KafkaClientName;
  readonly messages: number;
  readonly seconds: number;
  readonly eventsPerS: number;
  /** Produce call → decoded by a group, at the paced rate, over every group (ms); absent without a paced phase. */
  readonly latency?: { readonly p50: number; readonly p99: number; readonly samples: number; readonly ratePerS: number };
}

export interface CeilingOptions {
  /** The client library both sides use (default kafkajs, the services' client). */
  readonly client?: KafkaClientName;
  /** After the throughput phase: produce at this rate (messages/s) for `seconds` and time each message end to end. */
  readonly paced?: { readonly ratePerS: number; readonly seconds: number };
}

/** A JSON value of exactly `bytes` bytes (consumers parse it like an event). */
function valueOf(bytes: number): Buffer {
  const frame = '{"p":""}';
  return Buffer.from(`{"p":"${'x'.repeat(Math.max(0, bytes - frame.length))}"}`);
}

interface GroupProcess {
  readonly child: ChildProcess;
  joined: Promise<void>;
  /** Resolves with the instant the group had read at least n messages. */
  reached(n: number): Promise<number>;
  /** Stops the process; resolves with its latency summary. */
  stop(): Promise<{ p50: number; p99: number; samples: number }>;
}

function startGroup(client: KafkaClientName, brokers: string, topic: string, groupId: string): GroupProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'ceiling-consumer.main.ts'), client, brokers, topic, groupId], {
    cwd: workspaceRoot,
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let count = 0;
  let at = 0;
  const waiters: Array<{ n: number; resolve: (at: number) => void }> = [];
  let joined!: () => void;
  const joinedP = new Promise<void>((r) => (joined = r));
  let buffer = '';
  let latency!: (l: { p50: number; p99: number; samples: number }) => void;
  const latencyP = new Promise<{ p50: number; p99: number; samples: number }>((r) => (latency = r));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === 'joined') joined();
      const l = /^latency (\S+) (\S+) (\d+)$/.exec(line);
      if (l) latency({ p50: Number(l[1]), p99: Number(l[2]), samples: Number(l[3]) });
      const m = /^read (\d+) (\d+)$/.exec(line);
      if (!m) continue;
      [count, at] = [Number(m[1]), Number(m[2])];
      for (const w of waiters.filter((x) => count >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at);
      }
    }
  });
  return {
    child,
    joined: joinedP,
    reached: (n) => (count >= n ? Promise.resolve(at) : new Promise((resolve) => waiters.push({ n, resolve }))),
    stop: () => {
      child.kill('SIGTERM');
      const timeout = new Promise<{ p50: number; p99: number; samples: number }>((r) => setTimeout(() => r({ p50: NaN, p99: NaN, samples: 0 }), 5_000));
      return Promise.race([latencyP, timeout]).finally(() => child.kill('SIGKILL'));
    },
  };
}

/**
 * The like-for-like ceiling of a run: the same messages (partition, key,
 * headers, value size) through the same broker, produced with `acks=all` by an
 * idempotent producer and read by as many consumer groups as the platform has
 * services, each in a process of its own, for at least `minSeconds` (the
 * run's messages are replayed as often as needed). The rate counts each
 * message once, when every group has read it — as the platform's rate does.
 * Both sides use one client library (`options.client`), so clients can be
 * compared on the same broker and messages; `options.paced` adds a phase at
 * a fixed rate that times each message from produce call to every group.
 */
export async function likeForLikeCeiling(
  kafka: KafkaClient,
  brokers: string,
  shapes: readonly MessageShape[],
  groups: number,
  minSeconds: number,
  log: (line: string) => void,
  options: CeilingOptions = {},
): Promise<CeilingResult> {
  const client = options.client ?? 'kafkajs';
  const driver = kafkaDriver(client);
  if (shapes.length === 0) throw new Error('the run logged no messages to replay for the ceiling');
  // A reduce, not Math.max(...): a 20,000-lead run logs 160,000 shapes, past the call stack's argument limit.
  const partitions = shapes.reduce((max, s) => Math.max(max, s.partition), 0) + 1;
  const topic = `bench-ceiling-${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [{ topic, numPartitions: partitions }]);
  const consumers = Array.from({ length: groups }, (_, i) => startGroup(client, brokers, topic, `${topic}-group-${i}`));
  const producer = await driver.producer(brokers, `bench-ceiling-${client}`);
  try {
    await Promise.all(consumers.map((c) => c.joined));
    const messages = shapes.map((s) => ({ partition: s.partition, key: s.key, headers: s.headers, value: valueOf(s.valueBytes) }));
    log(`ceiling (${client}): replaying ${messages.length} messages of the run to ${partitions} partitions, ${groups} consumer groups, acks=all, for at least ${minSeconds} s`);
    const started = Date.now();
    let sent = 0;
    const BATCH = 500;
    while (Date.now() - started < minSeconds * 1000) {
      for (let i = 0; i < messages.length; i += BATCH) {
        await producer.send(topic, messages.slice(i, i + BATCH));
        sent += Math.min(BATCH, messages.length - i);
      }
    }
    const done = Math.max(...(await Promise.all(consumers.map((c) => c.reached(sent)))));
    const seconds = (done - started) / 1000;
    const result = { client, messages: sent, seconds, eventsPerS: sent / seconds };
    if (!options.paced) return result;
    const { ratePerS, seconds: pacedSeconds } = options.paced;
    log(`ceiling (${client}): ${ratePerS} messages/s for ${pacedSeconds} s, each timed from the produce call to every group`);
    // A send every 20 ms carries the messages due by then, each stamped with its own send time.
    const pacedStart = Date.now();
    let next = 0;
    const total = Math.round(ratePerS * pacedSeconds);
    while (next < total) {
      const due = Math.min(total, Math.floor(((Date.now() - pacedStart) / 1000) * ratePerS) + 1);
      if (due > next) {
        const sentAt = String(Date.now());
        const slice = Array.from({ length: due - next }, (_, k) => {
          const m = messages[(next + k) % messages.length];
          return { ...m, headers: { ...m.headers, 'sent-at': sentAt } };
        });
        await producer.send(topic, slice);
        next = due;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(consumers.map((c) => c.reached(sent + total)));
    const summaries = await Promise.all(consumers.map((c) => c.stop()));
    // Per-group percentiles combined by their worst group: every service must have read a message before it counts.
    const latency = { p50: Math.max(...summaries.map((s) => s.p50)), p99: Math.max(...summaries.map((s) => s.p99)), samples: summaries.reduce((n, s) => n + s.samples, 0), ratePerS };
    return { ...result, latency };
  } finally {
    await producer.close();
    // The ceiling topic stays: every bench run has a broker of its own.
    for (const c of consumers) c.child.kill('SIGKILL');
  }
}
