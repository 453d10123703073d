import { join } from 'node:path';
import { startInfrastructureProcess, startPlatform, type InfrastructureProcess, type Platform } from '@lead-sla/local-infra';
import { EventPublisher } from '@lead-sla/messaging';
import { PolicyProvider } from '@lead-sla/service-runtime';
import { requireEnv, testKafka, uniqueName, waitFor, withPg } from '@lead-sla/testing';

export const e2ePolicyFile = join(__dirname, '../policies/e2e.policy.yaml');

/**
 * Every service running as a process, plus a publisher. When the test run
 * uses local infrastructure, each spec file gets a Kafka broker and a
 * Postgres of its own (a few seconds to start): the platform's state —
 * reps' capacity, rotation penalties, queues — then starts empty, whatever
 * the spec files before it did. While it runs, KAFKA_BROKERS and
 * DATABASE_URL point at it, so the test helpers talk to it too.
 */
export async function startTestPlatform(policyFile = e2ePolicyFile, extraEnv: NodeJS.ProcessEnv = {}) {
  const runDir = process.env.LEAD_SLA_TEST_RUN_DIR ?? join(__dirname, '../../../.cache/test-runs/adhoc');
  const shared = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, DATABASE_URL: process.env.DATABASE_URL };
  let own: InfrastructureProcess | null = null;
  if (process.env.LEAD_SLA_LOCAL_INFRA === '1') {
    own = await startInfrastructureProcess(join(runDir, uniqueName('spec')));
    process.env.KAFKA_BROKERS = own.kafkaBrokers;
    process.env.DATABASE_URL = own.databaseUrl;
  }
  const restore = async () => {
    await own?.stop();
    process.env.KAFKA_BROKERS = shared.KAFKA_BROKERS;
    process.env.DATABASE_URL = shared.DATABASE_URL;
  };
  let platform: Platform;
  try {
    platform = await startPlatform({
      kafkaBrokers: requireEnv('KAFKA_BROKERS'),
      databaseUrl: requireEnv('DATABASE_URL'),
      policyFile,
      logDir: join(runDir, 'logs', uniqueName('platform')),
      extraEnv: { LOG_LEVEL: 'info', ...extraEnv },
    });
  } catch (error) {
    await restore();
    throw error;
  }
  // Routing publishes the policy file as a version at start: the spec's events must come after it on the log
  // (on a shared Kafka, an earlier spec's version is in force until then).
  const version = PolicyProvider.load(policyFile).version;
  try {
    await waitFor(
      () => withPg(async (c) => (await c.query('SELECT 1 FROM reporting.policy_versions WHERE version = $1', [version])).rowCount === 1),
      `policy version "${version}" of ${policyFile} to be on the log (routing publishes it at start; see its log for why not)`,
      60_000,
      200,
    );
  } catch (error) {
    await platform.stop();
    await restore();
    throw error;
  }
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  return {
    platform,
    kafka,
    publisher,
    url: (service: keyof Platform['services'], path: string) => `${platform.services[service].url}${path}`,
    async stop() {
      await publisher.disconnect();
      await platform.stop();
      await restore();
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json().catch(() => null) };
}
