import { messagingTablesMigration } from '@lead-sla/messaging';
import { RoutingSkeleton1764000000000 } from './1764000000000-routing-skeleton.migration';

export const routingMigrations = [messagingTablesMigration('routing', 1763999999000), RoutingSkeleton1764000000000];
