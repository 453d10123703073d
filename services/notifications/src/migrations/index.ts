import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { NotificationDeliveries1764000000500 } from './1764000000500-notification-deliveries.migration';

export const notificationsMigrations = [messagingTablesMigration('notifications', 1763999999500), NotificationDeliveries1764000000500, policyLogMigration('notifications', 1764000000906)];
