import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { RedriveOutcome } from './dead-letter-command';
import type { DeadLetterRedrivesRepository, RedriveRecord } from './dead-letter-redrives.repository';
import { DeadLetterSelectionError, redriveMessageOf, toDeadLetter, type DeadLetter } from './dead-letters';
import { logEnd, scanLog } from './log-reader';

/** Every dead letter the topic keeps, in log order (partition, then offset). */
export async function readDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new DeadLetterSelectionError(`the dead-letter topic ${topic} does not exist on this broker: nothing has been dead-lettered here yet (or KAFKA_BROKERS names another cluster)`);
    }
  } finally {
    await admin.disconnect();
  }
  const letters: DeadLetter[] = [];
  await scanLog(kafka, topic, await logEnd(kafka, topic), (m) => letters.push(toDeadLetter(m)), `dead-letters-reader-${randomUUID()}`);
  return letters.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

function earlier(id: string, record: RedriveRecord): RedriveOutcome {
  return record.state === 'published' ? { id, status: 'already-redriven', at: record.publishedAt ?? record.claimedAt } : { id, status: 'in-doubt', claimedAt: record.claimedAt };
}

/**
 * Re-drives each chosen dead letter at most once: claim its row (committed),
 * publish the original bytes and key to the original topic (idempotent
 * producer, acks=all), mark the row published. A dead letter already claimed
 * is not published again; one claimed but never marked (a crash between the
 * publish and the mark) is reported in doubt. A dry run publishes and records
 * nothing.
 */
export async function redriveDeadLetters(kafka: Kafka, redrives: DeadLetterRedrivesRepository, letters: readonly DeadLetter[], dryRun: boolean): Promise<RedriveOutcome[]> {
  const messages = letters.map((l) => ({ letter: l, message: redriveMessageOf(l) }));
  if (dryRun) {
    const records = await redrives.recordsOf(letters);
    return messages.map(({ letter, message }) => {
      const record = records.get(letter.id);
      return record ? earlier(letter.id, record) : { id: letter.id, status: 'would-redrive', topic: message.topic };
    });
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const outcomes: RedriveOutcome[] = [];
  try {
    for (const { letter, message } of messages) {
      const record = await redrives.claim(letter, message.topic);
      if (record) {
        outcomes.push(earlier(letter.id, record));
        continue;
      }
      const [sent] = await producer.send({ topic: message.topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
      await redrives.markPublished(letter, sent.partition, sent.baseOffset ?? null);
      outcomes.push({ id: letter.id, status: 'redriven', topic: message.topic, partition: sent.partition, offset: sent.baseOffset ?? '?' });
    }
  } finally {
    await producer.disconnect();
  }
  return outcomes;
}
