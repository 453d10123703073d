import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonEnv, loadEnvConfig } from '@lead-sla/platform';
import { createKafka } from '@lead-sla/messaging';
import { BaselineDivergesError, parseWhatIfArgs, whatIfFromLog, WhatIfUsageError } from './what-if-command';
import { EmptyPeriodError } from '../engine/run-what-if';
import { whatIfServer } from './what-if-server';

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
  const bootstrapFile = process.env.POLICY_FILE ?? 'infra/policy/demo.policy.yaml';
  const c = loadEnvConfig(env);
  const kafka = createKafka({
    brokers: c.KAFKA_BROKERS, clientId: 'lead-sla-what-if', ssl: c.KAFKA_SSL, sslCaFile: c.KAFKA_SSL_CA_FILE,
    saslMechanism: c.KAFKA_SASL_MECHANISM, saslUsername: c.KAFKA_SASL_USERNAME, saslPassword: c.KAFKA_SASL_PASSWORD,
  });
  if (process.argv[2] === 'serve') return serve(kafka, bootstrapFile);
  const args = parseWhatIfArgs(process.argv.slice(2), bootstrapFile);
  const report = await whatIfFromLog(kafka, args, (line) => process.stderr.write(`[what-if] ${line}\n`));
  process.stdout.write(`${args.json ? JSON.stringify(report.json, null, 2) : report.text}\n`);
  if (args.out) {
    writeFileSync(args.out, report.html);
    process.stderr.write(`[what-if] HTML report written to ${args.out}\n`);
  }
}

/** `npm run what-if -- serve`: the admin API (POST /admin/what-if) on WHAT_IF_PORT (default 3090), until stopped. */
function serve(kafka: ReturnType<typeof createKafka>, bootstrapFile: string): Promise<never> {
  const adminToken = process.env.WHAT_IF_ADMIN_TOKEN;
  if (!adminToken || adminToken.length < 16) throw new WhatIfUsageError('WHAT_IF_ADMIN_TOKEN must be set to a secret of at least 16 characters: admins send it as a Bearer token');
  const port = Number(process.env.WHAT_IF_PORT ?? 3090);
  const dir = mkdtempSync(join(tmpdir(), 'what-if-'));
  let n = 0;
  const server = whatIfServer({ kafka, bootstrapFile, adminToken, writeCandidate: (yaml) => {
    const file = join(dir, `candidate-${++n}.policy.yaml`);
    writeFileSync(file, yaml);
    return file;
  } });
  server.listen(port, () => process.stderr.write(`[what-if] admin API on http://127.0.0.1:${port}/admin/what-if (baseline: the policy versions published on the log; before the first, ${bootstrapFile})\n`));
  return new Promise<never>(() => undefined);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const known = error instanceof WhatIfUsageError || error instanceof BaselineDivergesError || error instanceof EmptyPeriodError;
    process.stderr.write(`what-if: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof BaselineDivergesError ? 3 : error instanceof WhatIfUsageError ? 2 : 1);
  },
);
