// Given/When/Then for the routing decider: a state, inputs folded through decide and evolve, then the events and what changed.
import type { LeadEvent } from '@lead-sla/contracts';
import { decideAndEvolve, foldInputs, type Decided, type Decider } from '@lead-sla/decider';
import type { RoutingInputEvent } from '../domain/routing-events.types';
import type { RoutingEmission } from '../domain/routing-emission.types';
import type { LeadRoutingState, PoolState, QueuedLead, RepState, RoutingEnv, RoutingState } from '../domain/routing-state.types';
import { decideRouting, previewEvent } from '../routing.decider';
import { evolveRouting } from '../routing.evolve';
import { NOW, env as defaultEnv } from './routing.fixture';

export const routingDecider: Decider<RoutingInputEvent, RoutingState, RoutingEnv> = { decide: decideRouting, evolve: evolveRouting };

type InputOf<T extends RoutingInputEvent['type']> = Extract<RoutingInputEvent, { type: T }>;

/** An input envelope at NOW (the fixtures' clock). */
export function input<T extends RoutingInputEvent['type']>(type: T, data: InputOf<T>['data'], leadId: string | null = 'lead-1', eventId = `${type}-1`): InputOf<T> {
  // Generic over the union, TypeScript cannot relate T to its envelope member; the signature keeps callers checked.
  return { type, version: 1, eventId, occurredAt: NOW, recordedAt: NOW, leadId, correlationId: 'c-1', causationId: null, data } as unknown as InputOf<T>;
}

/** What a decision changed, in the terms a person checks: capacity moves, rows written, queue entries, notes. */
export interface Changes {
  /** Lead by lead: the count leaves its previous holder (-1) and goes to its new one (+1). */
  readonly capacity: { repId: string; leadId: string; delta: 1 | -1 }[];
  readonly leads: LeadRoutingState[];
  readonly reps: RepState[];
  readonly pools: PoolState[];
  readonly queueAdded: QueuedLead[];
  readonly queueRemoved: string[];
  readonly accountOwners: { accountDomain: string; repId: string }[];
  readonly suppressContacts: { contactKey: string; leadId: string; cause: string }[];
  readonly notes: string[];
}

const holder = (l: LeadRoutingState | undefined) => (l && l.released === undefined && l.awaitingFirstTouch ? l.ownerRepId : null);

export function changesBetween(before: RoutingState, after: RoutingState): Changes {
  const changedLeads = [...after.leads.values()].filter((l) => before.leads.get(l.leadId) !== l);
  const capacity: Changes['capacity'] = [];
  for (const l of changedLeads) {
    const from = holder(before.leads.get(l.leadId));
    const to = holder(l);
    if (from === to) continue;
    if (from !== null) capacity.push({ repId: from, leadId: l.leadId, delta: -1 });
    if (to !== null) capacity.push({ repId: to, leadId: l.leadId, delta: 1 });
  }
  const notes = [...after.logs].flatMap(([id, log]) => log.slice(before.logs.get(id)?.length ?? 0).filter((e) => e.kind === 'Note').map((e) => String(e.data.note)));
  return {
    capacity,
    leads: changedLeads,
    reps: [...after.reps.values()].filter((r) => before.reps.get(r.repId) !== r),
    pools: [...after.pools.values()].filter((p) => before.pools.get(p.poolId) !== p),
    queueAdded: [...after.queue.values()].filter((q) => before.queue.get(q.leadId) !== q),
    queueRemoved: [...before.queue.keys()].filter((id) => !after.queue.has(id)),
    accountOwners: [...after.learnedAccountOwners].filter(([d]) => !before.learnedAccountOwners.has(d)).map(([accountDomain, o]) => ({ accountDomain, repId: o.repId })),
    suppressContacts: [...after.suppressedContacts]
      .filter(([k]) => !before.suppressedContacts.has(k))
      .map(([contactKey, s]) => ({ contactKey, leadId: s.leadId, cause: s.cause })),
    notes,
  };
}

export interface Outcome extends Decided<RoutingState> {
  readonly changes: Changes;
}

/** Given a state, when these inputs arrive (decided and folded in order), then: the events and what changed. */
export function given(state: RoutingState, env: RoutingEnv = defaultEnv()) {
  return {
    when(...inputs: RoutingInputEvent[]): Outcome {
      const done = inputs.length === 1 ? decideAndEvolve(routingDecider, state, inputs[0], env, new Date(NOW)) : foldInputs(routingDecider, state, inputs, () => env, new Date(NOW));
      return { ...done, changes: changesBetween(state, done.state) };
    },
  };
}

/** A use case's emissions folded into the state (for specs of one use-case decider). */
export function applied(state: RoutingState, emitted: RoutingEmission | readonly RoutingEmission[], env: RoutingEnv = defaultEnv(), cause: LeadEvent = input('LeadCreated', {} as never)): { state: RoutingState; changes: Changes } {
  const list: readonly RoutingEmission[] = Array.isArray(emitted) ? emitted : [emitted as RoutingEmission];
  const after = list.reduce((s, e, i) => evolveRouting(s, previewEvent(cause, e, env, i), env), state);
  return { state: after, changes: changesBetween(state, after) };
}
