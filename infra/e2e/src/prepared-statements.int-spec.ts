import { QueryFailedError } from 'typeorm';
import { testDatabase, type TestDatabase } from '@lead-sla/testing';
import { autocommit, createDataSource, inTransaction, prepared, statementQuery, txOf } from '@lead-sla/platform';

// prepared(tx) (libs/platform/src/sql-tx.ts) on the real Postgres: here because libs/platform may not import the testing lib.
const SELECT = 'SELECT id, name FROM sqltx.items WHERE id = ANY($1::int[]) ORDER BY id';

describe('prepared(tx) on real Postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await testDatabase({ service: 'platform', schema: 'sqltx', migrations: [] });
    await db.tx(async (tx) => {
      await tx.execute('CREATE TABLE sqltx.items (id int PRIMARY KEY, name text NOT NULL)');
      await tx.execute(`INSERT INTO sqltx.items VALUES (1, 'one'), (2, 'two'), (3, 'three')`);
    });
  });

  afterAll(() => db.close());

  it('prepares the statement on the transaction\'s connection and returns the same rows as unnamed', async () => {
    await inTransaction(db.dataSource, async (tx) => {
      const named = await prepared(tx).query(SELECT, [[3, 1]]);
      const again = await prepared(tx).query(SELECT, [[2]]);
      const plain = await tx.query(SELECT, [[3, 1]]);
      expect(named).toEqual(plain);
      expect(named).toEqual([{ id: 1, name: 'one' }, { id: 3, name: 'three' }]);
      expect(again).toEqual([{ id: 2, name: 'two' }]);
      const statements = await tx.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
      expect(statements).toEqual([{ name: statementQuery(SELECT, [], true).name, statement: SELECT }]);
    });
  });

  it('counts affected rows and writes in the caller\'s transaction: a rollback undoes it', async () => {
    const update = `UPDATE sqltx.items SET name = name || '!' WHERE id <= $1`;
    await expect(
      inTransaction(db.dataSource, async (tx) => {
        expect(await prepared(tx).execute(update, [2])).toBe(2);
        expect(await tx.query('SELECT name FROM sqltx.items WHERE id = 1')).toEqual([{ name: 'one!' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.sql.query('SELECT name FROM sqltx.items ORDER BY id')).toEqual([{ name: 'one' }, { name: 'two' }, { name: 'three' }]);
  });

  it('fails as TypeORM does, with the driver error inside (the consumer reads its SQLSTATE)', async () => {
    const error = await inTransaction(db.dataSource, (tx) => prepared(tx).execute('INSERT INTO sqltx.items VALUES ($1, $2)', [1, 'dup'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('23505');
  });

  it('runs prepared statements outside a transaction (autocommit), each committed', async () => {
    const sql = prepared(autocommit(db.dataSource));
    expect(await sql.execute('INSERT INTO sqltx.items VALUES ($1, $2)', [4, 'four'])).toBe(1);
    expect(await sql.query(SELECT, [[4]])).toEqual([{ id: 4, name: 'four' }]);
    expect(await db.sql.query(SELECT, [[4]])).toEqual([{ id: 4, name: 'four' }]);
    await sql.execute('DELETE FROM sqltx.items WHERE id = $1', [4]);
  });

  it('runs them unnamed with DATABASE_PREPARED_STATEMENTS=false (preparedStatements: false)', async () => {
    const off = createDataSource({ url: db.url, schema: 'sqltx', migrations: [], applicationName: 'sqltx-off', poolSize: 1, preparedStatements: false });
    await off.initialize();
    try {
      const runner = off.createQueryRunner();
      try {
        const tx = txOf(runner);
        expect(await prepared(tx).query(SELECT, [[1]])).toEqual([{ id: 1, name: 'one' }]);
        expect(await tx.query('SELECT name FROM pg_prepared_statements')).toEqual([]);
      } finally {
        await runner.release();
      }
    } finally {
      await off.destroy();
    }
  });
});
