import type { ContactBouncedData, ContactFixedData } from '@lead-sla/contracts';
import { assignTo, homePoolOf, queueLead } from '../domain/assignment.util';
import { pickWithOverflow } from '../domain/pool-rotation.util';
import { skipReasonFor } from '../domain/rep-eligibility.util';
import type { RoutingEmission } from '../domain/routing-emission.types';
import type { LeadRoutingState, RoutingEnv, RoutingView } from '../domain/routing-state.types';

/**
 * Bad contact data: the lead moves to the policy's data-cleanup owner.
 * Without one configured, or when the lead is already there (a second
 * bounce on another channel), nothing changes.
 */
export function decideContactBounced(bounced: ContactBouncedData, lead: LeadRoutingState | null, env: RoutingEnv): RoutingEmission[] {
  const cleanup = env.policy.routing.dataCleanupOwner;
  if (cleanup === undefined || lead === null || lead.ownerRepId === cleanup) return [];
  return [
    assignTo(
      {
        lead,
        repId: cleanup,
        // The lead keeps its pool so it can come back to it when fixed.
        poolId: lead.poolId ?? env.policy.routing.defaultPool,
        ruleId: lead.ruleId,
        reason: 'data_cleanup',
        skipped: [],
        reassignment: false,
        reassignmentCause: `contact bounced (${bounced.channel})${bounced.detail ? `: ${bounced.detail}` : ''}`.slice(0, 500),
      },
      env,
    ),
  ];
}

/** The owner the lead had before data cleanup took it. */
export function ownerBeforeCleanup(lead: LeadRoutingState, cleanupRepId: string): string | null {
  for (let i = lead.ownerHistory.length - 1; i >= 0; i--) {
    if (lead.ownerHistory[i].repId !== cleanupRepId) return lead.ownerHistory[i].repId;
  }
  return null;
}

/**
 * Contact data fixed: back to the active owner it had before cleanup. If
 * that owner cannot take it now (PTO, off shift…) the lead is routed round
 * robin in its pool, so it is never parked with someone absent.
 */
export function decideContactFixed(fixed: ContactFixedData, lead: LeadRoutingState | null, view: RoutingView, env: RoutingEnv): RoutingEmission[] {
  const cleanup = env.policy.routing.dataCleanupOwner;
  if (cleanup === undefined || lead === null || lead.ownerRepId !== cleanup) return [];
  const poolId = homePoolOf(lead.poolId, env);
  const cause = `contact fixed (${fixed.channel})${fixed.fixedBy ? ` by ${fixed.fixedBy}` : ''}`;
  const base = { lead, poolId, ruleId: lead.ruleId, reason: 'data_fixed' as const, reassignment: false, reassignmentCause: cause };
  const before = ownerBeforeCleanup(lead, cleanup);
  const why = before === null ? null : skipReasonFor(before, env, view, 'owner');
  if (before !== null && why === null) return [assignTo({ ...base, repId: before, skipped: [] }, env)];

  const skipped = before !== null && why !== null ? [{ repId: before, reason: why }] : [];
  const search = pickWithOverflow(poolId, env, view, new Set([cleanup]));
  for (const s of search.skipped) if (!skipped.some((x) => x.repId === s.repId)) skipped.push(s);
  if (!search.pick) return [queueLead(lead, { poolId, ruleId: lead.ruleId, search, skipped, cause }, env)];
  return [assignTo({ ...base, repId: search.pick.repId, poolId: search.pick.poolId, skipped }, env)];
}
