import { Client } from 'pg';
import { provisionDatabaseRoles, type DatabaseRoleLayout } from '@lead-sla/platform';
import type { ServiceName } from './service-processes';

/** What the local platform's processes connect as (docs/security.md "Roles and grants"). */
export interface LocalDatabaseRoles {
  readonly migrationUrl: string;
  readonly serviceUrls: Record<ServiceName, string>;
  readonly biReaderUrl: string;
}

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

export interface BiTimeouts {
  readonly statementTimeoutMs?: number;
  readonly idleInTransactionTimeoutMs?: number;
}

/** Same layout as a deployment: a migration role, one role per service, a read-only BI role. */
export function localRoleLayout(database: string, services: readonly ServiceName[], bi: BiTimeouts = {}): DatabaseRoleLayout {
  const login = (name: string) => ({ name, password: localPassword(name) });
  return {
    database,
    migrator: login('lead_sla_migrator'),
    services: services.map((s) => ({ schema: s, role: login(`lead_sla_${s}`) })),
    biReader: { ...login('lead_sla_bi_reader'), statementTimeoutMs: bi.statementTimeoutMs ?? 30_000, idleInTransactionTimeoutMs: bi.idleInTransactionTimeoutMs ?? 60_000 },
  };
}

/** Creates the roles in the database of `adminUrl` (a superuser's) and returns each process's URL. */
export async function provisionLocalRoles(adminUrl: string, services: readonly ServiceName[], bi: BiTimeouts = {}): Promise<LocalDatabaseRoles> {
  const database = decodeURIComponent(new URL(adminUrl).pathname.slice(1));
  const layout = localRoleLayout(database, services, bi);
  const admin = new Client({ connectionString: adminUrl, application_name: 'lead-sla-provision-roles' });
  await admin.connect();
  try {
    await provisionDatabaseRoles(admin, layout);
  } finally {
    await admin.end();
  }
  return {
    migrationUrl: urlAs(adminUrl, layout.migrator.name),
    serviceUrls: Object.fromEntries(layout.services.map((s) => [s.schema, urlAs(adminUrl, s.role.name)])) as Record<ServiceName, string>,
    biReaderUrl: urlAs(adminUrl, layout.biReader!.name),
  };
}
