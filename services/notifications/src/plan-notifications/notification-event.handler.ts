import { Inject, Injectable } from '@nestjs/common';
import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { Clock } from '@lead-sla/platform';
import { CLOCK, type LeadEventHandler } from '@lead-sla/service-runtime';
import { DeliveryWorker } from '../deliver-notifications/delivery-worker';
import { NotificationChannels } from '../deliver-notifications/notification-channels';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import { planNotifications } from './notification-plan';

/**
 * Thin consumer: plans who hears about the event and stores the deliveries
 * in the batch's transaction (with the offset). The unique key (event,
 * channel, recipient) makes a redelivered or re-published event a no-op.
 */
@Injectable()
export class NotificationEventHandler implements LeadEventHandler {
  /** Only the configured notifiable types are read; the consumer skips the rest without validating them. */
  readonly eventTypes: readonly EventType[];

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly channels: NotificationChannels,
    private readonly worker: DeliveryWorker,
  ) {
    this.eventTypes = config.NOTIFY_EVENT_TYPES;
  }

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    const plan = planNotifications(event, { channels: this.channels.enabled(), eventTypes: this.config.NOTIFY_EVENT_TYPES });
    if (plan.length === 0) return;
    await ctx.tx.execute(
      `INSERT INTO notifications.deliveries (delivery_id, event_id, event_type, lead_id, channel, recipient, role, payload, next_attempt_at)
       SELECT d.delivery_id, $1, $2, $3, d.channel, d.recipient, d.role, d.payload, $4
       FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::jsonb[]) AS d(delivery_id, channel, recipient, role, payload)
       ON CONFLICT DO NOTHING`,
      [
        event.eventId, event.type, event.leadId, this.clock.now(),
        plan.map((p) => p.deliveryId), plan.map((p) => p.channel), plan.map((p) => p.recipient), plan.map((p) => p.role), plan.map((p) => JSON.stringify(p.payload)),
      ],
    );
    ctx.afterCommit(() => this.worker.kick());
  }
}
