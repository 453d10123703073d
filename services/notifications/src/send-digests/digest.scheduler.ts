import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { deterministicId } from '@lead-sla/contracts';
import type { Clock, Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, LOGGER, PolicyProvider, ServiceMetrics } from '@lead-sla/service-runtime';
import { DeliveriesRepository, type DueDelivery } from '../deliver-notifications/deliveries.repository';
import { NotificationChannels } from '../deliver-notifications/notification-channels';
import { retryDelayMs } from '../deliver-notifications/retry-backoff.util';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import { planDeliveries, type DigestType, type Subject } from '../plan-notifications/notification-plan';
import type { DigestContent } from './digest-content';
import { digestHeadline } from './digest-message.util';
import { nextDigests } from './digest-schedule.rule';
import { DigestsRepository, type ClaimedDigest, type DueDigest } from './digests.repository';
import { ReportingDigestsClient } from './reporting-digests.client';

/** Digests are not split by partition: every instance may hold them; the claim and the fire transaction send each once. */
const ALL = 0;
const rowOf = (d: DueDigest): ScheduledRow => ({ id: d.id, dueAt: d.dueAt, partition: ALL });

/** Where the deliveries a digest plans are handed to be sent (the delivery scheduler). */
export interface DeliveryOffer {
  offer(due: readonly DueDelivery[]): void;
}
export const DeliveryOfferToken = Symbol('DeliveryOffer');

/**
 * The digests on the one scheduler (libs/scheduler): the schedule lives in
 * `notifications.digests` (a row per digest per period, planned from the
 * policy in force at start and every NOTIFY_DIGEST_PLAN_INTERVAL_MS), only
 * the near future is held in memory. Firing claims the due row, fetches its
 * content from reporting, and in ONE transaction marks it fired and stores
 * its deliveries (the manager from the directory, the team's channel), which
 * the delivery scheduler then sends with retries and quiet hours like any
 * notification. A row overdue at start (the service was down at its instant)
 * fires then, once. A fetch that fails is retried with backoff.
 */
@Injectable()
export class DigestScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;
  private readonly outcomes;
  private planTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly policies: PolicyProvider,
    private readonly channels: NotificationChannels,
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly reporting: ReportingDigestsClient,
    @Inject(DeliveryOfferToken) private readonly deliveryOffer: DeliveryOffer,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    this.scheduler = new Scheduler(this, { name: 'digest', horizonMs: 60_000, orphanGraceMs: 5_000, batchSize: 10, retryMs: 5_000, now: () => clock.now(), logger });
    this.outcomes = metrics.counter<'kind' | 'outcome'>({
      name: 'lead_sla_digests_total',
      help: 'Digests by kind and outcome (fired; retry: reporting could not be read).',
      labelNames: ['kind', 'outcome'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.reporting.enabled()) {
      this.logger.info('digests off: set NOTIFY_REPORTING_URL and NOTIFY_REPORTING_API_KEY to deliver the daily missed-SLA report and the weekly fallback review');
      return;
    }
    await this.planNext();
    this.scheduler.start();
    this.scheduler.setPartitions([ALL]);
    this.planTimer = setInterval(() => void this.planNext(), this.config.NOTIFY_DIGEST_PLAN_INTERVAL_MS);
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
    if (this.planTimer) clearInterval(this.planTimer);
    this.planTimer = null;
  }

  /** Adds each team's next digests (idempotent by key) and holds the new ones. */
  async planNext(): Promise<void> {
    try {
      const added = await this.digests.plan(nextDigests(this.policies.current(), this.clock.now().getTime()));
      if (added.length > 0) this.scheduler.offer(added.map(rowOf));
    } catch (error) {
      this.logger.error('could not plan the next digests; retrying at the next planning interval', { error: (error as Error).message });
    }
  }

  async loadDue(_partitions: readonly number[], window: { from: number; until: number }, orphanBefore: number): Promise<ScheduledRow[]> {
    return (await this.digests.pendingDue(window, orphanBefore)).map(rowOf);
  }

  async fire(ids: readonly string[], now: Date): Promise<void> {
    const claimed = await this.digests.claim(ids, now, new Date(now.getTime() + this.config.NOTIFY_HTTP_TIMEOUT_MS * 4 + 10_000));
    for (const d of claimed) await this.fireOne(d);
    if (claimed.length > 0) await this.planNext();
  }

  private async fireOne(d: ClaimedDigest): Promise<void> {
    const fetched = await this.reporting.fetch(d);
    const at = this.clock.now();
    if (!fetched.ok) {
      const attempts = d.attempts + 1;
      const next = new Date(at.getTime() + retryDelayMs(attempts, { baseMs: this.config.NOTIFY_RETRY_BASE_MS, maxMs: this.config.NOTIFY_RETRY_MAX_MS }));
      await this.digests.markRetry(d.id, attempts, next, fetched.error);
      this.scheduler.offer([{ id: d.id, dueAt: next.getTime(), partition: ALL }]);
      this.outcomes.inc({ kind: d.kind, outcome: 'retry' });
      this.logger.warn('could not fetch a digest from reporting; will retry', { digest: d.key, attempts, retryAt: next.toISOString(), error: fetched.error });
      return;
    }
    const policy = this.policies.current();
    const subject = digestSubject(d, fetched.content);
    const plan = planDeliveries(subject, { eventId: deterministicId('digest', d.key), occurredAt: d.dueAt.toISOString(), leadId: null }, policy, this.channels.routes(), at);
    let added: DueDelivery[] = [];
    const fired = await this.digests.fire(d.id, at, async (tx) => {
      added = await this.deliveries.plan(tx, { eventId: deterministicId('digest', d.key), type: subject.eventType as DigestType, leadId: null }, plan);
    });
    if (!fired) return;
    this.deliveryOffer.offer(added);
    this.outcomes.inc({ kind: d.kind, outcome: 'fired' });
    this.logger.info('digest fired', { digest: d.key, deliveries: plan.map((p) => `${p.channel}:${p.recipient}`), dueAt: d.dueAt.toISOString() });
  }
}

/** A digest as a notification: to the team's manager and the team's channel, or to an admin (AUDIENCE); its content in the details. */
export function digestSubject(d: Pick<ClaimedDigest, 'kind' | 'teamId' | 'recipientId' | 'period'>, content: DigestContent): Subject {
  const missed = d.kind === 'missed-sla';
  return {
    kind: missed ? 'digest.missed_sla' : 'digest.fallback_review',
    eventType: missed ? 'MissedSlaDigest' : 'FallbackReviewDigest',
    action: null,
    people: d.teamId === null ? { admin: d.recipientId } : { manager: d.recipientId },
    teamId: d.teamId,
    queueTeamId: null,
    leadId: null,
    text: () => digestHeadline(content),
    details: { teamId: d.teamId, period: d.period, digest: content },
  };
}
