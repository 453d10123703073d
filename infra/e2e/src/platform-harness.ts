import { join } from 'node:path';
import { startPlatform, type Platform } from '@lead-sla/local-infra';
import { EventPublisher } from '@lead-sla/messaging';
import { requireEnv, testKafka, uniqueName } from '@lead-sla/testing';

export const e2ePolicyFile = join(__dirname, '../policies/e2e.policy.yaml');

/** The four services running as processes against the test Kafka and Postgres, plus a publisher. */
export async function startTestPlatform(policyFile = e2ePolicyFile, extraEnv: NodeJS.ProcessEnv = {}) {
  const runDir = process.env.LEAD_SLA_TEST_RUN_DIR ?? join(__dirname, '../../../.cache/test-runs/adhoc');
  const platform: Platform = await startPlatform({
    kafkaBrokers: requireEnv('KAFKA_BROKERS'),
    databaseUrl: requireEnv('DATABASE_URL'),
    policyFile,
    logDir: join(runDir, 'logs', uniqueName('platform')),
    extraEnv: { LOG_LEVEL: 'info', ...extraEnv },
  });
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
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json().catch(() => null) };
}
