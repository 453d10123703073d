import { testDatabase } from '@lead-sla/testing';
import { timerMigrations } from '../migrations';
import { TimerStateRepository } from '../persistence/timer-state.repository';

/**
 * A "medium" test of the timer's repository (immich style): the real
 * Postgres of the int global setup, no Kafka, a database of the spec's own
 * migrated like the service (dropped by `ctx.close()`).
 */
export async function setup() {
  const ctx = await testDatabase({ service: 'timer', schema: 'timer', migrations: timerMigrations });
  return { sut: new TimerStateRepository(), ctx };
}
