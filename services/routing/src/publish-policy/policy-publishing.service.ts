import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Topics, type PolicyPublisher as Publisher } from '@lead-sla/contracts';
import { ensureTopics, logEnd, OutboxWriter, platformTopics, policyPublishedCopies, type KafkaClient } from '@lead-sla/messaging';
import { diffPolicies, PolicyError, samePolicy, type Policy, type PolicyDiff } from '@lead-sla/policy';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, currentReplay, DATA_SOURCE, KAFKA, LOGGER, PARTITIONS, PolicyProvider } from '@lead-sla/service-runtime';
import { RoutingStateRepository, type PolicyOrphans } from '../route-event/routing-state.repository';
import { PolicyPublicationsRepository, type PublishedVersion } from './policy-publications.repository';
import { defaultWhatIfPeriod, WhatIfEffectClient, type WhatIfEffect, type WhatIfPeriod } from './what-if-effect.client';

/** A version already published with another document: versions are immutable. */
export class PolicyVersionConflict extends Error {
  constructor(readonly version: string) {
    super(`policy version "${version}" was already published with a different document; versions never change: give the new document a new \`version\``);
  }
}

export type PublishOutcome =
  | { readonly published: true; readonly version: string; readonly partitions: number; readonly diff: PolicyDiff | null }
  | { readonly published: false; readonly version: string; readonly newest: string; readonly reason: string };

export interface DryRun {
  readonly currentVersion: string;
  readonly proposedVersion: string;
  /** The version exists already: with the same document nothing would be published, with another it is refused. */
  readonly versionConflict: 'none' | 'same_document' | 'different_document';
  readonly diff: PolicyDiff;
  readonly orphans: PolicyOrphans;
  /** What the version would have done to recent leads, from the what-if engine (or why there is no answer). */
  readonly whatIf: WhatIfEffect;
}

/**
 * Routing publishes the policy (docs/policy.md): one PolicyPublished per
 * partition of lead-events.v1, through the outbox, with a record of the
 * version in routing.policy_publications in the same transaction. At start
 * it publishes the policy file when it differs from the newest version, and
 * again when the file changes or on SIGHUP; admins publish through
 * `POST /v1/policies`. Every service then switches at the copy's position.
 */
@Injectable()
export class PolicyPublishingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopWatching: (() => void) | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly outbox: OutboxWriter,
    private readonly policies: PolicyProvider,
    private readonly publications: PolicyPublicationsRepository,
    private readonly state: RoutingStateRepository,
    private readonly whatIf: WhatIfEffectClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A replay re-reads the versions the log holds; it publishes nothing.
    if (currentReplay()) return;
    await this.publishFile(this.policies.bootstrap(), 'the policy file at start');
    this.stopWatching = this.policies.watch(() => void this.onFileChanged());
  }

  beforeApplicationShutdown(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /** The newest published version, or the file when nothing was published yet. */
  async current(): Promise<Policy> {
    return (await this.publications.newest(this.sql()))?.policy ?? this.policies.bootstrap();
  }

  /** Publishes `policy` unless that very document is the version already published; refuses a changed document under a published version. */
  async publish(policy: Policy, publishedBy: Publisher, reason: string): Promise<PublishOutcome> {
    const partitions = await this.partitionCount();
    const publishedAt = this.clock.now();
    return this.outbox.transaction(async (tx, _emit, emitTo) => {
      await this.publications.lock(tx);
      const newest = await this.publications.newest(tx);
      const existing = await this.publications.byVersion(tx, policy.version);
      if (existing) {
        if (!samePolicy(existing.policy, policy)) throw new PolicyVersionConflict(policy.version);
        const newestVersion = newest?.policy.version ?? policy.version;
        return {
          published: false,
          version: policy.version,
          newest: newestVersion,
          reason: newestVersion === policy.version
            ? `version "${policy.version}" is already the newest version: nothing to publish`
            : `version "${policy.version}" was published before; the newest is "${newestVersion}". To go back to it, publish the document under a new version`,
        };
      }
      const version: PublishedVersion = { policy, publishedAt: publishedAt.toISOString(), publishedBy, reason, partitions };
      await this.publications.insert(tx, version);
      for (const copy of policyPublishedCopies({ policy, publishedBy, reason, publishedAt }, partitions)) emitTo(copy.event, copy.partition);
      this.logger.info('published a policy version', { version: policy.version, previousVersion: newest?.policy.version ?? null, publishedBy, reason, partitions });
      return { published: true, version: policy.version, partitions, diff: newest ? diffPolicies(newest.policy, policy) : null };
    });
  }

  /** What publishing `policy` would change, the live state it would orphan, and what it would have done over `period` (default: the last 30 days). */
  async dryRun(policy: Policy, period?: WhatIfPeriod): Promise<DryRun> {
    const sql = this.sql();
    const current = await this.current();
    const existing = await this.publications.byVersion(sql, policy.version);
    const diff = diffPolicies(current, policy);
    const removed = (section: string) => diff.changes.filter((c) => c.kind === 'removed' && c.section === section).map((c) => c.id);
    return {
      currentVersion: current.version,
      proposedVersion: policy.version,
      versionConflict: !existing ? 'none' : samePolicy(existing.policy, policy) ? 'same_document' : 'different_document',
      diff,
      orphans: await this.state.orphansOf(sql, { pools: removed('pools'), reps: removed('reps') }),
      whatIf: await this.whatIf.effectOf(policy, period ?? defaultWhatIfPeriod(this.clock.now())),
    };
  }

  private async onFileChanged(): Promise<void> {
    let policy: Policy;
    try {
      policy = this.policies.readFile();
    } catch (error) {
      this.logger.error('the changed policy file is invalid; nothing published, the version in force stays', { file: this.policies.path, error: (error as Error).message });
      return;
    }
    await this.publishFile(policy, 'the policy file changed');
  }

  private async publishFile(policy: Policy, reason: string): Promise<void> {
    const newest = await this.publications.newest(this.sql());
    if (newest && samePolicy(newest.policy, policy)) return;
    try {
      const outcome = await this.publish(policy, { kind: 'policy_file', id: this.policies.path, role: 'machine' }, reason);
      // Another instance may have just published the same file; only an older version in the file is news.
      if (!outcome.published && outcome.newest !== outcome.version) {
        this.logger.warn('the policy file is not the newest version; nothing published', { file: this.policies.path, version: outcome.version, newest: outcome.newest, why: outcome.reason });
      }
    } catch (error) {
      if (!(error instanceof PolicyVersionConflict || error instanceof PolicyError)) throw error;
      this.logger.error('the policy file was not published; the version in force stays', { file: this.policies.path, error: error.message });
    }
  }

  /** One copy per partition of the log as it is now. */
  private async partitionCount(): Promise<number> {
    await ensureTopics(this.kafka, platformTopics(PARTITIONS));
    const partitions = (await logEnd(this.kafka, Topics.leadEvents)).size;
    if (partitions === 0) throw new Error(`${Topics.leadEvents} has no partitions: cannot publish a policy version`);
    return partitions;
  }

  private sql() {
    return { query: <R>(text: string, params?: readonly unknown[]) => this.dataSource.query(text, params as unknown[]) as Promise<R[]> };
  }
}
