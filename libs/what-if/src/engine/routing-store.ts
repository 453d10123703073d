import type { LeadRoutingState, RoutingInputEvent, RoutingState } from '@lead-sla/routing-pure';

type Owner = RoutingState['learnedAccountOwners'] extends ReadonlyMap<string, infer V> ? V : never;
type Suppressed = RoutingState['suppressedContacts'] extends ReadonlyMap<string, infer V> ? V : never;

/**
 * Routing's state in memory, handed to the pure decider the way its
 * repository loads it (RoutingStateRepository.load): every rep, pool and
 * queued lead, plus the input's leads, the other leads of their contacts and
 * those contacts' suppression and companies' learned owners. Passing every
 * lead instead would be correct but slow: evolve copies the maps it changes.
 * Decision logs (the why endpoint's history) are not kept.
 */
export class RoutingStore {
  private readonly leads = new Map<string, LeadRoutingState>();
  private readonly leadsOfContact = new Map<string, Set<string>>();
  private reps: RoutingState['reps'] = new Map();
  private pools: RoutingState['pools'] = new Map();
  private queue: RoutingState['queue'] = new Map();
  private readonly owners = new Map<string, Owner>();
  private readonly suppressed = new Map<string, Suppressed>();

  /** Where the lead is now (null: routing never saw it). */
  lead(leadId: string): LeadRoutingState | null {
    return this.leads.get(leadId) ?? null;
  }

  /** The batch state of one input (what the repository's load returns for its keys). */
  load(input: RoutingInputEvent): RoutingState {
    const leadIds = new Set<string>();
    const contactKeys = new Set<string>();
    const domains = new Set<string>();
    if (input.leadId !== null) leadIds.add(input.leadId);
    if (input.type === 'LeadCreated') {
      contactKeys.add(input.data.contact.contactKey);
      if (input.data.accountDomain) domains.add(input.data.accountDomain.toLowerCase());
    }
    if (input.type === 'LeadRequalified' && input.leadId !== null) {
      const contactKey = this.leads.get(input.leadId)?.contactKey;
      if (contactKey) contactKeys.add(contactKey);
    }
    for (const key of contactKeys) for (const id of this.leadsOfContact.get(key) ?? []) leadIds.add(id);
    for (const id of this.queue.keys()) leadIds.add(id);
    const leads = new Map<string, LeadRoutingState>();
    for (const id of leadIds) {
      const lead = this.leads.get(id);
      if (!lead) continue;
      leads.set(id, lead);
      contactKeys.add(lead.contactKey);
      if (lead.accountDomain) domains.add(lead.accountDomain);
    }
    return {
      reps: this.reps,
      pools: this.pools,
      queue: this.queue,
      leads,
      logs: new Map(),
      learnedAccountOwners: pick(this.owners, domains),
      suppressedContacts: pick(this.suppressed, contactKeys),
      folding: null,
    };
  }

  /** Keeps what changed between `before` and `after` (the repository's save). */
  save(before: RoutingState, after: RoutingState): void {
    this.reps = after.reps;
    this.pools = after.pools;
    this.queue = after.queue;
    for (const [id, lead] of after.leads) {
      if (before.leads.get(id) === lead) continue;
      this.leads.set(id, lead);
      let ids = this.leadsOfContact.get(lead.contactKey);
      if (!ids) this.leadsOfContact.set(lead.contactKey, (ids = new Set()));
      ids.add(id);
    }
    for (const [k, v] of after.learnedAccountOwners) if (before.learnedAccountOwners.get(k) !== v) this.owners.set(k, v);
    for (const [k, v] of after.suppressedContacts) if (before.suppressedContacts.get(k) !== v) this.suppressed.set(k, v);
  }
}

function pick<V>(map: ReadonlyMap<string, V>, keys: ReadonlySet<string>): Map<string, V> {
  const out = new Map<string, V>();
  for (const k of keys) {
    const v = map.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}
