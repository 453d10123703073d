import { Inject, Injectable } from '@nestjs/common';
import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, LOGGER, type LeadEventHandler } from '@lead-sla/service-runtime';
import { DeliveriesRepository } from '../deliver-notifications/deliveries.repository';
import { DeliveryScheduler } from '../deliver-notifications/delivery.scheduler';
import { NotificationChannels } from '../deliver-notifications/notification-channels';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import { planNotifications } from './notification-plan';

/**
 * Thin consumer: plans who hears about the event (the audience from the
 * directory of the policy in force, each delivery due now or when the
 * person's quiet hours end) and stores the deliveries in the batch's
 * transaction (with the offset). The unique key (event,
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
    private readonly deliveries: DeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.eventTypes = config.NOTIFY_EVENT_TYPES;
  }

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    const policy = ctx.policy;
    if (!policy) throw new Error(`no policy in force for ${event.type} ${event.eventId}: the consumer must run with a PolicyLog (the service runtime's does)`);
    if (event.type === 'RepRotationChanged' && !policy.reps.some((r) => r.id === event.data.repId)) {
      this.logger.warn('rep not in the policy in force: nobody to notify of this rotation change; add the rep (and its team) to the policy', {
        repId: event.data.repId, eventId: event.eventId, eventType: event.type, policyVersion: policy.version,
      });
      return;
    }
    const plan = planNotifications(event, {
      policy,
      routes: this.channels.routes(),
      eventTypes: this.config.NOTIFY_EVENT_TYPES,
      now: this.clock.now(),
      acknowledgementTemplate: this.config.NOTIFY_ACKNOWLEDGEMENT_TEMPLATE,
    });
    if (plan.length === 0) return;
    const added = await this.deliveries.plan(ctx.tx, event, plan);
    if (added.length > 0) ctx.afterCommit(() => this.scheduler.offer(added));
  }
}
