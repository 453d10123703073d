import { Client } from 'pg';
import { BI_READER_ROLE, MIGRATION_ROLE, platformRoleLayout, provisionDatabaseRoles, serviceRoleName, type BiReaderRole, type PlatformService } from '@lead-sla/platform';

/** What the local platform's processes connect as (docs/security.md "Roles and grants"). */
export interface LocalDatabaseRoles {
  readonly migrationUrl: string;
  readonly serviceUrls: Record<PlatformService, string>;
  readonly biReaderUrl: string;
}

export type BiTimeouts = Partial<Pick<BiReaderRole, 'statementTimeoutMs' | 'idleInTransactionTimeoutMs'>>;

/**
 * Local passwords are fixed: the embedded Postgres is a throwaway cluster
 * that listens on 127.0.0.1 only. Deployments set their own (docker-compose.yml
 * requires them; docs/security.md).
 */
const localPassword = (role: string) => `local-only-${role}`;

function urlAs(adminUrl: string, role: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = localPassword(role);
  return url.toString();
}

/** Creates the deployment's roles in the database of `adminUrl` (a superuser's) and returns each process's URL. */
export async function provisionLocalRoles(adminUrl: string, bi: BiTimeouts = {}): Promise<LocalDatabaseRoles> {
  const database = decodeURIComponent(new URL(adminUrl).pathname.slice(1));
  const layout = platformRoleLayout(database, localPassword, { statementTimeoutMs: bi.statementTimeoutMs ?? 30_000, idleInTransactionTimeoutMs: bi.idleInTransactionTimeoutMs ?? 60_000 });
  const admin = new Client({ connectionString: adminUrl, application_name: 'lead-sla-provision-roles' });
  await admin.connect();
  try {
    await provisionDatabaseRoles(admin, layout);
  } finally {
    await admin.end();
  }
  return {
    migrationUrl: urlAs(adminUrl, MIGRATION_ROLE),
    serviceUrls: Object.fromEntries(layout.services.map((s) => [s.schema, urlAs(adminUrl, serviceRoleName(s.schema as PlatformService))])) as Record<PlatformService, string>,
    biReaderUrl: urlAs(adminUrl, BI_READER_ROLE),
  };
}
