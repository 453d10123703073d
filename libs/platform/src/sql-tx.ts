import { createHash } from 'node:crypto';
import type { ClientBase, QueryConfig } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, type DataSource, type QueryRunner } from 'typeorm';

/** The slice of a database transaction that use cases see: SQL in, rows out. */
export interface Tx {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns the number of rows it affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * Whether the statements run through `prepared(tx)` are named prepared
 * statements, per data source (DATABASE_PREPARED_STATEMENTS, set by
 * createDataSource). A data source not registered here prepares them.
 */
const preparedBySource = new WeakMap<DataSource, boolean>();

export function setPreparedStatements(dataSource: DataSource, enabled: boolean): void {
  preparedBySource.set(dataSource, enabled);
}

/**
 * The node-postgres query for a statement: with `prepare`, named after a
 * hash of its text, so Postgres parses and plans it once per connection and
 * later runs only bind it; without, unnamed (parsed on every run).
 */
export function statementQuery(sql: string, params: readonly unknown[] | undefined, prepare: boolean): QueryConfig {
  const values = params as unknown[] | undefined;
  if (!prepare) return { text: sql, values };
  return { name: `lead_sla_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`, text: sql, values };
}

const PREPARED = Symbol('prepared statements of this transaction');

interface TxWithPrepared extends Tx {
  readonly [PREPARED]: Tx;
}

export function txOf(runner: QueryRunner): Tx {
  return withPrepared(runner.connection, (run) => run(runner));
}

/**
 * Statements outside a transaction: each commits on its own, on a pooled
 * connection (as dataSource.query), and `prepared(...)` applies to them too.
 */
export function autocommit(dataSource: DataSource): Tx {
  return withPrepared(dataSource, async (run) => {
    const runner = dataSource.createQueryRunner();
    try {
      return await run(runner);
    } finally {
      await runner.release();
    }
  });
}

/** A Tx whose statements run on the runner `on` lends, unnamed, with its prepared twin. */
function withPrepared(dataSource: DataSource, on: <T>(run: (runner: QueryRunner) => Promise<T>) => Promise<T>): Tx {
  const prepare = preparedBySource.get(dataSource) ?? true;
  const unnamed: Tx = {
    async query<R>(sql: string, params?: readonly unknown[]) {
      const result = await on((runner) => runner.query(sql, params as unknown[] | undefined, true));
      return result.records as R[];
    },
    async execute(sql: string, params?: readonly unknown[]) {
      const result = await on((runner) => runner.query(sql, params as unknown[] | undefined, true));
      return result.affected ?? 0;
    },
  };
  const named: Tx = prepare
    ? {
        async query<R>(sql: string, params?: readonly unknown[]) {
          return (await on((runner) => runNamed(runner, sql, params))).rows as R[];
        },
        async execute(sql: string, params?: readonly unknown[]) {
          return (await on((runner) => runNamed(runner, sql, params))).rowCount ?? 0;
        },
      }
    : unnamed;
  const tx: TxWithPrepared = { ...unnamed, [PREPARED]: named };
  return tx;
}

/**
 * The same transaction, its statements run as named prepared statements
 * (unless DATABASE_PREPARED_STATEMENTS=false): `prepared(tx).query(sql, params)`.
 * Only for statements whose text never varies (per schema): each distinct
 * text stays prepared on every pooled connection until it closes, so a text
 * built with a variable number of placeholders would pile up statements.
 * A Tx not made by txOf (a test double) runs the statement as it is.
 */
export function prepared(tx: Tx): Tx {
  return (tx as Partial<TxWithPrepared>)[PREPARED] ?? tx;
}

/**
 * Runs on the query runner's own pg client, so inside its transaction;
 * TypeORM's runner.query takes no statement name. Failures are wrapped as
 * runner.query wraps them (QueryFailedError with the driver error).
 */
async function runNamed(runner: QueryRunner, sql: string, params: readonly unknown[] | undefined) {
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as ClientBase;
  try {
    return await client.query(statementQuery(sql, params, true));
  } catch (error) {
    throw new QueryFailedError(sql, params as unknown[] | undefined, error as Error);
  }
}
