import { Module } from '@nestjs/common';
import type { PruneTask } from '@lead-sla/messaging';
import { EVENT_HANDLER, RETENTION_TASKS, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { DeliveriesRepository } from './deliver-notifications/deliveries.repository';
import { DeliveryScheduler } from './deliver-notifications/delivery.scheduler';
import { NotificationChannels } from './deliver-notifications/notification-channels';
import { notificationsMigrations } from './migrations';
import { loadNotificationsConfig, NOTIFICATIONS_CONFIG } from './notifications-config';
import { NotificationEventHandler } from './plan-notifications/notification-event.handler';

export const notificationsService: ServiceDefinition = { name: 'notifications', schema: 'notifications', migrations: notificationsMigrations, defaultPort: 3006, latencyTolerant: true };

/** A thin edge: SLA warnings, breaches, escalations and reassignments → Slack / signed webhooks. */
@Module({
  imports: [ServiceRuntimeModule.forRoot(notificationsService)],
  providers: [
    { provide: NOTIFICATIONS_CONFIG, useFactory: () => loadNotificationsConfig() },
    NotificationChannels,
    DeliveriesRepository,
    DeliveryScheduler,
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
