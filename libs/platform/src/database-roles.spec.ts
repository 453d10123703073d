import { databaseRoleStatements, PLATFORM_SERVICES, platformRoleLayout, userOfDatabaseUrl } from './database-roles';

const password = (role: string) => `secret-of-${role}-0123`;

describe('database roles', () => {
  it('gives every service a login role of its own and the BI reader read-only sessions with both timeouts', () => {
    const sql = databaseRoleStatements(platformRoleLayout('lead_sla', password, { statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000 })).join('\n');
    for (const s of PLATFORM_SERVICES) expect(sql).toContain(`GRANT CONNECT ON DATABASE "lead_sla" TO "lead_sla_${s}"`);
    expect(sql).toContain('REVOKE ALL ON DATABASE "lead_sla" FROM PUBLIC');
    expect(sql).toContain('GRANT "lead_sla_bi" TO "lead_sla_bi_reader"');
    expect(sql).toContain('ALTER ROLE "lead_sla_bi_reader" IN DATABASE "lead_sla" SET statement_timeout = 30000');
    expect(sql).toContain('ALTER ROLE "lead_sla_bi_reader" IN DATABASE "lead_sla" SET idle_in_transaction_session_timeout = 60000');
    expect(sql).toContain('ALTER ROLE "lead_sla_bi_reader" IN DATABASE "lead_sla" SET default_transaction_read_only = on');
    expect(sql).not.toMatch(/SUPERUSER(?! )|CREATEDB(?! )|CREATEROLE(?! )/);
  });

  it("lets every service role read identity.api_keys (ingest's keys view), granted before or after ingest migrates, and nothing else of ingest", () => {
    const sql = databaseRoleStatements(platformRoleLayout('lead_sla', password, null)).join('\n');
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "identity" AUTHORIZATION "lead_sla_migrator"');
    for (const s of PLATFORM_SERVICES) {
      expect(sql).toContain(`GRANT USAGE ON SCHEMA "identity" TO "lead_sla_${s}"`);
      expect(sql).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA "identity" TO "lead_sla_${s}"`);
      expect(sql).toContain(`ALTER DEFAULT PRIVILEGES FOR ROLE "lead_sla_migrator" IN SCHEMA "identity" GRANT SELECT ON TABLES TO "lead_sla_${s}"`);
    }
    expect(sql).not.toMatch(/ON SCHEMA "ingest"/);
  });

  it('creates no BI login when none is asked for', () => {
    expect(databaseRoleStatements(platformRoleLayout('lead_sla', password, null)).join('\n')).not.toContain('lead_sla_bi_reader');
  });

  it('quotes passwords as literals, so a quote in a secret cannot end the statement', () => {
    const sql = databaseRoleStatements(platformRoleLayout('lead_sla', () => "it's-a-long-secret", null)).join('\n');
    expect(sql).toContain("PASSWORD 'it''s-a-long-secret'");
  });

  it('refuses short passwords and names that are not plain identifiers, naming them', () => {
    expect(() => databaseRoleStatements(platformRoleLayout('lead_sla', () => 'short', null))).toThrow('the password of Postgres role "lead_sla_migrator" is shorter than 12 characters');
    expect(() => databaseRoleStatements(platformRoleLayout('lead-sla"; DROP', password, null))).toThrow('"lead-sla"; DROP" is not a valid Postgres role, schema or database name');
  });

  it('reads the user of a database URL, and says so when there is none', () => {
    expect(userOfDatabaseUrl('postgres://lead_sla_routing:pw@db:5432/lead_sla')).toBe('lead_sla_routing');
    expect(() => userOfDatabaseUrl('postgres://db:5432/lead_sla')).toThrow('names no user');
  });
});
