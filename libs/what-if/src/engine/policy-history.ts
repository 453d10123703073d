import type { EventOf, LeadEvent } from '@lead-sla/contracts';
import { policyFromDocument, PolicyError, type Policy } from '@lead-sla/policy';

/** A version of the policy and the instant (ISO) it came into force on the log; null: in force from before the replay's first event. */
export interface VersionInForce {
  readonly version: string;
  readonly since: string | null;
}

export const isPolicyPublication = (event: LeadEvent): event is EventOf<'PolicyPublished'> => event.type === 'PolicyPublished';

/**
 * The policy in force as the log says, followed event by event: the
 * bootstrap (the services' POLICY_FILE) until the first PolicyPublished,
 * then each published version from its position on the log, as the
 * services switch (docs/policy.md). Routing writes one copy per partition:
 * the first copy met switches, the others of the same version change
 * nothing. A document that does not validate is skipped, as the services
 * dead-letter it and keep the version in force.
 */
export class PolicyHistory {
  private inForce: Policy;
  private readonly known = new Map<string, Policy>();
  private readonly switches: VersionInForce[];

  constructor(bootstrap: Policy) {
    this.inForce = bootstrap;
    this.switches = [{ version: bootstrap.version, since: null }];
  }

  get current(): Policy {
    return this.inForce;
  }

  /** Applies a publication met on the log; true when it changed the version in force. */
  apply(event: EventOf<'PolicyPublished'>): boolean {
    const { version, document } = event.data;
    if (version === this.inForce.version) return false;
    let policy = this.known.get(version);
    if (!policy) {
      try {
        policy = policyFromDocument(document, `PolicyPublished ${version} (event ${event.eventId})`);
      } catch (error) {
        if (error instanceof PolicyError) return false;
        throw error;
      }
      this.known.set(version, policy);
    }
    this.inForce = policy;
    this.switches.push({ version, since: event.recordedAt });
    return true;
  }

  /** The versions in force during [from, …): the one in force at `from` (ms), then each that replaced it. */
  versionsFrom(from: number): VersionInForce[] {
    const start = this.switches.findLastIndex((s) => s.since === null || Date.parse(s.since) <= from);
    return this.switches.slice(Math.max(0, start));
  }
}
