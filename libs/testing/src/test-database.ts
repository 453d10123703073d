import { randomUUID } from 'node:crypto';
import type { DataSource, MigrationInterface } from 'typeorm';
import { createDataSource, inTransaction, runMigrations, type Tx } from '@lead-sla/platform';
import { requireEnv, withPg } from './test-infrastructure';

/**
 * The `ctx` of a "medium" repository test (immich style: `const { sut, ctx }
 * = await setup()`): a database of the spec's own on the real Postgres the
 * int project's global setup started once, migrated as in production.
 */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly dataSource: DataSource;
  /** Runs `work` in a transaction of its own, committed unless it throws. */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Reads outside a transaction. */
  readonly sql: Pick<Tx, 'query'>;
  /** Closes the connections and drops the database. */
  close(): Promise<void>;
}

export async function testDatabase(o: { service: string; schema: string; migrations: ReadonlyArray<new () => MigrationInterface> }): Promise<TestDatabase> {
  const name = `${o.service}_medium_${randomUUID().slice(0, 8)}`.replace(/-/g, '_');
  await withPg((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(requireEnv('DATABASE_URL'));
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), schema: o.schema, migrations: o.migrations, applicationName: name, poolSize: 4 });
  await runMigrations(dataSource, o.schema);
  return {
    name,
    url: url.toString(),
    dataSource,
    tx: (work) => inTransaction(dataSource, work),
    sql: { query: async <R>(text: string, params?: readonly unknown[]) => (await dataSource.query(text, params as unknown[])) as R[] },
    async close() {
      await dataSource.destroy();
      await withPg((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
