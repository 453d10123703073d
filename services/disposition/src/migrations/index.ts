import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { dispositionTablesMigration } from './1764000000200-disposition-tables.migration';

/** The disposition service's migrations into `schema` (a test or a replay may use its own). */
export function dispositionMigrationsFor(schema: string) {
  return [messagingTablesMigration(schema, 1763999999200), dispositionTablesMigration(schema, 1764000000200), policyLogMigration(schema, 1764000000903)];
}

export const dispositionMigrations = dispositionMigrationsFor('disposition');
