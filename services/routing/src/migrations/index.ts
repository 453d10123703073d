import { messagingTablesMigration } from '@lead-sla/messaging';
import { RoutingInitial1764000000000 } from './1764000000000-routing-initial.migration';

export const routingMigrations = [messagingTablesMigration('routing', 1763999999000), RoutingInitial1764000000000];
