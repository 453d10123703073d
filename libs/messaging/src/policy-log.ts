import { policyPublishedEventId, type EventOf, type PolicyCopy, type PolicyPublisher } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { policyFromDocument, type Policy } from '@lead-sla/policy';
import type { Tx } from '@lead-sla/platform';

/** The policy in force at a position: its version on the log, or null for the bootstrap file. */
export interface PolicyInForce {
  readonly version: string | null;
  readonly policy: Policy;
}

interface DocumentRow {
  version: string;
  document: unknown;
  published_at: Date | string;
}

/**
 * The policy versions a service has met on lead-events.v1 (docs/policy.md).
 * The consumer records each PolicyPublished copy here, in the transaction
 * that moves the partition's offset, and keeps the version in force per
 * partition beside the offset (`consumer_offsets.policy_version`); before a
 * partition's first copy the bootstrap file applies, so a log from before
 * policy-as-events replays as it ran. Documents are immutable per version, so
 * they are cached once read.
 */
export class PolicyLog {
  private readonly documents = new Map<string, Policy>();
  private newest: { version: string; publishedAt: number } | null = null;

  constructor(
    private readonly schema: string,
    private readonly bootstrap: () => Policy,
    /** Told of a version published later than any seen so far (HTTP validation and sign-in use the newest). */
    private readonly onNewest: (policy: Policy) => void = () => undefined,
  ) {}

  /** The bootstrap policy (the file), in force before a partition's first PolicyPublished. */
  bootstrapPolicy(): Policy {
    return this.bootstrap();
  }

  /** The policy of a version this service has recorded; null: the bootstrap. */
  async policyOf(tx: Pick<Tx, 'query'>, version: string | null): Promise<Policy> {
    if (version === null) return this.bootstrap();
    const cached = this.documents.get(version);
    if (cached) return cached;
    const [row] = await tx.query<DocumentRow>(`SELECT version, document, published_at FROM "${this.schema}".policy_documents WHERE version = $1`, [version]);
    if (!row) {
      throw new Error(`policy version "${version}" is in force in ${this.schema}.consumer_offsets but missing from ${this.schema}.policy_documents; restore the table or replay the service from offset 0`);
    }
    return this.remember(row);
  }

  /**
   * Records a PolicyPublished copy met on the log and returns its policy.
   * Throws a PolicyError when the document does not validate (the consumer
   * dead-letters the copy and the version in force stays).
   */
  async record(tx: Tx, event: EventOf<'PolicyPublished'>): Promise<Policy> {
    const { version, document, publishedAt, publishedBy, reason } = event.data;
    const policy = this.documents.get(version) ?? policyFromDocument(document, `PolicyPublished ${version} (event ${event.eventId})`);
    await tx.execute(
      `INSERT INTO "${this.schema}".policy_documents (version, document, published_at, published_by, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING`,
      [version, JSON.stringify(policy), publishedAt, JSON.stringify(publishedBy), reason],
    );
    this.remember({ version, document: policy, published_at: publishedAt }, policy);
    return policy;
  }

  /**
   * The policy in force on a partition for a consumer group, as its consumer
   * last stored it: what scheduled work (a deadline, a wake-up, a
   * re-qualification) of that partition decides under.
   */
  async inForce(tx: Pick<Tx, 'query'>, groupId: string, topic: string, partition: number): Promise<PolicyInForce> {
    const [row] = await tx.query<{ policy_version: string | null }>(
      `SELECT policy_version FROM "${this.schema}".consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [groupId, topic, partition],
    );
    const version = row?.policy_version ?? null;
    return { version, policy: await this.policyOf(tx, version) };
  }

  /** Reads the newest recorded version at start, so HTTP validation does not fall back to the file after a restart. */
  async loadNewest(tx: Pick<Tx, 'query'>): Promise<Policy | null> {
    const [row] = await tx.query<DocumentRow>(`SELECT version, document, published_at FROM "${this.schema}".policy_documents ORDER BY published_at DESC, version DESC LIMIT 1`);
    return row ? this.remember(row) : null;
  }

  private remember(row: DocumentRow, validated?: Policy): Policy {
    const policy = validated ?? this.documents.get(row.version) ?? policyFromDocument(row.document, `${this.schema}.policy_documents version ${row.version}`);
    this.documents.set(row.version, policy);
    const publishedAt = new Date(row.published_at).getTime();
    if (!this.newest || publishedAt > this.newest.publishedAt) {
      this.newest = { version: row.version, publishedAt };
      this.onNewest(policy);
    }
    return policy;
  }
}

/** A version to publish: the validated document, who and why. */
export interface PolicyPublication {
  readonly policy: Policy;
  readonly publishedBy: PolicyPublisher;
  readonly reason: string;
  readonly publishedAt: Date;
}

/**
 * The copies of a PolicyPublished, one per partition (explicit partition, no
 * key): ids are derived from (version, partition), so the copies are distinct
 * events and a re-publish of the same copy is recognised as a resend.
 */
export function policyPublishedCopies(p: PolicyPublication, partitionCount: number): Array<PolicyCopy<EventOf<'PolicyPublished'>>> {
  return Array.from({ length: partitionCount }, (_, partition) => ({
    partition,
    event: buildEvent({
      type: 'PolicyPublished',
      eventId: policyPublishedEventId(p.policy.version, partition),
      occurredAt: p.publishedAt,
      recordedAt: p.publishedAt,
      leadId: null,
      correlationId: `policy:${p.policy.version}`,
      causationId: null,
      data: {
        version: p.policy.version,
        document: p.policy as unknown as Record<string, unknown>,
        publishedBy: p.publishedBy,
        reason: p.reason,
        publishedAt: p.publishedAt.toISOString(),
        partition,
        partitionCount,
      },
    }),
  }));
}
