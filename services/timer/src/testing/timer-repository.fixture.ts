import { randomUUID } from 'node:crypto';
import { createDataSource, inTransaction, runMigrations, type Tx } from '@lead-sla/platform';
import { timerMigrationsFor } from '../migrations';
import { TimerStateRepository } from '../persistence/timer-state.repository';

/**
 * A "medium" test of the timer's repository (immich style): the real
 * Postgres of the int global setup, no Kafka, the timer's migrations in a
 * schema of the spec's own (dropped by `ctx.close()`).
 */
export async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the timer repository spec through the int Jest project (its global setup starts Postgres)');
  const schema = `timer_medium_${randomUUID().slice(0, 8)}`;
  const dataSource = createDataSource({ url, schema, migrations: timerMigrationsFor(schema), applicationName: 'timer-medium-test', poolSize: 4 });
  await runMigrations(dataSource, schema);
  const sut = new TimerStateRepository(schema);
  const ctx = {
    schema,
    tx: <T>(work: (tx: Tx) => Promise<T>): Promise<T> => inTransaction(dataSource, work),
    rows: <R>(sql: string, params: unknown[] = []): Promise<R[]> => dataSource.query(sql.replaceAll('timer.', `"${schema}".`), params),
    db: dataSource,
    close: async (): Promise<void> => {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
  return { sut, ctx };
}
