/** Versioned topic names, in one place. */
export const Topics = {
  leadEvents: 'lead-events.v1',
  deadLetter: 'lead-events.v1.dlq',
} as const;

/** Headers a dead-lettered message carries. */
export const DeadLetterHeaders = {
  reason: 'x-dlq-reason',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  consumerGroup: 'x-consumer-group',
  attempts: 'x-attempts',
} as const;

/** The partition key: the lead, or the rep for facts about a rep. */
export function partitionKeyOf(event: { leadId: string | null; data: unknown }): string {
  if (event.leadId) return event.leadId;
  const repId = (event.data as { repId?: unknown } | null)?.repId;
  if (typeof repId === 'string') return `rep:${repId}`;
  throw new Error('event has neither leadId nor data.repId to key it by');
}
