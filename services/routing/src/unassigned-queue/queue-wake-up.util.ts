import type { RoutingWakeUpData } from '@lead-sla/contracts';
import { toMs, type Instant, type RoutingEnv, type RoutingState } from '../domain/routing-state.types';

/** When a team's coverage calendar next opens after `now` (null: never, e.g. no windows). Injected so this stays pure. */
export type NextCoverageStartPort = (calendarId: string, now: Instant) => Instant | null;

/** A wake-up routing schedules for itself: published as RoutingWakeUp at `dueAt`. */
export type QueueWakeUp = RoutingWakeUpData;

/** One id per subject and instant: the same wake-up computed by many batches is scheduled once. */
export function wakeUpIdOf(w: QueueWakeUp): string {
  return `${w.reason}:${w.teamId ?? w.repId}:${w.dueAt}`;
}

/** The pools a queued lead may be drained into: its own pool and that pool's backup chain. */
function poolsOfQueuedLeads(state: RoutingState, env: RoutingEnv): Set<string> {
  const pools = new Set<string>();
  for (const { leadId } of state.queue.values()) {
    let poolId: string | undefined = state.leads.get(leadId)?.poolId ?? env.policy.routing.defaultPool;
    while (poolId !== undefined && !pools.has(poolId)) {
      pools.add(poolId);
      poolId = env.policy.pools.find((p) => p.id === poolId)?.backupPoolId;
    }
  }
  return pools;
}

/**
 * The instants after `env.now` at which a queued lead may become assignable
 * although no event will say so: a team of a rep who could take it comes on
 * shift (its coverage window opens), a rep's PTO ends, a rep's shift override
 * starts. Routing publishes a RoutingWakeUp at each, and the queue drain
 * runs as of that instant. Empty when nothing is queued. Pure: time, policy
 * and calendars come in.
 */
export function queueWakeUps(state: RoutingState, env: RoutingEnv, nextCoverageStart: NextCoverageStartPort): QueueWakeUp[] {
  if (state.queue.size === 0) return [];
  const now = toMs(env.now);
  const repIds = new Set([...poolsOfQueuedLeads(state, env)].flatMap((poolId) => env.policy.pools.find((p) => p.id === poolId)?.reps ?? []));
  const out = new Map<string, QueueWakeUp>();
  const add = (w: QueueWakeUp) => out.set(wakeUpIdOf(w), w);
  for (const repId of [...repIds].sort()) {
    const team = env.policy.teams.find((t) => t.id === env.policy.reps.find((r) => r.id === repId)?.teamId);
    if (team && !env.isOnShift(repId, team.calendarId, env.now)) {
      const opens = nextCoverageStart(team.calendarId, env.now);
      if (opens !== null) add({ reason: 'coverage_start', dueAt: opens, teamId: team.id });
    }
    const rep = state.reps.get(repId);
    for (const pto of rep?.pto ?? []) {
      if (toMs(pto.from) <= now && now < toMs(pto.to)) add({ reason: 'pto_end', dueAt: pto.to, repId });
    }
    if (rep?.shiftOverride && toMs(rep.shiftOverride.from) > now) add({ reason: 'shift_override_start', dueAt: rep.shiftOverride.from, repId });
  }
  return [...out.values()].sort((a, b) => toMs(a.dueAt) - toMs(b.dueAt) || wakeUpIdOf(a).localeCompare(wakeUpIdOf(b)));
}
