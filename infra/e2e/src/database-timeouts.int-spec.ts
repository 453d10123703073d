import type { DataSource } from 'typeorm';
import { createDataSource } from '@lead-sla/platform';
import { isTransientDatabaseError } from '@lead-sla/messaging';
import { requireEnv, uniqueName } from '@lead-sla/testing';

describe('database session timeouts (real Postgres)', () => {
  const open: DataSource[] = [];
  const dataSource = async (timeouts?: Parameters<typeof createDataSource>[0]['timeouts']) => {
    const schema = uniqueName('timeouts');
    const ds = createDataSource({ url: requireEnv('DATABASE_URL'), schema, applicationName: schema, migrations: [], timeouts });
    await ds.initialize();
    open.push(ds);
    return ds;
  };
  afterEach(async () => {
    while (open.length) await open.pop()!.destroy();
  });

  it('sets statement, lock and idle-in-transaction timeouts on every connection, 30 s / 10 s / 60 s by default', async () => {
    const ds = await dataSource();
    const [row] = await ds.query(
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, current_setting('idle_in_transaction_session_timeout') AS i`,
    );
    expect(row).toEqual({ s: '30s', l: '10s', i: '1min' });
  });

  it('cancels a query that runs over the statement timeout, as a transient error', async () => {
    const ds = await dataSource({ statementMs: 200 });
    const started = Date.now();
    const error = await ds.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('57014');
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it('fails a statement that waits for a lock longer than the lock timeout, as a transient error', async () => {
    const holder = await dataSource();
    const waiter = await dataSource({ lockMs: 200 });
    const table = `"${uniqueName('locked')}"`;
    await holder.query(`CREATE TABLE public.${table} (id int PRIMARY KEY)`);
    const runner = holder.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`LOCK TABLE public.${table} IN ACCESS EXCLUSIVE MODE`);
      const error = await waiter.query(`SELECT * FROM public.${table}`).catch((e: unknown) => e);
      expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('55P03');
      expect(isTransientDatabaseError(error)).toBe(true);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
      await holder.query(`DROP TABLE public.${table}`);
    }
  });
});
