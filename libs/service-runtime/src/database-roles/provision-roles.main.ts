import { Client } from 'pg';
import { z } from 'zod';
import {
  BI_READER_ROLE, ConfigError, loadEnvConfig, MIGRATION_ROLE, PLATFORM_SERVICES, platformRoleLayout, type PlatformService, provisionDatabaseRoles, serviceRoleName,
} from '@lead-sla/platform';

const secret = z.string({ message: 'required: a generated secret of at least 12 characters' }).min(12, 'must be at least 12 characters');

const passwordVariable = (service: PlatformService) => `${service.toUpperCase()}_DB_PASSWORD` as const;

/** Every variable is named in docs/configuration.md ("Database roles"). */
const env = {
  ADMIN_DATABASE_URL: z.string({ message: 'required: postgres://admin:password@host:port/db (a superuser, used only here)' }).regex(/^postgres(ql)?:\/\//, 'must start with postgres://'),
  MIGRATION_DB_PASSWORD: secret,
  ...Object.fromEntries(PLATFORM_SERVICES.map((s) => [passwordVariable(s), secret])),
  BI_DB_PASSWORD: secret.optional(),
  BI_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds' }).int().positive().default(30_000),
  BI_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds' }).int().positive().default(60_000),
};

/**
 * `provision-roles`: creates or updates the platform's Postgres roles
 * (docs/security.md "Roles and grants"). Run once before the first `migrate`,
 * and again to rotate a password. Idempotent.
 */
async function main(): Promise<void> {
  const c = loadEnvConfig(env);
  const passwordOf: Record<string, string | undefined> = {
    [MIGRATION_ROLE]: c.MIGRATION_DB_PASSWORD,
    [BI_READER_ROLE]: c.BI_DB_PASSWORD,
    ...Object.fromEntries(PLATFORM_SERVICES.map((s) => [serviceRoleName(s), (c as unknown as Record<string, string>)[passwordVariable(s)]])),
  };
  const database = decodeURIComponent(new URL(c.ADMIN_DATABASE_URL).pathname.slice(1));
  const layout = platformRoleLayout(
    database,
    (role) => passwordOf[role]!,
    c.BI_DB_PASSWORD ? { statementTimeoutMs: c.BI_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: c.BI_IDLE_IN_TRANSACTION_TIMEOUT_MS } : null,
  );
  const admin = new Client({ connectionString: c.ADMIN_DATABASE_URL, application_name: 'lead-sla-provision-roles' });
  await admin.connect();
  try {
    await provisionDatabaseRoles(admin, layout);
  } finally {
    await admin.end();
  }
  const roles = [layout.migrator.name, ...layout.services.map((s) => s.role.name), ...(layout.biReader ? [layout.biReader.name] : [])];
  process.stdout.write(`roles ready in database "${database}": ${roles.join(', ')}${layout.biReader ? '' : ' (no BI login: BI_DB_PASSWORD is not set)'}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`provision-roles: ${error instanceof ConfigError ? error.message : (error.stack ?? String(error))}\n`);
  process.exit(1);
});
