import type { RepReinstatedData } from '@lead-sla/contracts';
import { decision, noDecision, type RoutingDecision } from '../domain/routing-decision.types';
import { toMs, type RepMiss, type RepState, type RepUpdate, type RoutingEnv } from '../domain/routing-state.types';

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

function update(rep: RepState, patch: Partial<RepUpdate>): RepUpdate {
  const { openAwaitingFirstTouch: _open, ...rest } = rep;
  return { ...rest, ...patch };
}

/**
 * Records an SLA miss against a rep; reaching `rotationPenalty.misses`
 * inside the rolling window takes them out of rotation. The same miss
 * delivered twice counts once (the bus is at-least-once).
 */
export function decideRecordMiss(rep: RepState, miss: RepMiss, env: RoutingEnv): RoutingDecision {
  const seen = rep.misses.some((m) => m.leadId === miss.leadId && m.clock === miss.clock && m.breachedAt === miss.breachedAt);
  if (seen) return noDecision;
  const misses = missesInWindow([...rep.misses, miss], env);
  const penalised = rep.inRotation && misses.length >= env.policy.routing.rotationPenalty.misses;
  return decision({
    reps: [update(rep, { misses, inRotation: rep.inRotation && !penalised })],
    emit: penalised
      ? [
          {
            type: 'RepRotationChanged',
            repId: rep.repId,
            data: { repId: rep.repId, inRotation: false, cause: 'sla_misses', misses, by: null, policyVersion: env.policy.version },
          },
        ]
      : [],
  });
}

/**
 * A manager puts a rep back. The misses that took them out are cleared:
 * otherwise one more miss inside the same window would remove them again
 * at once, which is not what reinstating means.
 */
export function decideReinstate(rep: RepState, reinstated: RepReinstatedData, env: RoutingEnv): RoutingDecision {
  if (rep.inRotation) return noDecision;
  return decision({
    reps: [update(rep, { inRotation: true, misses: [] })],
    emit: [
      {
        type: 'RepRotationChanged',
        repId: rep.repId,
        data: {
          repId: rep.repId,
          inRotation: true,
          cause: 'manager_reinstated',
          misses: [],
          by: reinstated.managerId,
          policyVersion: env.policy.version,
        },
      },
    ],
  });
}
