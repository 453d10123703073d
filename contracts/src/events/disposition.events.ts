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

/**
 * A request to accept the MQL (MQL → SAL), by the rep named (the owner, the
 * owner's manager or an admin). A request only: the disposition service
 * answers it with SalDecisionRecorded or SalDecisionRefused, and nothing
 * else (clocks, reporting) reacts to the request itself.
 */
export const LeadAcceptedV1 = z.object({ repId: Id }).strict();
export const LeadAcceptedV2 = LeadAcceptedV1.extend({ actor: Actor.nullable() }).strict();
export type LeadAcceptedData = z.infer<typeof LeadAcceptedV2>;
export const upcastLeadAcceptedV1 = (d: z.infer<typeof LeadAcceptedV1>): LeadAcceptedData => ({ ...d, actor: null });

/** LeadRejected v1: free-text reason only, kept to upcast old requests. */
export const LeadRejectedV1 = z.object({ repId: Id, reason: z.string().min(1).max(1000) }).strict();
export type LeadRejectedV1Data = z.infer<typeof LeadRejectedV1>;

/**
 * A request to reject the MQL back to marketing: a reason code from the
 * policy (`dispositions.rejectReasons`) plus optional free text. Like
 * LeadAccepted, only the disposition service's verdict applies it.
 */
export const LeadRejectedV2 = z
  .object({ repId: Id, reasonCode: z.string().min(1).max(100), reason: z.string().min(1).max(1000).optional() })
  .strict();
/** The reason code a v1 rejection (made before reason codes existed) is read with. */
export const UNCODED_REJECT_REASON = 'uncoded';

export type LeadRejectedV2Data = z.infer<typeof LeadRejectedV2>;
export function upcastLeadRejectedV1(v1: LeadRejectedV1Data): LeadRejectedV2Data {
  return { repId: v1.repId, reasonCode: UNCODED_REJECT_REASON, reason: v1.reason };
}

/** v3: who asked, as verified (`actor`); `repId` is that person's directory id (never taken from the request body). */
export const LeadRejectedV3 = LeadRejectedV2.extend({ actor: Actor.nullable() }).strict();
export type LeadRejectedData = z.infer<typeof LeadRejectedV3>;
/** A v2 rejection was made before identity: who asked is unknown. */
export const upcastLeadRejectedV2 = (d: LeadRejectedV2Data): LeadRejectedData => ({ ...d, actor: null });

export const SalDecision = z.enum(['accepted', 'rejected']);
export type SalDecision = z.infer<typeof SalDecision>;

/**
 * The disposition service applied an accept/reject request: the SAL
 * decision is made. The accept/reject clock stops and reporting counts the
 * decision on this event, never on the request.
 */
export const SalDecisionRecordedV1 = z
  .object({
    decision: SalDecision,
    /** Who decided: the owner, the owner's manager or an admin. */
    repId: Id,
    /** The lead's owner when it was decided. */
    ownerRepId: Id,
    requestEventId: z.string(),
    /** For a rejection: the policy's reason code, and the free text if any. */
    reasonCode: z.string().nullable(),
    reason: z.string().nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type SalDecisionRecordedData = z.infer<typeof SalDecisionRecordedV1>;

/** The disposition service refused an accept/reject request: nothing changes and every clock keeps running. */
export const SalDecisionRefusedV1 = z
  .object({
    decision: SalDecision,
    repId: Id,
    requestEventId: z.string(),
    /** `forbidden`: the rep may not decide for this lead; `conflict`: the lead's state does not allow it; `invalid`: the request breaks the policy. */
    kind: z.enum(['forbidden', 'conflict', 'invalid']),
    problems: z.array(z.string()).min(1),
    policyVersion: z.string().min(1),
  })
  .strict();
export type SalDecisionRefusedData = z.infer<typeof SalDecisionRefusedV1>;

export const DataCleanupRequestedV1 = z
  .object({ channel: Channel, ownerRepId: Id.nullable(), detail: z.string().nullable() })
  .strict();
export type DataCleanupRequestedData = z.infer<typeof DataCleanupRequestedV1>;
