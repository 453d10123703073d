import type { LeadMatch } from './routing.policy';
import type { Policy } from './policy.schema';
import type { CalendarPolicy, PoolPolicy, RepPolicy, TeamPolicy } from './organisation.policy';
import type { TierPolicy } from './clocks.policy';

/** The lead attributes policies match on. */
export interface MatchableLead {
  readonly source: string;
  readonly territory: string;
  readonly segment: string;
  readonly intentTier: string;
  readonly vip: boolean;
}

export function matchesLead(match: LeadMatch | undefined, lead: MatchableLead): boolean {
  if (!match) return true;
  if (match.source && !match.source.includes(lead.source)) return false;
  if (match.territory && !match.territory.includes(lead.territory)) return false;
  if (match.segment && !match.segment.includes(lead.segment)) return false;
  if (match.intentTier && !match.intentTier.includes(lead.intentTier)) return false;
  if (match.vip !== undefined && match.vip !== lead.vip) return false;
  return true;
}

function byId<T extends { id: string }>(items: readonly T[], id: string, what: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`policy has no ${what} "${id}"`);
  return found;
}

export const policyLookup = {
  rep: (p: Policy, id: string): RepPolicy => byId(p.reps, id, 'rep'),
  team: (p: Policy, id: string): TeamPolicy => byId(p.teams, id, 'team'),
  pool: (p: Policy, id: string): PoolPolicy => byId(p.pools, id, 'pool'),
  calendar: (p: Policy, id: string): CalendarPolicy => byId(p.calendars, id, 'calendar'),
  /** The manager of a rep: the rep's own, else the team's. */
  managerOf: (p: Policy, repId: string): string => {
    const rep = byId(p.reps, repId, 'rep');
    return rep.managerId ?? byId(p.teams, rep.teamId, 'team').managerId;
  },
  /** The pool a lead is routed to: the first routing rule that matches it, else the default pool. */
  routedPool: (p: Policy, lead: MatchableLead): { poolId: string; ruleId: string | null } => {
    const rule = p.routing.rules.find((r) => matchesLead(r.when, lead));
    return rule ? { poolId: rule.pool, ruleId: rule.id } : { poolId: p.routing.defaultPool, ruleId: null };
  },
  /** The first tier whose `when` matches the lead. */
  tierFor: (p: Policy, lead: MatchableLead): TierPolicy | undefined => p.clocks.tiers.find((t) => matchesLead(t.when, lead)),
};
