import { messagingTablesMigration } from '@lead-sla/messaging';
import { RoutingSkeleton1764000000000 } from './1764000000000-routing-skeleton.migration';
import { RoutingState1764000000100 } from './1764000000100-routing-state.migration';

export const routingMigrations = [messagingTablesMigration('routing', 1763999999000), RoutingSkeleton1764000000000, RoutingState1764000000100];
