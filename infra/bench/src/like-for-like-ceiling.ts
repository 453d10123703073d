import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { ensureTopics } from '@lead-sla/messaging';
import { workspaceRoot } from '@lead-sla/local-infra';

/** One message of a run, as the ceiling replays it: same partition, key, headers and value size. */
export interface MessageShape {
  readonly partition: number;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly valueBytes: number;
}

export interface CeilingResult {
  readonly messages: number;
  readonly seconds: number;
  readonly eventsPerS: number;
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
}

function startGroup(brokers: string, topic: string, groupId: string): GroupProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'ceiling-consumer.main.ts'), brokers, topic, groupId], {
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
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === 'joined') joined();
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
  };
}

/**
 * The like-for-like ceiling of a run: the same messages (partition, key,
 * headers, value size) through the same broker, produced with `acks=all` by an
 * idempotent producer and read by as many consumer groups as the platform has
 * services, each in a process of its own, for at least `minSeconds` (the
 * run's messages are replayed as often as needed). The rate counts each
 * message once, when every group has read it — as the platform's rate does.
 */
export async function likeForLikeCeiling(
  kafka: Kafka,
  brokers: string,
  shapes: readonly MessageShape[],
  groups: number,
  minSeconds: number,
  log: (line: string) => void,
): Promise<CeilingResult> {
  if (shapes.length === 0) throw new Error('the run logged no messages to replay for the ceiling');
  const partitions = Math.max(...shapes.map((s) => s.partition)) + 1;
  const topic = `bench-ceiling-${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [{ topic, numPartitions: partitions }]);
  const consumers = Array.from({ length: groups }, (_, i) => startGroup(brokers, topic, `${topic}-group-${i}`));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await producer.connect();
    await Promise.all(consumers.map((c) => c.joined));
    const messages = shapes.map((s) => ({ partition: s.partition, key: s.key, headers: s.headers, value: valueOf(s.valueBytes) }));
    log(`ceiling: replaying ${messages.length} messages of the run to ${partitions} partitions, ${groups} consumer groups, acks=all, for at least ${minSeconds} s`);
    const started = Date.now();
    let sent = 0;
    const BATCH = 500;
    while (Date.now() - started < minSeconds * 1000) {
      for (let i = 0; i < messages.length; i += BATCH) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH) });
        sent += Math.min(BATCH, messages.length - i);
      }
    }
    const done = Math.max(...(await Promise.all(consumers.map((c) => c.reached(sent)))));
    const seconds = (done - started) / 1000;
    return { messages: sent, seconds, eventsPerS: sent / seconds };
  } finally {
    await producer.disconnect();
    // The ceiling topic stays: every bench run has a broker of its own.
    for (const c of consumers) c.child.kill('SIGKILL');
  }
}
