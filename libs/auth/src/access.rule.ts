import type { Policy } from '@lead-sla/policy';
import { describePrincipal, type Principal } from './principal';

/**
 * Every protected thing a caller can ask for, with the facts the decision
 * needs (looked up by the service before it asks). docs/security.md lists
 * which route asks for which action.
 */
export type Action =
  | { readonly kind: 'lead.dispose' | 'lead.accept' | 'lead.reject' | 'lead.read'; readonly ownerRepId: string | null }
  /** A manager hands a lead to the rep they chose (`toRepId`); `ownerRepId` is null for a lead in the unassigned queue. */
  | { readonly kind: 'lead.reassign'; readonly ownerRepId: string | null; readonly toRepId: string }
  | { readonly kind: 'rep.reinstate' | 'rep.availability'; readonly repId: string }
  | { readonly kind: 'reports.read'; readonly teamId?: string; readonly repId?: string }
  | { readonly kind: 'facts.publish' | 'facts.read' | 'keys.manage' }
  | { readonly kind: 'policy.publish' | 'policy.read' }
  /** Replay a period through a candidate policy (the what-if engine, docs/what-if.md): a month takes a CPU core for tens of seconds. */
  | { readonly kind: 'policy.simulate' };

export type ActionKind = Action['kind'];

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const allow: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });

/** The machine scope that grants an action to an API key (admin grants everything). */
const machineScope: Record<ActionKind, string | null> = {
  'lead.dispose': null,
  'lead.accept': null,
  'lead.reject': null,
  'lead.read': 'read',
  'lead.reassign': null,
  'rep.reinstate': null,
  'rep.availability': 'ingest',
  'reports.read': 'read',
  'facts.publish': 'ingest',
  'facts.read': 'read',
  'keys.manage': null,
  'policy.publish': null,
  'policy.read': 'read',
  'policy.simulate': null,
};

const machineOnly: ReadonlySet<ActionKind> = new Set(['facts.publish', 'facts.read', 'keys.manage']);

/** The manager ids of a rep: their own manager when set, and their team's manager. */
export function managersOf(policy: Policy, repId: string): string[] {
  const rep = policy.reps.find((r) => r.id === repId);
  if (!rep) return [];
  const team = policy.teams.find((t) => t.id === rep.teamId);
  return [...new Set([rep.managerId, team?.managerId].filter((m): m is string => m !== undefined))];
}

/** The teams a manager runs (a team's manager, or the manager of one of its reps). */
export function teamsManagedBy(policy: Policy, managerId: string): string[] {
  const teams = new Set(policy.teams.filter((t) => t.managerId === managerId).map((t) => t.id));
  for (const rep of policy.reps) if (rep.managerId === managerId) teams.add(rep.teamId);
  return [...teams].sort();
}

function isManagerOf(policy: Policy, personId: string, repId: string): boolean {
  return managersOf(policy, repId).includes(personId);
}

/**
 * THE authorization table (DESIGN.md §9, docs/security.md): one pure
 * function, so every service decides the same way and a table test covers
 * every row. Admins (people with `admin: true`, keys with the `admin` scope,
 * the demo user) may do everything, except that only keys publish facts or
 * manage keys.
 */
export function decideAccess(principal: Principal, action: Action, policy: Policy): AccessDecision {
  const who = describePrincipal(principal);
  if (principal.kind === 'demo') return allow;
  if (principal.kind === 'api_key') {
    if (principal.scopes.includes('admin')) return allow;
    const scope = machineScope[action.kind];
    if (scope === null) return deny(`${who} may not ${verb(action)}: only people (the rep, their manager) or a key with the "admin" scope can`);
    return principal.scopes.includes(scope) ? allow : deny(`${who} may not ${verb(action)}: it needs the "${scope}" scope`);
  }
  // Publishing facts and managing keys is machines' work, through ingest's keys: not even an admin person does it.
  if (machineOnly.has(action.kind)) return deny(`${who} may not ${verb(action)}: it takes an API key with the "${machineScope[action.kind] ?? 'admin'}" scope`);
  if (principal.role === 'admin') return allow;
  const me = principal.id;
  switch (action.kind) {
    case 'lead.dispose':
    case 'lead.accept':
    case 'lead.reject':
    case 'lead.read': {
      if (action.ownerRepId === null) return deny(`${who} may not ${verb(action)}: the lead has no owner yet, so only an admin can`);
      if (action.ownerRepId === me || isManagerOf(policy, me, action.ownerRepId)) return allow;
      return deny(`${who} may not ${verb(action)}: only its owner "${action.ownerRepId}", their manager (${managersOf(policy, action.ownerRepId).join(' or ') || 'none in the policy'}) or an admin can`);
    }
    case 'lead.reassign': {
      // Only a manager moves leads (an owner cannot hand theirs away); a queued lead has no owner, so the chosen rep's manager takes it.
      const over = action.ownerRepId ?? action.toRepId;
      const managers = managersOf(policy, over);
      if (managers.includes(me)) return allow;
      return deny(
        `${who} may not reassign this lead: only ${action.ownerRepId === null ? `the manager of "${action.toRepId}", the rep it would go to` : `the manager of its owner "${action.ownerRepId}"`} (${managers.join(' or ') || 'none in the policy'}) or an admin can`,
      );
    }
    case 'rep.reinstate':
      if (isManagerOf(policy, me, action.repId)) return allow;
      return deny(`${who} may not reinstate "${action.repId}": only the rep's manager (${managersOf(policy, action.repId).join(' or ') || 'none in the policy'}) or an admin can`);
    case 'rep.availability':
      if (action.repId === me || isManagerOf(policy, me, action.repId)) return allow;
      return deny(`${who} may not change the availability of "${action.repId}": only the rep, their manager or an admin can`);
    case 'reports.read': {
      if (action.repId !== undefined && (action.repId === me || isManagerOf(policy, me, action.repId))) return allow;
      if (action.repId === undefined && action.teamId !== undefined && teamsManagedBy(policy, me).includes(action.teamId)) return allow;
      const mine = principal.role === 'manager' ? `your teams: ${teamsManagedBy(policy, me).join(', ')} (ask with ?team=…)` : `your own figures (ask with ?rep=${me})`;
      return deny(`${who} may not read ${action.repId ? `rep "${action.repId}"` : action.teamId ? `team "${action.teamId}"` : 'every team'}: you may read ${mine}`);
    }
    case 'policy.read':
      if (principal.role === 'manager') return allow;
      return deny(`${who} may not ${verb(action)}: only managers and admins can`);
    case 'policy.publish':
    case 'policy.simulate':
      return deny(`${who} may not ${verb(action)}: only an admin can`);
    case 'facts.publish':
    case 'facts.read':
    case 'keys.manage':
      return deny(`${who} may not ${verb(action)}`);
  }
}

function verb(action: Action): string {
  switch (action.kind) {
    case 'lead.dispose':
      return 'record a disposition on this lead';
    case 'lead.accept':
      return 'accept this lead';
    case 'lead.reject':
      return 'reject this lead';
    case 'lead.read':
      return 'read this lead';
    case 'lead.reassign':
      return `reassign this lead to "${action.toRepId}"`;
    case 'rep.reinstate':
      return `reinstate "${action.repId}"`;
    case 'rep.availability':
      return `change the availability of "${action.repId}"`;
    case 'reports.read':
      return 'read reports';
    case 'facts.publish':
      return 'publish facts';
    case 'facts.read':
      return 'read published facts';
    case 'keys.manage':
      return 'manage API keys';
    case 'policy.publish':
      return 'publish a policy version';
    case 'policy.read':
      return 'read the policy history';
    case 'policy.simulate':
      return 'run a what-if of a candidate policy';
  }
}
