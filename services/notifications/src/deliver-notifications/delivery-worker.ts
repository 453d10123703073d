import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { inTransaction, type Clock, type Logger } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, LOGGER, ServiceMetrics } from '@lead-sla/service-runtime';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import type { ChannelName, NotificationPayload } from '../plan-notifications/notification-plan';
import { NotificationChannels } from './notification-channels';
import { retryDelayMs } from './retry-backoff.util';

interface DueRow {
  id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  lead_id: string | null;
  channel: ChannelName;
  recipient: string;
  attempts: number;
  payload: NotificationPayload;
}

const BATCH = 20;

/**
 * Works the deliveries table: claims due rows (SKIP LOCKED, with a lease so
 * a crashed instance's claims come back), sends them, and records the
 * outcome — sent, retry at now + backoff, or dead with a dead-letter record
 * after NOTIFY_MAX_ATTEMPTS. Time comes from the CLOCK port. Durable: the
 * schedule lives in Postgres, so retries survive restarts.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private readonly outcomes;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly channels: NotificationChannels,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter<'channel' | 'outcome'>({
      name: 'lead_sla_notification_attempts_total',
      help: 'Notification delivery attempts by channel and outcome (sent, retry, dead).',
      labelNames: ['channel', 'outcome'],
    });
    metrics.gauge({
      name: 'lead_sla_notification_dead_letters',
      help: 'Notifications that kept failing and were given up (rows in notifications.dead_letters).',
      collect: async (g) => {
        const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM notifications.dead_letters');
        g.set(Number(row.n));
      },
    });
  }

  onApplicationBootstrap(): void {
    const enabled = this.channels.enabled();
    if (enabled.length === 0) this.logger.warn('no notification channel configured (NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_WEBHOOK_URL): nothing will be delivered');
    else this.logger.info('delivering notifications', { channels: enabled, eventTypes: this.config.NOTIFY_EVENT_TYPES });
    this.running = true;
    this.loop = this.run();
  }

  /** Wake now (after the consumer committed new deliveries). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Lets the deliveries in flight finish and record their outcome. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One pass: returns how many deliveries it attempted (tests drive it directly too). */
  async workOnce(): Promise<number> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.config.NOTIFY_HTTP_TIMEOUT_MS * 2 + 5000);
    const due = await this.dataSource.query(
      `UPDATE notifications.deliveries SET locked_until = $2
       WHERE id IN (SELECT id FROM notifications.deliveries
                    WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                    ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
       RETURNING id::text, delivery_id::text, event_id::text, event_type, lead_id, channel, recipient, attempts, payload`,
      [now, lease],
    ).then((r: [DueRow[], number]) => r[0]); // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    await Promise.all(due.map((row) => this.deliver(row)));
    return due.length;
  }

  private async deliver(row: DueRow): Promise<void> {
    const result = await this.channels.send(row.channel, row.delivery_id, row.payload);
    const attempts = row.attempts + 1;
    const at = this.clock.now();
    if (result.ok) {
      await this.dataSource.query(`UPDATE notifications.deliveries SET status = 'sent', attempts = $2, sent_at = $3, locked_until = NULL, last_error = NULL WHERE id = $1`, [row.id, attempts, at]);
      this.outcomes.inc({ channel: row.channel, outcome: 'sent' });
      this.logger.info('notification delivered', { channel: row.channel, eventType: row.event_type, eventId: row.event_id, leadId: row.lead_id, recipient: row.recipient, attempts });
      return;
    }
    if (attempts >= this.config.NOTIFY_MAX_ATTEMPTS) {
      await inTransaction(this.dataSource, async (tx) => {
        await tx.execute(`UPDATE notifications.deliveries SET status = 'dead', attempts = $2, last_error = $3, locked_until = NULL WHERE id = $1`, [row.id, attempts, result.error]);
        await tx.execute(
          `INSERT INTO notifications.dead_letters (delivery_id, event_id, event_type, lead_id, channel, recipient, attempts, last_error, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [row.delivery_id, row.event_id, row.event_type, row.lead_id, row.channel, row.recipient, attempts, result.error, JSON.stringify(row.payload)],
        );
      });
      this.outcomes.inc({ channel: row.channel, outcome: 'dead' });
      this.logger.error('notification given up after repeated failures; see notifications.dead_letters', {
        channel: row.channel, eventType: row.event_type, eventId: row.event_id, leadId: row.lead_id, recipient: row.recipient, attempts, error: result.error,
      });
      return;
    }
    const next = new Date(at.getTime() + retryDelayMs(attempts, { baseMs: this.config.NOTIFY_RETRY_BASE_MS, maxMs: this.config.NOTIFY_RETRY_MAX_MS }));
    await this.dataSource.query(`UPDATE notifications.deliveries SET attempts = $2, next_attempt_at = $3, last_error = $4, locked_until = NULL WHERE id = $1`, [row.id, attempts, next, result.error]);
    this.outcomes.inc({ channel: row.channel, outcome: 'retry' });
    this.logger.warn('notification failed; will retry', { channel: row.channel, eventId: row.event_id, leadId: row.lead_id, attempts, retryInMs: next.getTime() - at.getTime(), error: result.error });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const n = await this.workOnce();
        if (n < BATCH) await this.idle(this.config.NOTIFY_POLL_INTERVAL_MS);
      } catch (error) {
        if (!this.running) break;
        this.logger.error('notification worker failed; retrying', { error: (error as Error).message });
        await this.idle(this.config.NOTIFY_POLL_INTERVAL_MS);
      }
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.kicked || !this.running) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        this.kicked = false;
        done();
      };
    });
  }
}
