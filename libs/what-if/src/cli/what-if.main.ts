import { writeFileSync } from 'node:fs';
import { commonEnv, loadEnvConfig } from '@lead-sla/platform';
import { createKafka } from '@lead-sla/messaging';
import { BaselineDivergesError, parseWhatIfArgs, whatIfFromLog, WhatIfUsageError } from './what-if-command';
import { EmptyPeriodError } from '../engine/run-what-if';

const env = {
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS,
  KAFKA_SSL: commonEnv.KAFKA_SSL,
  KAFKA_SSL_CA_FILE: commonEnv.KAFKA_SSL_CA_FILE,
  KAFKA_SASL_MECHANISM: commonEnv.KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME: commonEnv.KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD: commonEnv.KAFKA_SASL_PASSWORD,
};

/** `npm run what-if -- --policy candidate.yaml --from … --to …` (docs/what-if.md). */
async function main(): Promise<void> {
  const args = parseWhatIfArgs(process.argv.slice(2), process.env.POLICY_FILE ?? 'infra/policy/demo.policy.yaml');
  const c = loadEnvConfig(env);
  const kafka = createKafka({
    brokers: c.KAFKA_BROKERS, clientId: 'lead-sla-what-if', ssl: c.KAFKA_SSL, sslCaFile: c.KAFKA_SSL_CA_FILE,
    saslMechanism: c.KAFKA_SASL_MECHANISM, saslUsername: c.KAFKA_SASL_USERNAME, saslPassword: c.KAFKA_SASL_PASSWORD,
  });
  const report = await whatIfFromLog(kafka, args, (line) => process.stderr.write(`[what-if] ${line}\n`));
  process.stdout.write(`${args.json ? JSON.stringify(report.json, null, 2) : report.text}\n`);
  if (args.out) {
    writeFileSync(args.out, report.html);
    process.stderr.write(`[what-if] HTML report written to ${args.out}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const known = error instanceof WhatIfUsageError || error instanceof BaselineDivergesError || error instanceof EmptyPeriodError;
    process.stderr.write(`what-if: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof BaselineDivergesError ? 3 : error instanceof WhatIfUsageError ? 2 : 1);
  },
);
