// Medium tests of RoutingStateRepository (immich style): `const { sut, ctx } = await setup()` against the real Postgres
// the int project's global setup started (DATABASE_URL), in a database of the spec's own, migrated as in production.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, inTransaction, runMigrations, type Tx } from '@lead-sla/platform';
import { routingMigrations } from '../migrations';
import { RoutingStateRepository } from '../route-event/routing-state.repository';

export interface RepositoryContext {
  readonly dataSource: DataSource;
  /** Runs `work` in a transaction of its own (committed unless it throws). */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function freshDatabaseUrl(): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: run repository specs through the int Jest project (its global setup starts Postgres)');
  const name = `routing_repo_${randomUUID().slice(0, 8)}`;
  const admin = createDataSource({ url: base, schema: 'public', migrations: [], applicationName: 'routing-repo-setup', poolSize: 1 });
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function setup(): Promise<{ sut: RoutingStateRepository; ctx: RepositoryContext }> {
  const dataSource = createDataSource({ url: await freshDatabaseUrl(), schema: 'routing', migrations: routingMigrations, applicationName: 'routing-repo-int', poolSize: 3 });
  await dataSource.initialize();
  await runMigrations(dataSource, 'routing');
  return {
    sut: new RoutingStateRepository(),
    ctx: { dataSource, tx: (work) => inTransaction(dataSource, work), close: () => dataSource.destroy() },
  };
}
