import { Injectable } from '@nestjs/common';
import type { PolicyPublisher } from '@lead-sla/contracts';
import { policyFromDocument, type Policy } from '@lead-sla/policy';
import type { Tx } from '@lead-sla/platform';

export interface PublishedVersion {
  readonly policy: Policy;
  readonly publishedAt: string;
  readonly publishedBy: PolicyPublisher;
  readonly reason: string;
  readonly partitions: number;
}

interface Row {
  version: string;
  document: unknown;
  published_at: Date;
  published_by: PolicyPublisher;
  reason: string;
  partitions: number;
}

/** The versions routing has published (routing.policy_publications): all of the publisher's SQL. */
@Injectable()
export class PolicyPublicationsRepository {
  constructor(private readonly schema = 'routing') {}

  /** Serialises publications across routing instances (two admins at once, the file and the API). */
  async lock(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}.policy-publications`]);
  }

  async newest(sql: Pick<Tx, 'query'>): Promise<PublishedVersion | null> {
    const [row] = await sql.query<Row>(`SELECT version, document, published_at, published_by, reason, partitions FROM "${this.schema}".policy_publications ORDER BY seq DESC LIMIT 1`);
    return row ? this.published(row) : null;
  }

  async byVersion(sql: Pick<Tx, 'query'>, version: string): Promise<PublishedVersion | null> {
    const [row] = await sql.query<Row>(`SELECT version, document, published_at, published_by, reason, partitions FROM "${this.schema}".policy_publications WHERE version = $1`, [version]);
    return row ? this.published(row) : null;
  }

  async insert(tx: Tx, v: PublishedVersion): Promise<void> {
    await tx.execute(
      `INSERT INTO "${this.schema}".policy_publications (version, document, published_at, published_by, reason, partitions) VALUES ($1, $2, $3, $4, $5, $6)`,
      [v.policy.version, JSON.stringify(v.policy), v.publishedAt, JSON.stringify(v.publishedBy), v.reason, v.partitions],
    );
  }

  private published(row: Row): PublishedVersion {
    return {
      policy: policyFromDocument(row.document, `${this.schema}.policy_publications version ${row.version}`),
      publishedAt: new Date(row.published_at).toISOString(),
      publishedBy: row.published_by,
      reason: row.reason,
      partitions: row.partitions,
    };
  }
}
