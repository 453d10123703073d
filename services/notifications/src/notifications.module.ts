import { Module } from '@nestjs/common';
import type { PruneTask } from '@lead-sla/messaging';
import { ConfigService } from '@nestjs/config';
import { configValues, EVENT_HANDLER, RETENTION_TASKS, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { DeliveriesRepository } from './deliver-notifications/deliveries.repository';
import { DeliveryScheduler } from './deliver-notifications/delivery.scheduler';
import { NotificationChannels } from './deliver-notifications/notification-channels';
import { notificationsMigrations } from './migrations';
import { NOTIFICATIONS_CONFIG, notificationsSettings } from './notifications-config';
import { NotificationEventHandler } from './plan-notifications/notification-event.handler';
import { DeliveryOfferToken, DigestScheduler } from './send-digests/digest.scheduler';
import { DigestsRepository } from './send-digests/digests.repository';
import { ReportingDigestsClient } from './send-digests/reporting-digests.client';

export const notificationsService: ServiceDefinition = { name: 'notifications', schema: 'notifications', migrations: notificationsMigrations, defaultPort: 3006, latencyTolerant: true, settings: [notificationsSettings] };

/** A thin edge: SLA warnings, breaches, escalations, reassignments and the digests → people and teams from the directory, over Slack, email and signed webhooks. */
@Module({
  imports: [ServiceRuntimeModule.forRoot(notificationsService)],
  providers: [
    { provide: NOTIFICATIONS_CONFIG, useFactory: (config: ConfigService) => configValues(config, notificationsSettings), inject: [ConfigService] },
    NotificationChannels,
    DeliveriesRepository,
    DeliveryScheduler,
    { provide: DeliveryOfferToken, useExisting: DeliveryScheduler },
    DigestsRepository,
    ReportingDigestsClient,
    DigestScheduler,
    NotificationEventHandler,
    { provide: EVENT_HANDLER, useExisting: NotificationEventHandler },
    {
      provide: RETENTION_TASKS,
      inject: [DeliveriesRepository],
      useFactory: (deliveries: DeliveriesRepository): PruneTask[] => [{ table: 'notifications.deliveries', prune: (before, limit) => deliveries.pruneSent(before, limit) }],
    },
  ],
})
export class NotificationsModule {}
