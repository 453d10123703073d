import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { parseEventBytes, Topics, type LeadEvent } from '@lead-sla/contracts';
import { logEnd, scanLog } from '@lead-sla/messaging';
import { isDecision } from '../engine/exactness';

export interface RecordedLog {
  /** Facts recorded before `to`, in recorded order (ties: partition, then offset). */
  readonly facts: readonly LeadEvent[];
  /** Every recorded decision, by event id. */
  readonly decisions: ReadonlyMap<string, LeadEvent>;
  /** Messages that were not valid events (dead-lettered live): skipped, and counted so the report can say so. */
  readonly invalid: number;
}

/**
 * Reads lead-events.v1 from offset 0 to its current end (libs/messaging
 * scanLog, a throwaway consumer group): the facts before `to` (earlier ones
 * rebuild the state the period starts from) and the platform's decisions.
 * The facts are kept compactly enough for a month of 100,000 leads; a
 * recorded order across partitions needs them all before the first is applied.
 */
export async function readRecordedLog(kafka: Kafka, to: number, onProgress: (messages: number) => void): Promise<RecordedLog> {
  const facts: Array<{ event: LeadEvent; partition: number; offset: bigint }> = [];
  const decisions = new Map<string, LeadEvent>();
  let invalid = 0;
  let read = 0;
  await scanLog(
    kafka,
    Topics.leadEvents,
    await logEnd(kafka, Topics.leadEvents),
    (m) => {
      if (++read % 50_000 === 0) onProgress(read);
      const parsed = parseEventBytes(m.value);
      if (!parsed.ok) {
        invalid++;
        return;
      }
      const event = parsed.event;
      // A policy publication is neither a fact the simulation replays nor a decision it makes: each run takes its policy from --baseline / --policy.
      if (event.type === 'PolicyPublished') return;
      if (isDecision(event)) decisions.set(event.eventId, event);
      else if (Date.parse(event.recordedAt) < to) facts.push({ event, partition: m.partition, offset: BigInt(m.offset) });
    },
    `what-if-reader-${randomUUID()}`,
  );
  facts.sort((a, b) => Date.parse(a.event.recordedAt) - Date.parse(b.event.recordedAt) || a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  return { facts: facts.map((f) => f.event), decisions, invalid };
}
