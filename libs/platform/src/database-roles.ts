/**
 * Least privilege in Postgres (docs/security.md "Roles and grants"):
 * - one migration role owns every schema and object and runs migrations;
 * - one login role per service may read and write the rows of its own
 *   schema only (no DDL, nothing of another service);
 * - the BI login role is a member of the NOLOGIN role `lead_sla_bi` (which
 *   reads the `bi` views only), in read-only transactions, with a statement
 *   and an idle-in-transaction timeout.
 * `provisionDatabaseRoles` runs as an administrator (once per deployment and
 * again to rotate passwords); `grantServiceRole` runs at the end of each
 * service's `migrate`, as the migration role, so new tables are granted too.
 */

/** Anything that runs SQL: a pg Client, a pool, a TypeORM DataSource or query runner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface LoginRole {
  readonly name: string;
  readonly password: string;
}

export interface BiReaderRole extends LoginRole {
  /** A BI query running longer is cancelled (SQLSTATE 57014). */
  readonly statementTimeoutMs: number;
  /** A BI session idle inside a transaction longer is ended, releasing its snapshot. */
  readonly idleInTransactionTimeoutMs: number;
}

export interface DatabaseRoleLayout {
  readonly database: string;
  readonly migrator: LoginRole;
  /** Each service's login role and the schema it owns the rows of. */
  readonly services: ReadonlyArray<{ readonly schema: string; readonly role: LoginRole }>;
  readonly biReader?: BiReaderRole;
}

/** The services of the platform; each has a schema and a login role of the same name. */
export const PLATFORM_SERVICES = ['routing', 'timer', 'disposition', 'reporting', 'ingest', 'notifications'] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

export const MIGRATION_ROLE = 'lead_sla_migrator';
export const BI_READER_ROLE = 'lead_sla_bi_reader';
export const serviceRoleName = (service: PlatformService): string => `lead_sla_${service}`;

/** The platform's role layout in `database`; `password` gives each role's secret. Without `bi`, no BI login. */
export function platformRoleLayout(
  database: string,
  password: (role: string) => string,
  bi: Pick<BiReaderRole, 'statementTimeoutMs' | 'idleInTransactionTimeoutMs'> | null,
): DatabaseRoleLayout {
  const login = (name: string): LoginRole => ({ name, password: password(name) });
  return {
    database,
    migrator: login(MIGRATION_ROLE),
    services: PLATFORM_SERVICES.map((s) => ({ schema: s, role: login(serviceRoleName(s)) })),
    ...(bi ? { biReader: { ...login(BI_READER_ROLE), ...bi } } : {}),
  };
}

/** The NOLOGIN role the `bi` views are granted to (reporting's BI contract migration). */
export const BI_GROUP_ROLE = 'lead_sla_bi';
/** Schemas owned by the migration role besides the services' own. */
export const SHARED_SCHEMAS = ['bi', 'operations', 'identity'] as const;
/**
 * The schema of `identity.api_keys`, the view of ingest's hashed, scoped keys
 * (ingest's migration creates it) that every service reads to check an API key.
 */
export const IDENTITY_SCHEMA = 'identity';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a valid Postgres role, schema or database name here (lower-case letters, digits and "_", starting with a letter or "_")`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function loginRoleStatements(role: LoginRole): string[] {
  if (role.password.length < 12) throw new Error(`the password of Postgres role "${role.name}" is shorter than 12 characters; use a generated secret`);
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role.name)}) THEN CREATE ROLE ${ident(role.name)} LOGIN; END IF; END $$`,
    `ALTER ROLE ${ident(role.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal(role.password)}`,
  ];
}

/**
 * Hands a schema created by another role (an install that ran migrations as
 * one superuser) to the migration role: the schema, its tables, views,
 * standalone sequences, functions and types.
 */
function adoptSchemaStatement(schema: string, migrator: string): string {
  return `DO $$
DECLARE r record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${literal(schema)}) THEN RETURN; END IF;
  EXECUTE format('ALTER SCHEMA %I OWNER TO %I', ${literal(schema)}, ${literal(migrator)});
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ${literal(schema)} AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND pg_get_userbyid(c.relowner) <> ${literal(migrator)}
             AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
      ${literal(schema)}, r.relname, ${literal(migrator)});
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = ${literal(schema)} AND pg_get_userbyid(p.proowner) <> ${literal(migrator)}
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.fn, ${literal(migrator)});
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = ${literal(schema)} AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> ${literal(migrator)}
  LOOP
    EXECUTE format('ALTER TYPE %I.%I OWNER TO %I', ${literal(schema)}, r.typname, ${literal(migrator)});
  END LOOP;
END $$`;
}

/** The statements `provisionDatabaseRoles` runs, in order (exported for review and tests). */
export function databaseRoleStatements(layout: DatabaseRoleLayout): string[] {
  const db = ident(layout.database);
  const migrator = ident(layout.migrator.name);
  const statements = [
    ...loginRoleStatements(layout.migrator),
    `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${db} TO ${migrator}`,
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(BI_GROUP_ROLE)}) THEN CREATE ROLE ${ident(BI_GROUP_ROLE)} NOLOGIN; END IF; END $$`,
  ];
  for (const { schema, role } of layout.services) {
    ident(schema);
    statements.push(...loginRoleStatements(role), `GRANT CONNECT ON DATABASE ${db} TO ${ident(role.name)}`);
  }
  for (const schema of [...layout.services.map((s) => s.schema), ...SHARED_SCHEMAS]) statements.push(adoptSchemaStatement(schema, layout.migrator.name));
  statements.push(...identityReadStatements(layout));
  if (layout.biReader) {
    const reader = ident(layout.biReader.name);
    const ms = (n: number, what: string) => {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`the BI role's ${what} must be a positive whole number of milliseconds, got ${n}`);
      return n;
    };
    statements.push(
      ...loginRoleStatements(layout.biReader),
      `GRANT CONNECT ON DATABASE ${db} TO ${reader}`,
      `GRANT ${ident(BI_GROUP_ROLE)} TO ${reader}`,
      `ALTER ROLE ${reader} IN DATABASE ${db} SET statement_timeout = ${ms(layout.biReader.statementTimeoutMs, 'statement timeout')}`,
      `ALTER ROLE ${reader} IN DATABASE ${db} SET idle_in_transaction_session_timeout = ${ms(layout.biReader.idleInTransactionTimeoutMs, 'idle-in-transaction timeout')}`,
      `ALTER ROLE ${reader} IN DATABASE ${db} SET default_transaction_read_only = on`,
    );
  }
  return statements;
}

/**
 * Every service checks API keys against `identity.api_keys`, so every service
 * role reads the identity schema, and nothing else of ingest. Granted here,
 * once, because here every role exists: the schema is created owned by the
 * migration role and the default privileges grant SELECT on the view ingest's
 * migration creates later, so the order in which services migrate does not
 * matter; an existing view is granted at once.
 */
function identityReadStatements(layout: DatabaseRoleLayout): string[] {
  const schema = ident(IDENTITY_SCHEMA);
  const migrator = ident(layout.migrator.name);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${migrator}`,
    ...layout.services.flatMap(({ role }) => [
      `GRANT USAGE ON SCHEMA ${schema} TO ${ident(role.name)}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${ident(role.name)}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${migrator} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${ident(role.name)}`,
    ]),
  ];
}

/** Creates or updates the roles of a deployment (idempotent; re-run to rotate passwords). Run as an administrator. */
export async function provisionDatabaseRoles(admin: SqlRunner, layout: DatabaseRoleLayout): Promise<void> {
  for (const statement of databaseRoleStatements(layout)) await admin.query(statement);
}

/**
 * Lets a service's login role read and write the rows of its schema, now and
 * for tables later migrations create. Run by the schema owner (the migration role).
 */
export async function grantServiceRole(owner: SqlRunner, schema: string, serviceRole: string): Promise<void> {
  const s = ident(schema);
  const r = ident(serviceRole);
  for (const statement of [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `GRANT EXECUTE ON ALL ROUTINES IN SCHEMA ${s} TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT EXECUTE ON ROUTINES TO ${r}`,
  ]) {
    await owner.query(statement);
  }
}

/** The user name of a postgres:// URL (decoded). */
export function userOfDatabaseUrl(url: string): string {
  const user = decodeURIComponent(new URL(url).username);
  if (!user) throw new Error(`the database URL ${new URL(url).host} names no user (postgres://user:password@host:port/database)`);
  return user;
}
