import type { LeadCreatedData, SkippedRep } from '@lead-sla/contracts';
import { assignTo, poolFor, queueLead } from '../domain/assignment.util';
import { pickWithOverflow } from '../domain/pool-rotation.util';
import { poolIsAfterHours, skipReasonFor } from '../domain/rep-eligibility.util';
import type { RoutingEmission } from '../domain/routing-emission.types';
import { toMs, type ContactLead, type Instant, type LeadRoutingState, type RoutingEnv, type RoutingView } from '../domain/routing-state.types';

export interface AssignLeadCommand {
  readonly lead: LeadRoutingState;
  /** "rule" for a new lead, "requalified" for a recycled lead coming back. */
  readonly reason: 'rule' | 'requalified';
  /** Other leads of the same contactKey (any age; the window is applied here). */
  readonly sameContact: readonly ContactLead[];
}

/** Routing's state of a lead that has just been created (not yet owned). */
export function leadFromCreated(leadId: string, createdAt: Instant, data: LeadCreatedData): LeadRoutingState {
  return {
    leadId,
    createdAt,
    attributes: { source: data.source, territory: data.territory, segment: data.segment, intentTier: data.intentTier, vip: data.vip },
    contactKey: data.contact.contactKey,
    accountDomain: data.accountDomain ? data.accountDomain.toLowerCase() : null,
    poolId: null,
    ruleId: null,
    ownerRepId: null,
    ownerHistory: [],
    awaitingFirstTouch: true,
  };
}

/**
 * The duplicate window is (now − window, now]: a lead of the same contact
 * created exactly `duplicateWindowMinutes` ago no longer makes this one a
 * duplicate. The most recent owned lead wins.
 */
export function currentOwnerOfContact(sameContact: readonly ContactLead[], leadId: string, env: RoutingEnv): string | null {
  const windowMs = env.policy.routing.duplicateWindowMinutes * 60_000;
  const now = toMs(env.now);
  const inWindow = sameContact
    .filter((c) => c.leadId !== leadId && c.ownerRepId !== null)
    .filter((c) => toMs(c.createdAt) > now - windowMs && toMs(c.createdAt) <= now)
    .sort((a, b) => toMs(b.createdAt) - toMs(a.createdAt));
  return inWindow.length > 0 ? inWindow[0].ownerRepId : null;
}

/** Static ownership (policy) wins over ownership learned from earlier assignments. */
export function accountOwnerOf(domain: string | null, view: RoutingView, env: RoutingEnv): string | null {
  if (domain === null) return null;
  return env.policy.routing.accountOwners[domain] ?? view.learnedAccountOwners.get(domain)?.repId ?? null;
}

/** The owners a lead goes to directly, before round robin: the same contact's current owner, then the account owner. */
export function directOwnerCandidates(cmd: AssignLeadCommand, view: RoutingView, env: RoutingEnv): { repId: string | null; reason: 'duplicate' | 'account_owner' }[] {
  return [
    { repId: currentOwnerOfContact(cmd.sameContact, cmd.lead.leadId, env), reason: 'duplicate' },
    { repId: accountOwnerOf(cmd.lead.accountDomain, view, env), reason: 'account_owner' },
  ];
}

/**
 * Gives a lead one human owner: the same contact's current owner, else the
 * account owner, else round robin in the pool the first matching rule
 * picks (overflowing to backups), else the unassigned queue. Owners who
 * cannot take it are recorded as skipped, so the decision says why.
 */
export function decideAssignLead(cmd: AssignLeadCommand, view: RoutingView, env: RoutingEnv): RoutingEmission {
  const { lead } = cmd;
  const { poolId, ruleId } = poolFor(lead, env);
  const skipped: SkippedRep[] = [];
  const common = { lead, poolId, ruleId, reassignment: false, reassignmentCause: null };
  // After hours in the lead's pool a direct owner off shift still gets it at once, like the pool's round robin would.
  const afterHours = poolIsAfterHours(poolId, env, view);

  for (const c of directOwnerCandidates(cmd, view, env)) {
    if (c.repId === null || skipped.some((s) => s.repId === c.repId)) continue;
    const why = skipReasonFor(c.repId, env, view, 'direct', { afterHours });
    if (why === null) {
      const reason = cmd.reason === 'requalified' ? 'requalified' : c.reason;
      return assignTo({ ...common, repId: c.repId, reason, skipped }, env);
    }
    skipped.push({ repId: c.repId, reason: why });
  }

  const search = pickWithOverflow(poolId, env, view);
  for (const s of search.skipped) if (!skipped.some((x) => x.repId === s.repId)) skipped.push(s);
  if (!search.pick) {
    return queueLead(lead, { poolId, ruleId, search, skipped, cause: 'no rep available' }, env);
  }
  const overflowed = search.pick.poolId !== poolId;
  const reason = cmd.reason === 'requalified' ? 'requalified' : overflowed ? 'overflow' : 'rule';
  // The pick moves the pool's pointer and may teach routing the company's owner: evolve applies both from the LeadAssigned.
  return assignTo({ ...common, repId: search.pick.repId, poolId: search.pick.poolId, reason, skipped }, env);
}
