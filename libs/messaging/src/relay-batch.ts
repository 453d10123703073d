/** What a relay send is bounded by; well under the broker's default message.max.bytes (1 MiB). */
export const DEFAULT_RELAY_BATCH_BYTES = 512 * 1024;

/** Kafka's per-record framing (length, attributes, timestamp and offset deltas, counts), bounded from above. */
const RECORD_OVERHEAD_BYTES = 32;
/** Per header: key and value lengths. */
const HEADER_OVERHEAD_BYTES = 10;

export interface SizedMessage {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message's size on the wire, uncompressed (an upper bound of what the broker checks). */
export function messageBytes(m: SizedMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + m.value.length + (m.key === null ? 0 : Buffer.byteLength(m.key));
  for (const [name, value] of Object.entries(m.headers)) bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + Buffer.byteLength(String(value));
  return bytes;
}

/**
 * The longest prefix of `rows` (kept in order) whose messages fit in
 * `budgetBytes` together. A first row larger than the budget is taken alone,
 * so it is sent (and accepted or refused by the broker) on its own, never
 * stalling the rows behind it in a batch that cannot be sent.
 */
export function takeWithinBytes<T extends SizedMessage>(rows: readonly T[], budgetBytes: number): T[] {
  if (!(budgetBytes > 0)) throw new Error(`the relay's batch budget must be a positive number of bytes, got ${budgetBytes}`);
  const taken: T[] = [];
  let total = 0;
  for (const row of rows) {
    const bytes = messageBytes(row);
    if (taken.length > 0 && total + bytes > budgetBytes) break;
    taken.push(row);
    total += bytes;
  }
  return taken;
}
