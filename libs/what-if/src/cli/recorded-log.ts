import { randomUUID } from 'node:crypto';
import { parseEventBytes, Topics } from '@lead-sla/contracts';
import { logEnd, scanLog, type KafkaClient } from '@lead-sla/messaging';
import { isDecision } from '../engine/exactness';
import { RECORDED_LOOKAHEAD_MS } from '../engine/recorded-window';
import { EventSpool } from './event-spool';

export interface RecordedLog {
  /** Facts recorded before `to`, with the policy publications (PolicyPublished), in recorded order (ties: partition, then offset), on disk. */
  readonly facts: EventSpool;
  /** The platform's decisions recorded before `to` plus the lookahead (a decision after that is never asked for), on disk. */
  readonly decisions: EventSpool;
  /** Messages that were not valid events (dead-lettered live): skipped, and counted so the report can say so. */
  readonly invalid: number;
  /** Removes the spools. */
  dispose(): void;
}

/**
 * Reads lead-events.v1 from offset 0 to its current end (libs/messaging
 * scanLog, a throwaway consumer group) into two spools on disk: the facts
 * before `to` (earlier ones rebuild the state the period starts from) and
 * the platform's decisions. The simulation then streams them in recorded
 * order across partitions, so memory does not grow with the log.
 */
export async function readRecordedLog(kafka: KafkaClient, to: number, onProgress: (messages: number) => void): Promise<RecordedLog> {
  const facts = new EventSpool('facts');
  const decisions = new EventSpool('decisions');
  const dispose = () => {
    facts.dispose();
    decisions.dispose();
  };
  let invalid = 0;
  let read = 0;
  try {
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
        const at = Date.parse(event.recordedAt);
        // A policy publication goes with the facts, at its position: the baseline switches versions there, as the services did.
        if (event.type === 'PolicyPublished') {
          if (at < to) facts.add(event, m.partition, BigInt(m.offset));
          return;
        }
        if (isDecision(event)) {
          if (at < to + RECORDED_LOOKAHEAD_MS) decisions.add(event, m.partition, BigInt(m.offset));
        } else if (at < to) facts.add(event, m.partition, BigInt(m.offset));
      },
      `what-if-reader-${randomUUID()}`,
    );
  } catch (error) {
    dispose();
    throw error;
  }
  return { facts, decisions, invalid, dispose };
}
