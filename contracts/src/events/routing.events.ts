import { z } from 'zod';
import { Actor, Id, Instant } from './common.schema';

export const SkipReason = z.enum([
  'off_shift',
  'pto',
  'unavailable',
  'out_of_rotation',
  'at_capacity',
  'recent_owner',
  'unknown_rep',
]);
export type SkipReason = z.infer<typeof SkipReason>;

export const SkippedRep = z.object({ repId: Id, reason: SkipReason }).strict();
export type SkippedRep = z.infer<typeof SkippedRep>;

const AssignmentReasonV1 = z.enum([
  'rule',
  'account_owner',
  'duplicate',
  'overflow',
  'reassignment',
  'requalified',
  'queue_drain',
  'data_cleanup',
  'data_fixed',
]);

/** v2 adds `stage_handoff`: the lead reached SQL and went to the policy's AE pool. */
export const AssignmentReason = z.enum([...AssignmentReasonV1.options, 'stage_handoff']);
export type AssignmentReason = z.infer<typeof AssignmentReason>;

/** Routing's decision: one human owner, with the rule that matched and who was skipped. */
export const LeadAssignedV1 = z
  .object({
    repId: Id,
    teamId: Id,
    poolId: Id,
    ruleId: Id.nullable(),
    reason: AssignmentReasonV1,
    reassignment: z.boolean(),
    previousRepId: Id.nullable(),
    /** Why the lead moved (e.g. "first_touch SLA breached"), for reassignments. */
    reassignmentCause: z.string().max(500).nullable(),
    skipped: z.array(SkippedRep),
    managerId: Id.nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadAssignedV1Data = z.infer<typeof LeadAssignedV1>;

/**
 * v2: the reason `stage_handoff` (SQL → the policy's AE pool) and the next
 * action carried to the new owner (`nextAction`: the next step of the
 * lead's last verified disposition; absent or null: none). A v1 event is a
 * valid v2 event as it is.
 */
export const LeadAssignedV2 = LeadAssignedV1.extend({ reason: AssignmentReason, nextAction: z.string().max(1000).nullable().optional() }).strict();
export type LeadAssignedData = z.infer<typeof LeadAssignedV2>;

export function upcastLeadAssignedV1(v1: LeadAssignedV1Data): LeadAssignedData {
  return v1;
}

/** Nobody could take the lead: it waits in the unassigned queue with its own SLA. */
export const LeadQueuedV1 = z
  .object({
    poolId: Id.nullable(),
    ruleId: Id.nullable(),
    cause: z.string().max(500),
    skipped: z.array(SkippedRep),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadQueuedV1Data = z.infer<typeof LeadQueuedV1>;

/**
 * v2 names the owner the lead left (`previousRepId`): a reassignment that
 * found nobody queues the lead, and that owner's clocks stop (the timer) and
 * the reports name them. null for a lead queued on arrival.
 */
export const LeadQueuedV2 = z
  .object({
    poolId: Id.nullable(),
    ruleId: Id.nullable(),
    cause: z.string().max(500),
    skipped: z.array(SkippedRep),
    previousRepId: Id.nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadQueuedData = z.infer<typeof LeadQueuedV2>;

/** A v1 LeadQueued did not say whom the lead left: unknown, read as none. */
export function upcastLeadQueuedV1(v1: LeadQueuedV1Data): LeadQueuedData {
  return { ...v1, previousRepId: null };
}

const RepAvailabilityFields = z
  .object({
    repId: Id,
    status: z.enum(['available', 'unavailable', 'pto', 'shift_override']),
    /** PTO or shift override interval; required for those statuses. */
    from: Instant.optional(),
    to: Instant.optional(),
    reason: z.string().max(500).optional(),
  })
  .strict();

function availabilityInterval(d: z.infer<typeof RepAvailabilityFields>, ctx: z.RefinementCtx): void {
  if ((d.status === 'pto' || d.status === 'shift_override') && (!d.from || !d.to)) {
    ctx.addIssue({ code: 'custom', message: `status "${d.status}" requires "from" and "to"`, path: ['from'] });
  }
  if (d.from && d.to && Date.parse(d.to) <= Date.parse(d.from)) {
    ctx.addIssue({ code: 'custom', message: '"to" must be after "from"', path: ['to'] });
  }
}

/** Published by HR/WFM/dialer systems: a rep's availability changed. */
export const RepAvailabilityChangedV1 = RepAvailabilityFields.superRefine(availabilityInterval);

/** v2: who changed it, as verified (`actor`): the key of the system that published it, or the person through the API. */
export const RepAvailabilityChangedV2 = RepAvailabilityFields.extend({ actor: Actor.nullable() }).strict().superRefine(availabilityInterval);
export type RepAvailabilityChangedData = z.infer<typeof RepAvailabilityChangedV2>;
export const upcastRepAvailabilityChangedV1 = (d: z.infer<typeof RepAvailabilityChangedV1>): RepAvailabilityChangedData => ({ ...d, actor: null });

export const RotationMiss = z.object({ leadId: Id, clock: z.string(), breachedAt: Instant }).strict();

/**
 * A new lead below the policy's MQL threshold (routing.mql): recorded as an
 * inquiry for marketing, not routed to sales, and no sales clock runs for it.
 */
export const LeadInquiryRecordedV1 = z
  .object({
    source: z.string().min(1),
    score: z.number().nullable(),
    /** The threshold in force (null: only hand-raiser sources qualify). */
    minScore: z.number().nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type LeadInquiryRecordedData = z.infer<typeof LeadInquiryRecordedV1>;

/** A rep left or re-entered the round-robin rotation. */
export const RepRotationChangedV1 = z
  .object({
    repId: Id,
    inRotation: z.boolean(),
    cause: z.enum(['sla_misses', 'manager_reinstated']),
    misses: z.array(RotationMiss),
    by: Id.nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type RepRotationChangedData = z.infer<typeof RepRotationChangedV1>;

/** Published by a manager's tool: put a rep back into rotation. */
export const RepReinstatedV1 = z.object({ repId: Id, managerId: Id, note: z.string().max(500).optional() }).strict();
/** v2: who reinstated, as verified (`actor`); `managerId` is the directory id of that manager or admin. */
export const RepReinstatedV2 = RepReinstatedV1.extend({ actor: Actor.nullable() }).strict();
export type RepReinstatedData = z.infer<typeof RepReinstatedV2>;
export const upcastRepReinstatedV1 = (d: z.infer<typeof RepReinstatedV1>): RepReinstatedData => ({ ...d, actor: null });

/**
 * Published by the dashboard (routing's POST /api/leads/:leadId/reassign): a
 * manager hands the lead to the rep they chose. `fromRepId` is the owner the
 * manager saw (null: the lead was in the unassigned queue); routing ignores
 * the request when the lead has moved on since, and otherwise publishes the
 * LeadAssigned (reason `reassignment`).
 */
export const LeadReassignmentRequestedV1 = z
  .object({ toRepId: Id, fromRepId: Id.nullable(), actor: Actor, note: z.string().max(500).optional() })
  .strict();
export type LeadReassignmentRequestedData = z.infer<typeof LeadReassignmentRequestedV1>;

/**
 * Routing's scheduled wake-up: at `dueAt` someone may become able to take
 * queued leads although no event says so (a team's coverage window opens,
 * a rep's PTO ends, a rep's shift override starts). Routing consumes it and
 * drains the unassigned queue as of `dueAt` (its occurredAt). Keyed by the
 * rep (`repId`) or the team (`teamId`) it is about.
 */
export const RoutingWakeUpV1 = z
  .object({
    reason: z.enum(['coverage_start', 'pto_end', 'shift_override_start']),
    dueAt: Instant,
    teamId: Id.optional(),
    repId: Id.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const subject = d.reason === 'coverage_start' ? 'teamId' : 'repId';
    if (d[subject] === undefined) ctx.addIssue({ code: 'custom', message: `reason "${d.reason}" requires "${subject}"`, path: [subject] });
  });
export type RoutingWakeUpData = z.infer<typeof RoutingWakeUpV1>;
