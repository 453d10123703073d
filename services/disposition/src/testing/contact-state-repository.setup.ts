import { randomUUID } from 'node:crypto';
import { createDataSource, inTransaction, runMigrations, type Tx } from '@lead-sla/platform';
import { ContactStateRepository, type Sql } from '../contact-state/contact-state.repository';
import { dispositionMigrationsFor } from '../migrations';

export interface RepositoryTestContext {
  readonly schema: string;
  /** Runs `work` in a transaction of its own and commits it. */
  inTx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads outside a transaction. */
  readonly sql: Sql;
  close(): Promise<void>;
}

/**
 * A ContactStateRepository on the real Postgres (started once by the int
 * global setup), in a schema of its own with the service's migrations
 * applied: `{ sut, ctx }`, immich style.
 */
export async function setup(): Promise<{ sut: ContactStateRepository; ctx: RepositoryTestContext }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run this spec through the int Jest project (its global setup starts Postgres)');
  const schema = `disposition_repo_${randomUUID().slice(0, 8)}`;
  const dataSource = createDataSource({ url, schema, migrations: dispositionMigrationsFor(schema), applicationName: 'disposition-repository-spec', poolSize: 4 });
  await runMigrations(dataSource, schema);
  return {
    sut: new ContactStateRepository(schema),
    ctx: {
      schema,
      inTx: (work) => inTransaction(dataSource, work),
      sql: { query: async <R>(text: string, params?: readonly unknown[]) => (await dataSource.query(text, params as unknown[])) as R[] },
      close: async () => {
        await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
        await dataSource.destroy();
      },
    },
  };
}
