import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Clock, Logger } from '@lead-sla/platform';
import { Scheduler, type ScheduledRow, type ScheduledWork } from '@lead-sla/scheduler';
import { CLOCK, LOGGER, ServiceMetrics } from '@lead-sla/service-runtime';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import { DeliveriesRepository, type ClaimedDelivery, type DueDelivery } from './deliveries.repository';
import { NotificationChannels } from './notification-channels';
import { retryDelayMs } from './retry-backoff.util';

/** Deliveries are not split by partition: every instance may hold them all; the claim (SKIP LOCKED, lease) sends each once at a time. */
const ALL = 0;
const rowOf = (d: DueDelivery): ScheduledRow => ({ id: d.id, dueAt: d.dueAt, partition: ALL });

/**
 * Deliveries and their retries on the one scheduler (libs/scheduler): the
 * schedule lives in `notifications.deliveries` (next_attempt_at), only the
 * near future is held in memory. Firing claims the due rows (with a lease,
 * so a crashed instance's claims come back), sends them, and records the
 * outcome — sent, retry at now + backoff (held again at once when inside
 * the horizon), or dead with a dead-letter record after
 * NOTIFY_MAX_ATTEMPTS. Time comes from the CLOCK port.
 */
@Injectable()
export class DeliveryScheduler implements ScheduledWork, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: Scheduler;
  private readonly outcomes;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly channels: NotificationChannels,
    private readonly deliveries: DeliveriesRepository,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    // Refilled every NOTIFY_POLL_INTERVAL_MS (half the horizon); new deliveries and retries are held on commit.
    this.scheduler = new Scheduler(this, {
      name: 'delivery', horizonMs: 2 * config.NOTIFY_POLL_INTERVAL_MS, orphanGraceMs: config.NOTIFY_POLL_INTERVAL_MS, batchSize: 20, retryMs: config.NOTIFY_POLL_INTERVAL_MS, now: () => clock.now(), logger,
    });
    this.outcomes = metrics.counter<'channel' | 'outcome'>({
      name: 'lead_sla_notification_attempts_total',
      help: 'Notification delivery attempts by channel and outcome (sent, retry, dead).',
      labelNames: ['channel', 'outcome'],
    });
    metrics.gauge({
      name: 'lead_sla_notification_dead_letters',
      help: 'Notifications that kept failing and were given up (rows in notifications.dead_letters).',
      collect: async (g) => g.set(await this.deliveries.countDeadLetters()),
    });
  }

  onApplicationBootstrap(): void {
    const enabled = this.channels.enabled();
    if (enabled.length === 0) this.logger.warn('no notification channel configured (NOTIFY_SLACK_BOT_TOKEN, NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_SMTP_HOST, NOTIFY_WEBHOOK_URL): nothing will be delivered');
    else this.logger.info('delivering notifications', { channels: enabled, eventTypes: this.config.NOTIFY_EVENT_TYPES });
    this.scheduler.start();
    this.scheduler.setPartitions([ALL]);
  }

  beforeApplicationShutdown(): void {
    this.scheduler.stop();
  }

  /** Deliveries the consumer just committed. */
  offer(due: readonly DueDelivery[]): void {
    this.scheduler.offer(due.map(rowOf));
  }

  async loadDue(_partitions: readonly number[], window: { from: number; until: number }, orphanBefore: number): Promise<ScheduledRow[]> {
    return (await this.deliveries.pendingDue(window, orphanBefore)).map(rowOf);
  }

  async fire(ids: readonly string[], now: Date): Promise<void> {
    const lease = new Date(now.getTime() + this.config.NOTIFY_HTTP_TIMEOUT_MS * 2 + 5000);
    const claimed = await this.deliveries.claim(ids, now, lease);
    await Promise.all(claimed.map((d) => this.attempt(d)));
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const result = await this.channels.send(d.channel, d.deliveryId, d.payload, d.address);
    const attempts = d.attempts + 1;
    const at = this.clock.now();
    if (result.ok) {
      await this.deliveries.markSent(d.id, attempts, at);
      this.outcomes.inc({ channel: d.channel, outcome: 'sent' });
      this.logger.info('notification delivered', { channel: d.channel, eventType: d.eventType, eventId: d.eventId, leadId: d.leadId, recipient: d.recipient, attempts });
      return;
    }
    if (attempts >= this.config.NOTIFY_MAX_ATTEMPTS) {
      await this.deliveries.markDead(d, attempts, result.error);
      this.outcomes.inc({ channel: d.channel, outcome: 'dead' });
      this.logger.error('notification given up after repeated failures; see notifications.dead_letters', {
        channel: d.channel, eventType: d.eventType, eventId: d.eventId, leadId: d.leadId, recipient: d.recipient, attempts, error: result.error,
      });
      return;
    }
    const next = new Date(at.getTime() + retryDelayMs(attempts, { baseMs: this.config.NOTIFY_RETRY_BASE_MS, maxMs: this.config.NOTIFY_RETRY_MAX_MS }));
    await this.deliveries.markRetry(d.id, attempts, next, result.error);
    this.scheduler.offer([{ id: d.id, dueAt: next.getTime(), partition: ALL }]);
    this.outcomes.inc({ channel: d.channel, outcome: 'retry' });
    this.logger.warn('notification failed; will retry', { channel: d.channel, eventId: d.eventId, leadId: d.leadId, attempts, retryInMs: next.getTime() - at.getTime(), error: result.error });
  }
}
