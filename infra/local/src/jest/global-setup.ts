import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startInfrastructure, type Infrastructure } from '../local-infrastructure';
import { cacheDir } from '../workspace-paths';

declare global {
  var __leadSlaInfrastructure: Infrastructure | undefined;
}

/**
 * Starts real Kafka and Postgres once for the int and e2e Jest projects and
 * hands their addresses to the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__leadSlaInfrastructure) return;
  mkdirSync(join(cacheDir, 'test-runs'), { recursive: true });
  const dir = mkdtempSync(join(cacheDir, 'test-runs', 'run-'));
  chmodSync(dir, 0o755);
  // Local infrastructure (not KAFKA_BROKERS / DATABASE_URL given by the user): e2e specs may start their own.
  if (!process.env.KAFKA_BROKERS && !process.env.DATABASE_URL) process.env.LEAD_SLA_LOCAL_INFRA = '1';
  const infrastructure = await startInfrastructure({ dir, log: (l) => process.stdout.write(`\n[infra] ${l}`) });
  globalThis.__leadSlaInfrastructure = infrastructure;
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  process.env.LEAD_SLA_TEST_RUN_DIR = dir;
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  process.env.KAFKA_LOG_LEVEL ??= 'nothing';
}
