import { z } from 'zod';

/**
 * The envelope every event on `lead-events.v1` carries (DESIGN.md §2).
 * `leadId` is null only for facts about a rep rather than a lead
 * (availability, rotation); those are keyed by `repId` instead.
 */
export const EnvelopeSchema = z
  .object({
    type: z.string().min(1),
    version: z.number().int().positive(),
    eventId: z.uuid(),
    occurredAt: z.iso.datetime({ offset: true }),
    recordedAt: z.iso.datetime({ offset: true }),
    leadId: z.string().min(1).max(200).nullable(),
    correlationId: z.string().min(1).max(200),
    causationId: z.string().min(1).max(200).nullable(),
    data: z.unknown(),
  })
  .strict();

export interface EventEnvelope<TType extends string, TData> {
  readonly type: TType;
  readonly version: number;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly leadId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: Readonly<TData>;
}
