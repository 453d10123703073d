import type { IntentTier } from '@lead-sla/contracts';
import type { LeadRow } from './lead-row.projection';

/**
 * The live "awaiting first touch" board: one row per open lead that has an
 * owner and no owned touch in its current cycle, and is not rejected,
 * recycled or suppressed (lead status `awaiting_first_touch`).
 *
 * The board row is a function of the lead row, not a fold of its own: a
 * row that left the board is deleted, and a fold starting again from null
 * could not tell a late duplicate LeadAssigned from a new assignment. The
 * lead row remembers everything, so deriving from it keeps the board
 * exact and idempotent, and rebuild equals live by construction.
 *
 * The deadline is known only once the timer has published a fact about
 * the current first-touch clock instance (SlaClockStarted, SlaWarning or SlaBreached); until
 * then it is null and the board shows `assignedAt` (the clock start).
 */
export interface AwaitingFirstTouchRow {
  readonly leadId: string;
  readonly ownerRepId: string;
  readonly teamId: string | null;
  readonly poolId: string | null;
  readonly managerId: string | null;
  /** When the current owner got the lead: the start of their first-touch clock. */
  readonly assignedAt: string;
  readonly firstAssignedAt: string | null;
  readonly createdAt: string;
  readonly source: string;
  readonly segment: string;
  readonly territory: string;
  readonly tier: IntentTier;
  readonly vip: boolean;
  readonly reassignmentCount: number;
  /** The current first-touch deadline, once the timer has told us (null until then). */
  readonly deadline: string | null;
  readonly clockId: string | null;
  readonly warnedAt: string | null;
  /** The current owner's first-touch clock has already breached (lead waits for the fallback). */
  readonly breached: boolean;
}

/** The board row for a lead, or null (delete) when the lead is not awaiting a first touch. */
export function awaitingFirstTouchRowOf(lead: LeadRow | null): AwaitingFirstTouchRow | null {
  if (lead === null || lead.status !== 'awaiting_first_touch') return null;
  if (lead.currentRepId === null || lead.currentAssignedAt === null) return null;
  const clock = lead.sla.first_touch;
  const current =
    clock.instanceStartedAt !== null && Date.parse(clock.instanceStartedAt) >= Date.parse(lead.currentAssignedAt);
  return {
    leadId: lead.leadId,
    ownerRepId: lead.currentRepId,
    teamId: lead.currentTeamId,
    poolId: lead.currentPoolId,
    managerId: lead.currentManagerId,
    assignedAt: lead.currentAssignedAt,
    firstAssignedAt: lead.assignedAt,
    createdAt: lead.createdAt,
    source: lead.source,
    segment: lead.segment,
    territory: lead.territory,
    tier: lead.tier,
    vip: lead.vip,
    reassignmentCount: lead.reassignmentCount,
    deadline: current ? clock.deadline : null,
    clockId: current ? clock.clockId : null,
    warnedAt: current ? clock.warnedAt : null,
    breached: current && clock.latestInstanceBreached,
  };
}
