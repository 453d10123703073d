import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { timerTablesMigration } from './1764000000300-timer-initial.migration';

/** The migrations of the timer's tables in `schema` (the service's own: timer). */
export function timerMigrationsFor(schema: string) {
  return [messagingTablesMigration(schema, 1763999999100), timerTablesMigration(schema, 1764000000300), policyLogMigration(schema, 1764000000902)];
}

export const timerMigrations = timerMigrationsFor('timer');
