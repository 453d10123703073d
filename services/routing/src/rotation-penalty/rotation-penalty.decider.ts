import type { RepReinstatedData, RepRotationChangedData } from '@lead-sla/contracts';
import type { RoutingEmission } from '../domain/routing-emission.types';
import { toMs, type Instant, type RepMiss, type RepState, type RoutingEnv } from '../domain/routing-state.types';

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

function sameMiss(a: RepMiss, b: RepMiss): boolean {
  return a.leadId === b.leadId && a.clock === b.clock && a.breachedAt === b.breachedAt;
}

function alreadyRecorded(rep: RepState, miss: RepMiss): boolean {
  return rep.misses.some((m) => sameMiss(m, miss));
}

function missOrder(a: RepMiss, b: RepMiss): number {
  return toMs(a.breachedAt) - toMs(b.breachedAt) || a.leadId.localeCompare(b.leadId) || a.clock.localeCompare(b.clock);
}

/**
 * The rep's misses as a set (evolve): the union of what it had and
 * `added`, without what a reinstatement cleared, without misses that left
 * the window of the newest miss kept, in one canonical order. Each step is
 * a set operation whose result does not depend on the order misses arrive
 * in (the newest miss only grows), so folding SlaBreached events from many
 * lead partitions in any interleaving gives the same list. Pruning never
 * reads the clock: decide applies the window at its own time.
 */
export function withMisses(rep: RepState, added: readonly RepMiss[], windowDays: number): RepState {
  const cleared = rep.missesClearedAt === null ? null : toMs(rep.missesClearedAt);
  const all = [...rep.misses, ...added.filter((m, i) => !rep.misses.some((x) => sameMiss(x, m)) && added.findIndex((x) => sameMiss(x, m)) === i)];
  const kept = all.filter((m) => cleared === null || toMs(m.breachedAt) > cleared);
  const newest = Math.max(...kept.map((m) => toMs(m.breachedAt)));
  const misses = kept.filter((m) => toMs(m.breachedAt) > newest - windowDays * DAY_MS).sort(missOrder);
  return { ...rep, misses };
}

/**
 * The rep with one more SLA miss (evolve). The same miss delivered twice
 * counts once (the bus is at-least-once); one breached at or before the
 * rep's last reinstatement adds nothing.
 */
export function recordMiss(rep: RepState, miss: RepMiss, env: RoutingEnv): RepState {
  const cleared = rep.missesClearedAt !== null && toMs(miss.breachedAt) <= toMs(rep.missesClearedAt);
  if (cleared || alreadyRecorded(rep, miss)) return rep;
  return withMisses(rep, [miss], env.policy.routing.rotationPenalty.windowDays);
}

/**
 * A RepRotationChanged folded (evolve). Out of rotation: the misses it
 * names join the rep's set (a union, so a miss folded before or after it
 * ends up the same). A manager's reinstatement clears every miss breached
 * up to when it was decided, including misses whose SlaBreached is folded
 * later from another partition.
 */
export function evolveRotationChanged(rep: RepState, changed: RepRotationChangedData, decidedAt: Instant, env: RoutingEnv): RepState {
  const clears = changed.inRotation && changed.cause === 'manager_reinstated';
  const missesClearedAt = clears && (rep.missesClearedAt === null || toMs(decidedAt) > toMs(rep.missesClearedAt)) ? decidedAt : rep.missesClearedAt;
  return withMisses({ ...rep, inRotation: changed.inRotation, missesClearedAt }, changed.misses, env.policy.routing.rotationPenalty.windowDays);
}

/**
 * Reaching `rotationPenalty.misses` inside the rolling window takes the
 * rep out of rotation: the verdict is a RepRotationChanged, which evolve
 * applies.
 */
export function decideRecordMiss(rep: RepState, miss: RepMiss, env: RoutingEnv): RoutingEmission[] {
  const after = recordMiss(rep, miss, env);
  if (after === rep || !alreadyRecorded(after, miss)) return [];
  const misses = missesInWindow(after.misses, env);
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
