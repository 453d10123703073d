import { Client } from 'pg';
import { migrateService, provisionLocalRoles, SERVICE_NAMES, type LocalDatabaseRoles } from '@lead-sla/local-infra';
import { requireEnv, uniqueName, withPg } from '@lead-sla/testing';
import { e2ePolicyFile } from './platform-harness';

/** The SQLSTATE a statement failed with, or 'ok'. */
async function outcome(url: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

const PERMISSION_DENIED = '42501';
const READ_ONLY_TRANSACTION = '25006';
const QUERY_CANCELED = '57014';

describe('least privilege in Postgres: one role per service, a migration role, a read-only BI role (real Postgres)', () => {
  const database = uniqueName('roles').replace(/-/g, '_');
  let roles: LocalDatabaseRoles;

  beforeAll(async () => {
    await withPg((c) => c.query(`CREATE DATABASE "${database}"`));
    const admin = new URL(requireEnv('DATABASE_URL'));
    admin.pathname = `/${database}`;
    roles = await provisionLocalRoles(admin.toString(), { statementTimeoutMs: 1_000, idleInTransactionTimeoutMs: 5_000 });
    for (const name of SERVICE_NAMES) {
      migrateService(name, {
        ...process.env,
        DATABASE_URL: roles.serviceUrls[name],
        MIGRATION_DATABASE_URL: roles.migrationUrl,
        POLICY_FILE: e2ePolicyFile,
        KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      });
    }
  }, 180_000);

  afterAll(async () => {
    await withPg((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  });

  it('migrations ran as the migration role, which owns every schema of the platform', async () => {
    const client = new Client({ connectionString: roles.migrationUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string; owner: string }>(
        `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname`,
        [[...SERVICE_NAMES, 'bi']],
      );
      expect(rows.map((r) => r.nspname).sort()).toEqual([...SERVICE_NAMES, 'bi'].sort());
      expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['lead_sla_migrator']));
    } finally {
      await client.end();
    }
  });

  it("a service's role reads and writes the rows of its own schema, and nothing else", async () => {
    const routing = roles.serviceUrls.routing;
    expect(await outcome(routing, 'SELECT count(*) FROM routing.outbox')).toBe('ok');
    expect(await outcome(routing, `BEGIN; INSERT INTO routing.processed_events (event_id, processed_at) VALUES (gen_random_uuid(), now()); ROLLBACK`)).toBe('ok');
    for (const other of SERVICE_NAMES.filter((s) => s !== 'routing')) {
      expect({ other, read: await outcome(routing, `SELECT count(*) FROM ${other}.outbox`) }).toEqual({ other, read: PERMISSION_DENIED });
    }
    expect(await outcome(routing, 'SELECT count(*) FROM bi.scorecard_daily_v1')).toBe(PERMISSION_DENIED);
    // No DDL: not in its own schema, not a new schema, not in public.
    expect(await outcome(routing, 'CREATE TABLE routing.sneaky (id int)')).toBe(PERMISSION_DENIED);
    expect(await outcome(routing, 'DROP TABLE routing.outbox')).toBe(PERMISSION_DENIED);
    expect(await outcome(routing, 'CREATE SCHEMA sneaky')).toBe(PERMISSION_DENIED);
    expect(await outcome(routing, 'CREATE TABLE public.sneaky (id int)')).toBe(PERMISSION_DENIED);
    expect(await outcome(roles.serviceUrls.timer, 'SELECT count(*) FROM routing.outbox')).toBe(PERMISSION_DENIED);
  });

  it("every service role reads identity.api_keys (created by ingest's migration after the roles were provisioned), but not ingest's table, and cannot write it", async () => {
    for (const name of SERVICE_NAMES) {
      const url = roles.serviceUrls[name];
      expect({ name, view: await outcome(url, 'SELECT id, key_hash, scopes, revoked_at FROM identity.api_keys LIMIT 1') }).toEqual({ name, view: 'ok' });
      expect({ name, write: await outcome(url, `DELETE FROM identity.api_keys`) }).toEqual({ name, write: PERMISSION_DENIED });
      if (name !== 'ingest') expect({ name, table: await outcome(url, 'SELECT count(*) FROM ingest.api_keys') }).toEqual({ name, table: PERMISSION_DENIED });
    }
  });

  it('the BI role reads the bi views only, cannot write, and a query over its statement timeout is cancelled', async () => {
    const bi = roles.biReaderUrl;
    expect(await outcome(bi, 'SELECT * FROM bi.scorecard_daily_v1 LIMIT 1')).toBe('ok');
    expect(await outcome(bi, 'SELECT * FROM reporting.leads LIMIT 1')).toBe(PERMISSION_DENIED);
    expect(await outcome(bi, 'SELECT count(*) FROM routing.outbox')).toBe(PERMISSION_DENIED);
    expect(await outcome(bi, 'CREATE TEMPORARY TABLE t (id int)')).toBe(READ_ONLY_TRANSACTION);
    expect(await outcome(bi, 'CREATE TABLE bi.t (id int)')).toBe(READ_ONLY_TRANSACTION);
    const client = new Client({ connectionString: bi });
    await client.connect();
    try {
      const { rows } = await client.query<{ s: string; i: string; r: string }>(
        `SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i, current_setting('default_transaction_read_only') AS r`,
      );
      expect(rows[0]).toEqual({ s: '1s', i: '5s', r: 'on' });
      const started = Date.now();
      const error = await client.query('SELECT pg_sleep(5)').catch((e: { code?: string }) => e);
      expect((error as { code?: string }).code).toBe(QUERY_CANCELED);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await client.end();
    }
  });
});
