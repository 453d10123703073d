import { DeadLetterHeaders } from '@lead-sla/contracts';
import type { LoggedMessage } from './log-reader';
import { DEFAULT_RELAY_BATCH_BYTES } from './relay-batch';
import type { StringHeaders } from './trace-context';

/** Set on a re-driven message: the dead letter it came from, `<dlq partition>:<offset>`. */
export const REDRIVEN_FROM_HEADER = 'x-redriven-from';

/**
 * The largest dead letter that carries a copy of its message. A message near
 * the broker's size limit (1 MiB) plus the dead-letter headers would be
 * refused by the broker, and the relay would retry that outbox row forever,
 * publishing nothing behind it. Above this size the dead letter carries the
 * headers only, and the message stays where it is in the log (kept forever).
 */
export const DEAD_LETTER_MAX_BYTES = DEFAULT_RELAY_BATCH_BYTES;

/** Set on a dead letter that carries no copy of its message: that message's size in bytes. */
export const VALUE_OMITTED_HEADER = 'x-dlq-value-omitted-bytes';

/** How much of a reason one list line shows (the full reason is in `--json`). */
export const REASON_WIDTH = 200;

/** One message of the dead-letter topic, with what its headers say. Its data is never exposed here. */
export interface DeadLetter {
  /** `<dlq partition>:<offset>`: how the commands name it. */
  readonly id: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: StringHeaders;
  readonly reason: string;
  readonly originalTopic: string | null;
  readonly originalPartition: number | null;
  readonly originalOffset: string | null;
  readonly consumerGroup: string | null;
  readonly attempts: number | null;
  /** The envelope's `type` and `eventId` when the bytes parse as JSON, else null. */
  readonly eventType: string | null;
  readonly eventId: string | null;
}

function numberOrNull(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

function envelopeOf(value: Buffer): { eventType: string | null; eventId: string | null } {
  try {
    const raw: unknown = JSON.parse(value.toString('utf8'));
    const envelope = (typeof raw === 'object' && raw !== null ? raw : {}) as { type?: unknown; eventId?: unknown };
    return {
      eventType: typeof envelope.type === 'string' ? envelope.type : null,
      eventId: typeof envelope.eventId === 'string' ? envelope.eventId : null,
    };
  } catch {
    return { eventType: null, eventId: null };
  }
}

export function toDeadLetter(m: LoggedMessage): DeadLetter {
  const h = m.headers;
  const value = m.value ?? Buffer.alloc(0);
  return {
    id: `${m.partition}:${m.offset}`,
    partition: m.partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    value,
    headers: h,
    reason: h[DeadLetterHeaders.reason] ?? '',
    originalTopic: h[DeadLetterHeaders.originalTopic] ?? null,
    originalPartition: numberOrNull(h[DeadLetterHeaders.originalPartition]),
    originalOffset: h[DeadLetterHeaders.originalOffset] ?? null,
    consumerGroup: h[DeadLetterHeaders.consumerGroup] ?? null,
    attempts: numberOrNull(h[DeadLetterHeaders.attempts]),
    ...envelopeOf(value),
  };
}

/** Which dead letters a command acts on; every criterion given must hold. */
export interface DeadLetterSelector {
  /** `<dlq partition>:<offset>` ids; each must exist. */
  readonly ids?: readonly string[];
  /** The event type, exactly. */
  readonly type?: string;
  /** A part of the reason, case-insensitive. */
  readonly reason?: string;
  /** The consumer group that dead-lettered it, exactly. */
  readonly group?: string;
}

export class DeadLetterSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadLetterSelectionError';
  }
}

/** Checks an id's shape: `<dlq partition>:<offset>`, both whole numbers. */
export function parseDeadLetterId(text: string): string {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new DeadLetterSelectionError(`--id "${text}" is not a dead-letter id: expected <dlq-partition>:<offset> such as 0:42 (the first column of \`npm run dlq -- list\`)`);
  return `${Number(m[1])}:${BigInt(m[2])}`;
}

/** The dead letters matching `selector`, in log order; an id that names no dead letter is an error. */
export function selectDeadLetters(letters: readonly DeadLetter[], selector: DeadLetterSelector, topic: string): DeadLetter[] {
  const ids = selector.ids ? new Set(selector.ids.map(parseDeadLetterId)) : null;
  if (ids) {
    const known = new Set(letters.map((l) => l.id));
    const unknown = [...ids].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new DeadLetterSelectionError(
        `no dead letter ${unknown.join(', ')} in ${topic} (${letters.length} dead letters, ${describeRange(letters)}); list them with \`npm run dlq -- list\``,
      );
    }
  }
  const reason = selector.reason?.toLowerCase();
  return letters.filter(
    (l) =>
      (!ids || ids.has(l.id)) &&
      (selector.type === undefined || l.eventType === selector.type) &&
      (reason === undefined || l.reason.toLowerCase().includes(reason)) &&
      (selector.group === undefined || l.consumerGroup === selector.group),
  );
}

function describeRange(letters: readonly DeadLetter[]): string {
  const byPartition = new Map<number, bigint[]>();
  for (const l of letters) byPartition.set(l.partition, [...(byPartition.get(l.partition) ?? []), BigInt(l.offset)]);
  if (byPartition.size === 0) return 'none kept';
  return [...byPartition].map(([p, offsets]) => `partition ${p}: offsets ${offsets[0]}..${offsets[offsets.length - 1]}`).join(', ');
}

export function describeSelector(selector: DeadLetterSelector): string {
  const parts = [
    selector.ids ? `id ${selector.ids.join(', ')}` : null,
    selector.type !== undefined ? `type ${selector.type}` : null,
    selector.reason !== undefined ? `reason containing "${selector.reason}"` : null,
    selector.group !== undefined ? `group ${selector.group}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' and ') : 'any';
}

function cut(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}

function originOf(l: DeadLetter): string {
  return `${l.originalTopic ?? '?'}/${l.originalPartition ?? '?'}@${l.originalOffset ?? '?'}`;
}

/** One line: where it is, where it came from, who gave up, what it is (never its data), attempts, why. */
export function formatDeadLetterLine(l: DeadLetter): string {
  return [
    l.id,
    `from ${originOf(l)}`,
    `group ${l.consumerGroup ?? '?'}`,
    `${l.eventType ?? '(not an event)'} ${l.eventId ?? '-'}`,
    `attempts ${l.attempts ?? '?'}`,
    `reason: ${cut(l.reason, REASON_WIDTH) || '(none given)'}`,
  ].join('  ');
}

function countBy(letters: readonly DeadLetter[], keyOf: (l: DeadLetter) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const l of letters) counts.set(keyOf(l), (counts.get(keyOf(l)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The human listing: a line per dead letter, then counts by reason and by type. */
export function formatDeadLetterList(letters: readonly DeadLetter[], selector: DeadLetterSelector = {}): string {
  if (letters.length === 0) return `no dead letters match (${describeSelector(selector)})`;
  const lines = letters.map(formatDeadLetterLine);
  lines.push('', `${letters.length} dead letter${letters.length === 1 ? '' : 's'} (${describeSelector(selector)})`, 'by reason:');
  for (const [reason, n] of countBy(letters, (l) => cut(l.reason, REASON_WIDTH) || '(none given)')) lines.push(`  ${String(n).padStart(6)}  ${reason}`);
  lines.push('by type:');
  for (const [type, n] of countBy(letters, (l) => l.eventType ?? '(not an event)')) lines.push(`  ${String(n).padStart(6)}  ${type}`);
  return lines.join('\n');
}

/** The machine listing: everything the line shows, the reason whole; still never the data. */
export function deadLettersAsJson(letters: readonly DeadLetter[]) {
  return letters.map((l) => ({
    id: l.id,
    dlqPartition: l.partition,
    dlqOffset: l.offset,
    originalTopic: l.originalTopic,
    originalPartition: l.originalPartition,
    originalOffset: l.originalOffset,
    consumerGroup: l.consumerGroup,
    eventType: l.eventType,
    eventId: l.eventId,
    attempts: l.attempts,
    reason: l.reason,
  }));
}

/** What a re-drive publishes: the original bytes and key to the original topic, its headers without the dead-letter ones. */
export interface RedriveMessage {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: StringHeaders;
}

export function redriveMessageOf(l: DeadLetter): RedriveMessage {
  if (!l.originalTopic) {
    throw new DeadLetterSelectionError(`dead letter ${l.id} has no ${DeadLetterHeaders.originalTopic} header, so there is no topic to re-drive it to`);
  }
  const omitted = l.headers[VALUE_OMITTED_HEADER];
  if (omitted !== undefined) {
    throw new DeadLetterSelectionError(
      `dead letter ${l.id} carries no copy of its ${omitted}-byte message (too large to dead-letter whole); the message is at ${originOf(l)} in the log: ` +
        'have its producer send a smaller, fixed version instead of re-driving it',
    );
  }
  const deadLetterHeaders = new Set<string>(Object.values(DeadLetterHeaders));
  const headers = Object.fromEntries(Object.entries(l.headers).filter(([name]) => !deadLetterHeaders.has(name) && name !== REDRIVEN_FROM_HEADER));
  return { topic: l.originalTopic, key: l.key, value: l.value, headers: { ...headers, [REDRIVEN_FROM_HEADER]: l.id } };
}
