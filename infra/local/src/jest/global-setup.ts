import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chooseInfrastructurePath, probeDockerEngine, startContainerInfrastructure } from '../container-infrastructure';
import { startInfrastructure, type Infrastructure } from '../local-infrastructure';
import { cacheDir } from '../workspace-paths';

declare global {
  var __leadSlaInfrastructure: Infrastructure | undefined;
}

/**
 * Starts real Kafka and Postgres once for the int and e2e Jest projects and
 * hands their addresses to the test workers through the environment: the
 * ones KAFKA_BROKERS / DATABASE_URL name, else containers (testcontainers)
 * where a Docker engine answers, else local processes. One line says which
 * path ran and why (docs/operations.md, "What was verified where").
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__leadSlaInfrastructure) return;
  mkdirSync(join(cacheDir, 'test-runs'), { recursive: true });
  const dir = mkdtempSync(join(cacheDir, 'test-runs', 'run-'));
  chmodSync(dir, 0o755);
  const log = (l: string) => process.stdout.write(`\n[infra] ${l}`);
  const { path, line } = await chooseInfrastructurePath(process.env, () => probeDockerEngine());
  log(line);
  // Local infrastructure: e2e specs may start their own (platform-harness). With containers or given addresses they share the run's.
  if (path === 'local') process.env.LEAD_SLA_LOCAL_INFRA = '1';
  const infrastructure = path === 'containers' ? await startContainerInfrastructure(log) : await startInfrastructure({ dir, log });
  globalThis.__leadSlaInfrastructure = infrastructure;
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  process.env.LEAD_SLA_TEST_RUN_DIR = dir;
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  process.env.KAFKA_LOG_LEVEL ??= 'nothing';
}
