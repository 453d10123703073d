import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { RoutingInitial1764000000000 } from './1764000000000-routing-initial.migration';
import { RoutingWakeUps1764000000100 } from './1764000000100-routing-wake-ups.migration';
import { PolicyPublications1764000000911 } from './1764000000911-policy-publications.migration';

export const routingMigrations = [messagingTablesMigration('routing', 1763999999000), RoutingInitial1764000000000, RoutingWakeUps1764000000100, policyLogMigration('routing', 1764000000901), PolicyPublications1764000000911];
