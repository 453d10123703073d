import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { createDataSource, runMigrations } from '@lead-sla/platform';
import { requireEnv, uniqueName } from './test-infrastructure';

/**
 * A throwaway service schema on the int project's Postgres for tests of the
 * messaging kit: the messaging tables (offsets, outbox, processed events, policy log)
 * and an `applied` table (id, event_id, then `appliedColumns`, e.g.
 * `type text NOT NULL, lead_id text`) that a test handler records into.
 */
export async function messagingTestSchema(appliedColumns = '', prefix = 'svc'): Promise<{ schema: string; dataSource: DataSource }> {
  const schema = uniqueName(prefix);
  const columns = appliedColumns ? `, ${appliedColumns}` : '';
  const appliedTable = class AppliedTable1700000000001 implements MigrationInterface {
    async up(q: QueryRunner) {
      await q.query(`CREATE TABLE "${schema}".applied (id bigserial PRIMARY KEY, event_id uuid NOT NULL${columns})`);
    }
    async down(q: QueryRunner) {
      await q.query(`DROP TABLE "${schema}".applied`);
    }
  };
  const dataSource = createDataSource({ url: requireEnv('DATABASE_URL'), schema, applicationName: schema, migrations: [messagingTablesMigration(schema, 1700000000000), appliedTable, policyLogMigration(schema, 1700000000002)] });
  await runMigrations(dataSource, schema);
  return { schema, dataSource };
}
