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

/** The partition key: the lead, the rep for facts about a rep, or the team for facts about a team (routing's coverage wake-up). */
export function partitionKeyOf(event: { leadId: string | null; data: unknown }): string {
  if (event.leadId) return event.leadId;
  const data = event.data as { repId?: unknown; teamId?: unknown } | null;
  if (typeof data?.repId === 'string') return `rep:${data.repId}`;
  if (typeof data?.teamId === 'string') return `team:${data.teamId}`;
  throw new Error('event has neither leadId, data.repId nor data.teamId to key it by');
}
