import { DataSource, type MigrationInterface } from 'typeorm';
import { txOf, type Tx } from './sql-tx';

export interface DatabaseOptions {
  readonly url: string;
  /** The service's own schema; its migrations table lives there too. */
  readonly schema: string;
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  readonly applicationName: string;
  readonly poolSize?: number;
  /** DATABASE_SSL=true|require|verify-full (see docs/configuration.md). */
  readonly ssl?: boolean | { rejectUnauthorized: boolean; ca?: string };
}

/** A TypeORM data source on the service's schema. Migrations run explicitly, never synchronize. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    applicationName: options.applicationName,
    migrations: [...options.migrations],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    ssl: options.ssl,
    extra: { max: options.poolSize ?? 10 },
  });
}

/** Creates the schema if needed and applies pending migrations. */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** Runs `work` in one transaction and commits it, or rolls back and rethrows. */
export async function inTransaction<T>(dataSource: DataSource, work: (tx: Tx) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = await work(txOf(runner));
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
