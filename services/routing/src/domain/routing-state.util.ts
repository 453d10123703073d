import type { DecisionLogEntry, LearnedOwner, LeadRoutingState, PoolState, QueuedLead, RepState, RoutingState, SuppressedContact } from './routing-state.types';
import { decisionOrder } from './decision-order.util';
import { repStateOf, toMs } from './routing-state.types';

// Immutable steps evolve is built from; each returns a new state and leaves the given one as it was.

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  return new Map(map).set(key, value);
}

export function setLead(s: RoutingState, lead: LeadRoutingState): RoutingState {
  return { ...s, leads: withEntry(s.leads, lead.leadId, lead) };
}

export function setRep(s: RoutingState, rep: RepState): RoutingState {
  return { ...s, reps: withEntry(s.reps, rep.repId, rep) };
}

export function setPool(s: RoutingState, pool: PoolState): RoutingState {
  return { ...s, pools: withEntry(s.pools, pool.poolId, pool) };
}

/**
 * A plain sum, never clamped: each lead adds 1 to its holder and takes it
 * back in its own (one-partition) order, so the count is the same in any
 * interleaving of partitions and never drops below zero. A clamp would make
 * the result depend on that interleaving.
 */
function changeOpen(s: RoutingState, repId: string, delta: 1 | -1): RoutingState {
  const rep = repStateOf(s, repId);
  return setRep(s, { ...rep, openAwaitingFirstTouch: rep.openAwaitingFirstTouch + delta });
}

/**
 * Moves the lead's "awaiting first touch" count from the previous owner to
 * the new one. A lead that was already touched counts for nobody.
 */
export function moveCapacity(s: RoutingState, lead: LeadRoutingState, from: string | null, to: string | null): RoutingState {
  if (!lead.awaitingFirstTouch || from === to) return s;
  const released = from === null ? s : changeOpen(s, from, -1);
  return to === null ? released : changeOpen(released, to, 1);
}

export function enqueue(s: RoutingState, entry: QueuedLead): RoutingState {
  return { ...s, queue: withEntry(s.queue, entry.leadId, entry) };
}

export function dequeue(s: RoutingState, leadId: string): RoutingState {
  if (!s.queue.has(leadId)) return s;
  const queue = new Map(s.queue);
  queue.delete(leadId);
  return { ...s, queue };
}

export function appendLog(s: RoutingState, leadId: string, entry: DecisionLogEntry): RoutingState {
  return { ...s, logs: withEntry(s.logs, leadId, [...(s.logs.get(leadId) ?? []), entry]) };
}

/** Why an input changed nothing a person might expect it to, or changed something without an event: kept in the lead's log. */
export function appendNote(s: RoutingState, leadId: string, text: string, decidedAt: string): RoutingState {
  const cause = s.folding ?? { eventId: '', type: 'unknown' };
  return appendLog(s, leadId, { kind: 'Note', eventId: null, causeType: cause.type, causeEventId: cause.eventId, decidedAt, data: { note: text } });
}

/** The earliest decision wins, whichever partition's assignment is folded first. */
export function learnAccountOwner(s: RoutingState, accountDomain: string, owner: LearnedOwner): RoutingState {
  const known = s.learnedAccountOwners.get(accountDomain);
  if (known !== undefined && decisionOrder(owner, known) >= 0) return s;
  return { ...s, learnedAccountOwners: withEntry(s.learnedAccountOwners, accountDomain, owner) };
}

function suppressedEarlier(a: SuppressedContact, b: SuppressedContact): boolean {
  const dt = toMs(a.suppressedAt) - toMs(b.suppressedAt);
  return dt !== 0 ? dt < 0 : a.leadId < b.leadId || (a.leadId === b.leadId && a.cause < b.cause);
}

/** The earliest suppression of a contact is kept (its leads may be on different partitions). */
export function suppressContact(s: RoutingState, contactKey: string, suppression: SuppressedContact): RoutingState {
  const known = s.suppressedContacts.get(contactKey);
  if (known !== undefined && !suppressedEarlier(suppression, known)) return s;
  return { ...s, suppressedContacts: withEntry(s.suppressedContacts, contactKey, suppression) };
}

/** The persisted status of a lead, for the why endpoint and operators. */
export function leadStatus(lead: LeadRoutingState, queued: boolean): string {
  if (lead.released) return lead.released;
  if (lead.ownerRepId !== null) return 'assigned';
  return queued ? 'queued' : 'unassigned';
}
