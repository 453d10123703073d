import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { NotificationDeliveries1764000000500 } from './1764000000500-notification-deliveries.migration';
import { DeliveryAddresses1764000000510 } from './1764000000510-delivery-addresses.migration';
import { Digests1764000000520 } from './1764000000520-digests.migration';

export const notificationsMigrations = [messagingTablesMigration('notifications', 1763999999500), NotificationDeliveries1764000000500, DeliveryAddresses1764000000510, Digests1764000000520, policyLogMigration('notifications', 1764000000906)];
