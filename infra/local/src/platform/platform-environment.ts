import { join } from 'node:path';
import { freePort } from '../free-port';
import { provisionLocalRoles } from './local-database-roles';
import { migrateService, SERVICE_NAMES, startService, type RunningService, type ServiceName } from './service-processes';

export interface Platform {
  readonly services: Record<ServiceName, RunningService>;
  /** The environment shared by every service (DATABASE_URL: the administrator's, for tests and tools). */
  readonly env: NodeJS.ProcessEnv;
  /** One service's own environment: its least-privileged DATABASE_URL and the migration role's URL. */
  envOf(name: ServiceName): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  readonly policyFile: string;
  readonly logDir: string;
  readonly ports?: Partial<Record<ServiceName, number>>;
  readonly extraEnv?: NodeJS.ProcessEnv;
  /** Settings for one service only (e.g. the demo person the dashboard's viewer acts as, on reporting). */
  readonly serviceEnv?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
}

/**
 * Migrates and starts every service against the given Kafka and Postgres, each
 * as its own least-privileged Postgres role (migrations as the migration role).
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: options.kafkaBrokers,
    DATABASE_URL: options.databaseUrl,
    POLICY_FILE: options.policyFile,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...options.extraEnv,
  };
  const roles = await provisionLocalRoles(options.databaseUrl);
  const ports = await Promise.all(SERVICE_NAMES.map(async (name) => options.ports?.[name] ?? (await freePort())));
  const urlOf = (name: ServiceName) => `http://127.0.0.1:${ports[SERVICE_NAMES.indexOf(name)]}`;
  // Where the dashboard relays its actions (reporting's /api/actions/*).
  const targets = { ROUTING_URL: urlOf('routing'), DISPOSITION_URL: urlOf('disposition') };
  const envOf = (name: ServiceName): NodeJS.ProcessEnv => ({ ...env, ...targets, ...options.serviceEnv?.[name], DATABASE_URL: roles.serviceUrls[name], MIGRATION_DATABASE_URL: roles.migrationUrl });
  for (const name of SERVICE_NAMES) migrateService(name, envOf(name));
  const started = await Promise.allSettled(SERVICE_NAMES.map((name, i) => startService({ name, port: ports[i] }, envOf(name), options.logDir)));
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((s) => s.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const services = Object.fromEntries(running.map((s) => [s.name, s])) as Record<ServiceName, RunningService>;
  return {
    services,
    env,
    envOf,
    async stop() {
      await Promise.all(running.map((s) => s.stop()));
    },
  };
}

export function defaultLogDir(runDir: string): string {
  return join(runDir, 'logs');
}
