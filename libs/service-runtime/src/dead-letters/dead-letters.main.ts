import { connect } from 'node:net';
import { Topics } from '@lead-sla/contracts';
import { commonEnv, createDataSource, loadEnvConfig, runMigrations } from '@lead-sla/platform';
import {
  createKafka, DeadLetterRedrivesRepository, deadLetterRedrivesMigration, deadLettersAsJson, DeadLetterSelectionError, describeSelector,
  formatDeadLetterList, formatRedriveOutcomes, OPERATIONS_SCHEMA, parseDeadLetterCommand, readDeadLetters, redriveDeadLetters, selectDeadLetters,
} from '@lead-sla/messaging';

const env = {
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS,
  DATABASE_URL: commonEnv.DATABASE_URL,
  MIGRATION_DATABASE_URL: commonEnv.MIGRATION_DATABASE_URL,
  KAFKA_SSL: commonEnv.KAFKA_SSL,
  KAFKA_SSL_CA_FILE: commonEnv.KAFKA_SSL_CA_FILE,
  KAFKA_SASL_MECHANISM: commonEnv.KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME: commonEnv.KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD: commonEnv.KAFKA_SASL_PASSWORD,
};

/** The client retries for most of a minute; an operator wants "no broker" at once. */
async function requireReachable(brokers: string): Promise<void> {
  const problems: string[] = [];
  for (const broker of brokers.split(',')) {
    const [host, port] = [broker.slice(0, broker.lastIndexOf(':')), Number(broker.slice(broker.lastIndexOf(':') + 1))];
    const problem = await new Promise<string | null>((resolve) => {
      const socket = connect({ host, port, timeout: 3_000 });
      socket.once('connect', () => (socket.destroy(), resolve(null)));
      socket.once('timeout', () => (socket.destroy(), resolve(`${broker}: no answer within 3 s`)));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(`${broker}: ${error.code ?? error.message}`));
    });
    if (problem === null) return;
    problems.push(problem);
  }
  throw new Error(`cannot reach Kafka (${problems.join('; ')}): start the local platform with \`npm start\`, or set KAFKA_BROKERS to the platform's brokers`);
}

function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * `npm run dlq -- list …` / `npm run dlq -- redrive …` (docs/operations.md,
 * "Dead letters"): lists the dead-letter topic and re-drives chosen dead
 * letters to their original topic, each at most once.
 */
async function main(): Promise<void> {
  const command = parseDeadLetterCommand(process.argv.slice(2));
  const c = loadEnvConfig(env);
  await requireReachable(c.KAFKA_BROKERS);
  const kafka = createKafka({
    brokers: c.KAFKA_BROKERS, clientId: 'lead-sla-dead-letters', ssl: c.KAFKA_SSL, sslCaFile: c.KAFKA_SSL_CA_FILE,
    saslMechanism: c.KAFKA_SASL_MECHANISM, saslUsername: c.KAFKA_SASL_USERNAME, saslPassword: c.KAFKA_SASL_PASSWORD,
  });
  const topic = Topics.deadLetter;
  const chosen = selectDeadLetters(await readDeadLetters(kafka, topic), command.selector, topic);
  if (command.command === 'list') {
    process.stdout.write(`${command.json ? JSON.stringify(deadLettersAsJson(chosen), null, 2) : formatDeadLetterList(chosen, command.selector)}\n`);
    return;
  }
  if (chosen.length === 0) throw new DeadLetterSelectionError(`nothing to re-drive: no dead letter in ${topic} matches ${describeSelector(command.selector)}; see \`npm run dlq -- list\``);
  // The tool keeps its own table in the `operations` schema: it connects as the schema owner when there is one.
  const url = c.MIGRATION_DATABASE_URL ?? c.DATABASE_URL;
  const dataSource = createDataSource({ url, schema: OPERATIONS_SCHEMA, applicationName: 'lead-sla-dead-letters', migrations: [deadLetterRedrivesMigration()], poolSize: 2 });
  try {
    await runMigrations(dataSource, OPERATIONS_SCHEMA).catch((error: Error) => {
      throw new Error(`cannot prepare ${OPERATIONS_SCHEMA}.dead_letter_redrives in ${withoutPassword(url)}: ${error.message} (is Postgres running? set MIGRATION_DATABASE_URL, or DATABASE_URL when there is one role)`);
    });
    const outcomes = await redriveDeadLetters(kafka, new DeadLetterRedrivesRepository(dataSource, topic), chosen, command.dryRun);
    process.stdout.write(`${formatRedriveOutcomes(outcomes)}\n`);
    if (outcomes.some((o) => o.status === 'in-doubt')) process.exitCode = 2;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
