import { z } from 'zod';
import { Actor, Channel, FunnelStage, Id, Instant } from './common.schema';

/** A rep closes out (or updates) a lead with a standard code. */
export const LeadDispositionedV1 = z
  .object({
    repId: Id,
    code: z.string().min(1).max(100),
    reason: z.string().max(1000).optional(),
    nextStep: z.string().max(1000).optional(),
    notes: z.string().max(4000).optional(),
  })
  .strict();
/** v2: who recorded it, as verified (`actor`); `repId` remains the rep whose disposition it is. */
export const LeadDispositionedV2 = LeadDispositionedV1.extend({ actor: Actor.nullable() }).strict();
export type LeadDispositionedData = z.infer<typeof LeadDispositionedV2>;
export const upcastLeadDispositionedV1 = (d: z.infer<typeof LeadDispositionedV1>): LeadDispositionedData => ({ ...d, actor: null });

/**
 * The disposition service applied a LeadDispositioned: the code was valid for
 * this lead and owner. Clocks stop on this (when the code closes the lead),
 * never on the LeadDispositioned request itself, which may still be refused.
 */
export const DispositionRecordedV1 = z
  .object({
    repId: Id,
    code: z.string(),
    dispositionEventId: z.string(),
    closes: z.boolean(),
    outcome: z.enum(['none', 'recycle', 'suppress', 'qualify', 'data_cleanup']),
    policyVersion: z.string().min(1),
  })
  .strict();
export type DispositionRecordedData = z.infer<typeof DispositionRecordedV1>;

export const DispositionRejectedV1 = z
  .object({
    repId: Id,
    code: z.string(),
    dispositionEventId: z.string(),
    problems: z.array(z.string()).min(1),
    policyVersion: z.string().min(1),
  })
  .strict();
export type DispositionRejectedData = z.infer<typeof DispositionRejectedV1>;

export const RequalifyTrigger = z.enum(['time', 'signal', 'time_or_signal']);

export const LeadRecycledV1 = z
  .object({
    previousRepId: Id.nullable(),
    code: z.string(),
    reason: z.string().nullable(),
    nurtureTrack: z.string(),
    trigger: RequalifyTrigger,
    requalifyAt: Instant.nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadRecycledData = z.infer<typeof LeadRecycledV1>;

export const LeadSuppressedV1 = z
  .object({
    cause: z.enum(['disposition', 'consent_withdrawn']),
    code: z.string().nullable(),
    reason: z.string().nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadSuppressedData = z.infer<typeof LeadSuppressedV1>;

export const LeadRequalifiedV1 = z
  .object({
    trigger: z.enum(['time', 'signal']),
    nurtureTrack: z.string(),
    signalEventId: z.string().nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadRequalifiedData = z.infer<typeof LeadRequalifiedV1>;

export const LeadStageChangedV1 = z
  .object({ from: FunnelStage.nullable(), to: FunnelStage, by: Id.nullable(), reason: z.string().nullable() })
  .strict();
export type LeadStageChangedData = z.infer<typeof LeadStageChangedV1>;

/** The owner accepts the MQL (MQL → SAL): stops the accept/reject clock. */
export const LeadAcceptedV1 = z.object({ repId: Id }).strict();
export const LeadAcceptedV2 = LeadAcceptedV1.extend({ actor: Actor.nullable() }).strict();
export type LeadAcceptedData = z.infer<typeof LeadAcceptedV2>;
export const upcastLeadAcceptedV1 = (d: z.infer<typeof LeadAcceptedV1>): LeadAcceptedData => ({ ...d, actor: null });

/** The owner rejects the MQL back to marketing with a reason: stops the accept/reject clock. */
export const LeadRejectedV1 = z.object({ repId: Id, reason: z.string().min(1).max(1000) }).strict();
export const LeadRejectedV2 = LeadRejectedV1.extend({ actor: Actor.nullable() }).strict();
export type LeadRejectedData = z.infer<typeof LeadRejectedV2>;
export const upcastLeadRejectedV1 = (d: z.infer<typeof LeadRejectedV1>): LeadRejectedData => ({ ...d, actor: null });

export const DataCleanupRequestedV1 = z
  .object({ channel: Channel, ownerRepId: Id.nullable(), detail: z.string().nullable() })
  .strict();
export type DataCleanupRequestedData = z.infer<typeof DataCleanupRequestedV1>;
