import type { RepReinstatedData } from '@lead-sla/contracts';
import type { RoutingEmission } from '../domain/routing-emission.types';
import { toMs, type RepMiss, type RepState, type RoutingEnv } from '../domain/routing-state.types';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A miss counts while it lies in (now − windowDays, now]: one exactly
 * `windowDays` old has left the window. Half-open on the old side so that
 * "in the last 7 days" never counts the same instant in two windows.
 */
export function missesInWindow(misses: readonly RepMiss[], env: RoutingEnv): RepMiss[] {
  const now = toMs(env.now);
  const oldest = now - env.policy.routing.rotationPenalty.windowDays * DAY_MS;
  return misses.filter((m) => toMs(m.breachedAt) > oldest && toMs(m.breachedAt) <= now);
}

function alreadyRecorded(rep: RepState, miss: RepMiss): boolean {
  return rep.misses.some((m) => m.leadId === miss.leadId && m.clock === miss.clock && m.breachedAt === miss.breachedAt);
}

/**
 * The rep with one more SLA miss (evolve): misses outside the rolling
 * window are dropped on the way. The same miss delivered twice counts once
 * (the bus is at-least-once).
 */
export function recordMiss(rep: RepState, miss: RepMiss, env: RoutingEnv): RepState {
  if (alreadyRecorded(rep, miss)) return rep;
  return { ...rep, misses: missesInWindow([...rep.misses, miss], env) };
}

/**
 * Reaching `rotationPenalty.misses` inside the rolling window takes the
 * rep out of rotation: the verdict is a RepRotationChanged, which evolve
 * applies.
 */
export function decideRecordMiss(rep: RepState, miss: RepMiss, env: RoutingEnv): RoutingEmission[] {
  if (alreadyRecorded(rep, miss)) return [];
  const misses = missesInWindow([...rep.misses, miss], env);
  if (!rep.inRotation || misses.length < env.policy.routing.rotationPenalty.misses) return [];
  return [
    {
      type: 'RepRotationChanged',
      leadId: null,
      data: { repId: rep.repId, inRotation: false, cause: 'sla_misses', misses, by: null, policyVersion: env.policy.version },
    },
  ];
}

/**
 * A manager puts a rep back. The misses that took them out are cleared
 * (the event says `misses: []`): otherwise one more miss inside the same
 * window would remove them again at once, which is not what reinstating means.
 */
export function decideReinstate(rep: RepState, reinstated: RepReinstatedData, env: RoutingEnv): RoutingEmission[] {
  if (rep.inRotation) return [];
  return [
    {
      type: 'RepRotationChanged',
      leadId: null,
      data: { repId: rep.repId, inRotation: true, cause: 'manager_reinstated', misses: [], by: reinstated.managerId, policyVersion: env.policy.version },
    },
  ];
}
