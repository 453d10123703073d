import { DataSource, type MigrationInterface } from 'typeorm';
import { setPreparedStatements, txOf, type Tx } from './sql-tx';

export interface DatabaseOptions {
  readonly url: string;
  /** The service's own schema; its migrations table lives there too. */
  readonly schema: string;
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  readonly applicationName: string;
  readonly poolSize?: number;
  /** DATABASE_SSL=true|require|verify-full (see docs/configuration.md). */
  readonly ssl?: boolean | { rejectUnauthorized: boolean; ca?: string };
  /** Per-session limits; omitted ones take DEFAULT_DATABASE_TIMEOUTS. 0 turns a limit off. */
  readonly timeouts?: Partial<DatabaseTimeouts>;
  /** Whether `prepared(tx)` names its statements (default true); false behind a transaction-pooling PgBouncer. */
  readonly preparedStatements?: boolean;
}

/** Session limits set on every connection of a pool (milliseconds). */
export interface DatabaseTimeouts {
  /** A statement running longer is cancelled (SQLSTATE 57014). */
  readonly statementMs: number;
  /** Waiting longer for a lock fails the statement (SQLSTATE 55P03). */
  readonly lockMs: number;
  /** A session idle inside an open transaction longer is terminated, releasing its locks. */
  readonly idleInTransactionMs: number;
}

/**
 * Without limits one stuck statement or a transaction left open holds its
 * locks and a pool connection forever; with them the failure surfaces as a
 * transient error the consumer retries.
 */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 };

/** The libpq `options` string that sets the limits when each session starts. */
export function sessionOptions(timeouts: Partial<DatabaseTimeouts> = {}): string {
  const t = { ...DEFAULT_DATABASE_TIMEOUTS, ...timeouts };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`database timeout ${name} must be a whole number of milliseconds >= 0 (0: no limit), got ${value}`);
  }
  return `-c statement_timeout=${t.statementMs} -c lock_timeout=${t.lockMs} -c idle_in_transaction_session_timeout=${t.idleInTransactionMs}`;
}

/** A TypeORM data source on the service's schema. Migrations run explicitly, never synchronize. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const dataSource = new DataSource({
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
    extra: { max: options.poolSize ?? 10, options: sessionOptions(options.timeouts) },
  });
  setPreparedStatements(dataSource, options.preparedStatements ?? true);
  return dataSource;
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
