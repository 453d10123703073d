import type { LeadEvent } from '@lead-sla/contracts';
import { policyLookup, type Policy } from '@lead-sla/policy';
import { leadFromCreated } from '../assign-lead/assign-lead.decider';
import type { LeadRoutingState, RoutingState } from '../domain/routing-state.types';

/**
 * What one batch may read or change of the rows several partitions share:
 * pools (round-robin pointer, queue entries of the leads in them), reps
 * (availability, misses, open count) and the contacts and companies whose
 * duplicates, suppression and learned owner a new lead reads
 * (`contact:<key>`, `company:<domain>`). Sorted, so locking in this order
 * is the one global order.
 */
export interface BatchFootprint {
  readonly pools: readonly string[];
  readonly reps: readonly string[];
  readonly keys: readonly string[];
}

/** Whether `outer` holds every pool, rep and key of `inner`. */
export function footprintCovers(outer: BatchFootprint, inner: BatchFootprint): boolean {
  const has = (all: readonly string[], some: readonly string[]) => {
    const set = new Set(all);
    return some.every((x) => set.has(x));
  };
  return has(outer.pools, inner.pools) && has(outer.reps, inner.reps) && has(outer.keys, inner.keys);
}

export function footprintUnion(a: BatchFootprint, b: BatchFootprint): BatchFootprint {
  const merge = (x: readonly string[], y: readonly string[]) => [...new Set([...x, ...y])].sort();
  return { pools: merge(a.pools, b.pools), reps: merge(a.reps, b.reps), keys: merge(a.keys, b.keys) };
}

/** What the footprint tracks of one lead through the batch: every pool it may be in and every rep that may own it. */
interface LeadReach {
  readonly pools: Set<string | null>;
  readonly owners: Set<string>;
  /** Reps that owned it before (a fixed lead goes back to the owner it had before data cleanup). */
  readonly history: Set<string>;
  readonly contactKey: string;
  readonly accountDomain: string | null;
  readonly attributes: LeadRoutingState['attributes'];
}

/**
 * The pools and reps a batch may read or change (pure): worked out from
 * what routing.decider.ts and routing.evolve.ts read, for every policy in
 * force in the batch, from the batch's inputs and what is already known
 * (its leads, the other leads of their contacts, the unassigned queue and
 * the learned owners of their companies). It over-approximates within the
 * batch (a lead may land in any pool of its chain, so every rep of the
 * chain counts), never under: batch-footprint.spec.ts checks that deciding
 * on the state restricted to it gives the same events and changes as on
 * the whole state.
 *
 * - After every input the queue is drained: every queued lead's pool with
 *   its backup chain and every rep of those pools (a coverage window that
 *   opened may free any of them without an event). With an empty queue
 *   this adds nothing, which is routing's normal day.
 * - A new or re-qualified lead: the rule's pool and its backup chain, the
 *   same contact's owners (duplicate), the company's owner (policy or
 *   learned), the lead's old owner (its count moves); its contact and
 *   company as keys.
 * - An SLA reassignment, a fix after data cleanup, the SQL handoff: the
 *   chain of each pool the lead may be in (or of the AE pool), its owners.
 * - A touch, recycle, suppression, a manager's reassignment: the lead's
 *   possible owners (their open count) and the rep chosen; a suppression
 *   also its contact as a key. (A queued lead's queue entry is in its
 *   pool's rows, which the queue drain above takes in already.)
 * - A rep event (availability, miss, reinstatement): that rep.
 * - In a rebuild, routing's own decisions: the pool and rep they name.
 */
export function batchFootprint(inputs: readonly LeadEvent[], policies: readonly Policy[], known: RoutingState): BatchFootprint {
  const pools = new Set<string>();
  const reps = new Set<string>();
  const keys = new Set<string>();
  const reach = new Map<string, LeadReach>();

  const reachOfState = (lead: LeadRoutingState): LeadReach => ({
    pools: new Set([lead.poolId]),
    owners: new Set(lead.ownerRepId === null ? [] : [lead.ownerRepId]),
    history: new Set(lead.ownerHistory.map((h) => h.repId)),
    contactKey: lead.contactKey,
    accountDomain: lead.accountDomain,
    attributes: lead.attributes,
  });
  const reachOf = (leadId: string | null): LeadReach | undefined => {
    if (leadId === null) return undefined;
    let r = reach.get(leadId);
    if (r === undefined) {
      const lead = known.leads.get(leadId);
      if (lead === undefined) return undefined;
      r = reachOfState(lead);
      reach.set(leadId, r);
    }
    return r;
  };
  const addRep = (repId: string | null | undefined) => {
    if (repId !== null && repId !== undefined) reps.add(repId);
  };
  /** The pool (the row holding the queue entries of the leads in it), then in each policy its home pool and backup chain with every rep. */
  const addChain = (poolId: string | null, r?: LeadReach) => {
    if (poolId !== null) pools.add(poolId);
    for (const policy of policies) {
      let id: string | undefined = poolId !== null && policy.pools.some((p) => p.id === poolId) ? poolId : policy.routing.defaultPool;
      const seen = new Set<string>();
      while (id !== undefined && !seen.has(id)) {
        seen.add(id);
        pools.add(id);
        r?.pools.add(id);
        const pool = policyLookup.pool(policy, id);
        for (const repId of pool.reps) {
          reps.add(repId);
          r?.owners.add(repId);
        }
        id = pool.backupPoolId;
      }
    }
  };
  /**
   * The reps whose open count the lead may hold. (Its queue entry, if it
   * waits, is in its pool's rows: every queued lead's pool and chain are
   * taken in below, and a lead the batch queues goes to a pool of a chain
   * already in.)
   */
  const addLeadRows = (r: LeadReach) => {
    for (const o of r.owners) reps.add(o);
  };
  /** A rep who may come to own the lead in this batch. */
  const addOwner = (r: LeadReach, repId: string) => {
    reps.add(repId);
    r.owners.add(repId);
  };
  const addChainsOf = (r: LeadReach) => {
    for (const p of [...r.pools]) addChain(p, r);
  };
  /** A lead routed by rule: its rule's chain, its direct owners (same contact, company), its contact and company. */
  const addRouting = (r: LeadReach) => {
    keys.add(`contact:${r.contactKey}`);
    if (r.accountDomain !== null) keys.add(`company:${r.accountDomain}`);
    addLeadRows(r);
    const direct = new Set<string>();
    for (const policy of policies) {
      addChain(policyLookup.routedPool(policy, r.attributes).poolId, r);
      const owner = r.accountDomain === null ? undefined : policy.routing.accountOwners[r.accountDomain];
      if (owner !== undefined) direct.add(owner);
    }
    const learned = r.accountDomain === null ? undefined : known.learnedAccountOwners.get(r.accountDomain)?.repId;
    if (learned !== undefined) direct.add(learned);
    for (const other of reach.values()) if (other !== r && other.contactKey === r.contactKey) for (const o of other.owners) direct.add(o);
    for (const lead of known.leads.values()) if (lead.contactKey === r.contactKey && lead.ownerRepId !== null) direct.add(lead.ownerRepId);
    for (const o of direct) addOwner(r, o);
  };

  // The queue as the batch starts (drained after every input).
  for (const q of known.queue.values()) {
    const r = reachOf(q.leadId);
    if (r === undefined) continue;
    addLeadRows(r);
    addChainsOf(r);
  }

  for (const input of inputs) {
    switch (input.type) {
      case 'LeadCreated': {
        if (input.leadId === null || reachOf(input.leadId) !== undefined) break;
        const r = reachOfState(leadFromCreated(input.leadId, input.occurredAt, input.data));
        reach.set(input.leadId, r);
        addRouting(r);
        break;
      }
      case 'LeadRequalified': {
        const r = reachOf(input.leadId);
        if (r !== undefined) addRouting(r);
        break;
      }
      case 'SlaEscalated':
      case 'ContactFixed': {
        const r = reachOf(input.leadId);
        if (r === undefined || (input.type === 'SlaEscalated' && input.data.action !== 'reassign')) break;
        // A fixed lead goes back to the owner it had before data cleanup, if that rep can take it.
        if (input.type === 'ContactFixed') for (const h of r.history) addOwner(r, h);
        addLeadRows(r);
        addChainsOf(r);
        break;
      }
      case 'ContactBounced':
      case 'DataCleanupRequested': {
        const r = reachOf(input.leadId);
        if (r === undefined) break;
        addLeadRows(r);
        for (const policy of policies) {
          const cleanup = policy.routing.dataCleanupOwner;
          if (cleanup !== undefined) addOwner(r, cleanup);
          // A lead without a pool gets the default one while in cleanup (where a later fix routes it).
          if (r.pools.has(null)) r.pools.add(policy.routing.defaultPool);
        }
        break;
      }
      case 'LeadReassignmentRequested': {
        const r = reachOf(input.leadId);
        if (r === undefined) break;
        addLeadRows(r);
        addOwner(r, input.data.toRepId);
        // The pool the lead is moved to (its pointer stays put) matters only to a later reassignment in the batch.
        for (const policy of policies) {
          for (const p of [...r.pools]) {
            const home = p !== null && policy.pools.some((x) => x.id === p) ? p : policy.routing.defaultPool;
            const chosen = policy.pools.find((x) => x.id === home)?.reps.includes(input.data.toRepId) ? home : (policy.pools.find((x) => x.reps.includes(input.data.toRepId))?.id ?? home);
            r.pools.add(chosen);
          }
        }
        break;
      }
      case 'LeadStageChanged': {
        const r = reachOf(input.leadId);
        if (r === undefined) break;
        addLeadRows(r);
        if (input.data.to === 'sql') for (const policy of policies) if (policy.routing.aePool !== undefined) addChain(policy.routing.aePool, r);
        break;
      }
      case 'LeadTouched':
      case 'LeadRecycled':
      case 'LeadSuppressed':
      case 'ConsentWithdrawn': {
        const r = reachOf(input.leadId);
        if (r === undefined) break;
        addLeadRows(r);
        if (input.type === 'LeadSuppressed' || input.type === 'ConsentWithdrawn') keys.add(`contact:${r.contactKey}`);
        break;
      }
      case 'SlaBreached':
        addRep(input.data.ownerRepId);
        break;
      case 'RepAvailabilityChanged':
      case 'RepReinstated':
        addRep(input.data.repId);
        break;
      case 'RoutingWakeUp':
      case 'LeadDispositioned':
      case 'DispositionRecorded':
      case 'DispositionRejected':
        break;
      // A rebuild folds routing's own decisions too.
      case 'LeadAssigned':
      case 'LeadQueued': {
        const r = reachOf(input.leadId);
        const poolId = input.data.poolId;
        if (poolId !== null) pools.add(poolId);
        if (input.type === 'LeadAssigned') addRep(input.data.repId);
        if (r === undefined) break;
        addLeadRows(r);
        r.pools.add(poolId);
        if (input.type === 'LeadAssigned') {
          r.owners.add(input.data.repId);
          if (r.accountDomain !== null) keys.add(`company:${r.accountDomain}`);
        }
        break;
      }
      case 'RepRotationChanged':
        addRep(input.data.repId);
        break;
      default: {
        // Any other type changes nothing routing shares: a lead-only fact, or a type routing does not fold.
        const r = reachOf(input.leadId);
        if (r !== undefined) addLeadRows(r);
      }
    }
    // Leads this input may have queued are drained after it: their pools' chains are in already (a queue decision names a pool of a chain above).
  }
  return { pools: [...pools].sort(), reps: [...reps].sort(), keys: [...keys].sort() };
}
