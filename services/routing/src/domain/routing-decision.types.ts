import type { LeadAssignedData, LeadQueuedData, RepRotationChangedData } from '@lead-sla/contracts';
import type { LeadRoutingState, PoolState, QueuedLead, RepUpdate } from './routing-state.types';

/** An event to publish; `data` is the contracts' event data, ready for the envelope. */
export type RoutingEmission =
  | { readonly type: 'LeadAssigned'; readonly leadId: string; readonly data: LeadAssignedData }
  | { readonly type: 'LeadQueued'; readonly leadId: string; readonly data: LeadQueuedData }
  /** A fact about a rep: the envelope's leadId is null and the message is keyed by repId. */
  | { readonly type: 'RepRotationChanged'; readonly repId: string; readonly data: RepRotationChangedData };

/** One rep's open "awaiting first touch" count moves with a lead. Applied as an increment. */
export interface CapacityChange {
  readonly repId: string;
  readonly leadId: string;
  readonly delta: 1 | -1;
}

/** A contact routing must never route again (do not contact, consent withdrawn). */
export interface SuppressedContact {
  readonly contactKey: string;
  readonly leadId: string;
  readonly cause: string;
}

/** Why an event changed nothing that a person might expect it to (logged and kept for the why endpoint). */
export interface DecisionNote {
  readonly leadId: string | null;
  readonly text: string;
}

export interface LearnedAccountOwner {
  readonly accountDomain: string;
  readonly repId: string;
}

/**
 * The result of every decider: what to publish and what to write, in one
 * transaction with the outbox. Nothing here has been applied yet.
 */
export interface RoutingDecision {
  readonly emit: readonly RoutingEmission[];
  /** New state of each lead the decision changed. */
  readonly leads: readonly LeadRoutingState[];
  /** New state of each rep whose availability, rotation or misses changed. */
  readonly reps: readonly RepUpdate[];
  readonly capacity: readonly CapacityChange[];
  /** Updated round-robin pointers. */
  readonly pools: readonly PoolState[];
  readonly queue: { readonly add: readonly QueuedLead[]; readonly remove: readonly string[] };
  readonly accountOwners: readonly LearnedAccountOwner[];
  readonly suppressContacts: readonly SuppressedContact[];
  readonly notes: readonly DecisionNote[];
}

export const noDecision: RoutingDecision = {
  emit: [],
  leads: [],
  reps: [],
  capacity: [],
  pools: [],
  queue: { add: [], remove: [] },
  accountOwners: [],
  suppressContacts: [],
  notes: [],
};

export function decision(part: Partial<RoutingDecision>): RoutingDecision {
  return { ...noDecision, ...part };
}

function lastByKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.delete(key(item));
    byKey.set(key(item), item);
  }
  return [...byKey.values()];
}

/** Applies `b` after `a`: emissions and deltas concatenate, state rows keep the latest version. */
export function mergeDecisions(a: RoutingDecision, b: RoutingDecision): RoutingDecision {
  return {
    emit: [...a.emit, ...b.emit],
    leads: lastByKey([...a.leads, ...b.leads], (l) => l.leadId),
    reps: lastByKey([...a.reps, ...b.reps], (r) => r.repId),
    capacity: [...a.capacity, ...b.capacity],
    pools: lastByKey([...a.pools, ...b.pools], (p) => p.poolId),
    queue: { add: [...a.queue.add, ...b.queue.add], remove: [...a.queue.remove, ...b.queue.remove] },
    accountOwners: lastByKey([...a.accountOwners, ...b.accountOwners], (o) => o.accountDomain),
    suppressContacts: lastByKey([...a.suppressContacts, ...b.suppressContacts], (c) => c.contactKey),
    notes: [...a.notes, ...b.notes],
  };
}
