import type { EventOf, LeadEvent, PolicyPublisher } from '@lead-sla/contracts';
import { diffPolicies, policyFromDocument, PolicyError } from '@lead-sla/policy';

/** One policy version as the history shows it: the N copies of a PolicyPublished (one per partition) make one row. */
export interface PolicyVersionRow {
  readonly version: string;
  readonly publishedAt: string;
  readonly publishedBy: PolicyPublisher;
  readonly reason: string;
  readonly previousVersion: string | null;
  /** What changed from the previous version, in a line (diffPolicies' summary). */
  readonly summary: string;
  readonly document: Record<string, unknown>;
}

/** The newest version reporting knows of: what the next one is compared with. */
export interface KnownPolicyVersion {
  readonly version: string;
  readonly publishedAt: string;
  readonly document: Record<string, unknown>;
}

export function policyVersionKeyOf(event: LeadEvent): string | null {
  return event.type === 'PolicyPublished' ? event.data.version : null;
}

/**
 * The history row of a published version, compared with the newest version
 * known before it. Pure; the copies on the other partitions yield the same
 * version, which the store inserts once.
 */
export function policyVersionRowOf(event: EventOf<'PolicyPublished'>, previous: KnownPolicyVersion | null): PolicyVersionRow {
  const { version, document, publishedAt, publishedBy, reason } = event.data;
  return { version, publishedAt, publishedBy, reason, previousVersion: previous?.version ?? null, summary: summaryOf(previous, version, document), document };
}

function summaryOf(previous: KnownPolicyVersion | null, version: string, document: Record<string, unknown>): string {
  if (!previous) return 'the first version published on the log (before it, each service ran its policy file)';
  try {
    return diffPolicies(policyFromDocument(previous.document, `policy version ${previous.version}`), policyFromDocument(document, `policy version ${version}`)).summary;
  } catch (error) {
    // A document the current schema no longer reads (an older format) is still history: say why it is not compared.
    if (error instanceof PolicyError) return `not compared: ${error.message.split('\n')[0]}`;
    throw error;
  }
}
