import { startKafkaBroker, type KafkaBroker } from './kafka-broker';
import { startLocalPostgres, type LocalPostgres } from './postgres';

export interface Infrastructure {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  /** What was started here (existing infrastructure is never stopped). */
  readonly started: { kafka: KafkaBroker | null; postgres: LocalPostgres | null };
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  readonly dir: string;
  readonly kafkaPort?: number;
  readonly postgresPort?: number;
  readonly reuseData?: boolean;
  readonly log?: (line: string) => void;
  /** Start local Kafka and Postgres even when KAFKA_BROKERS / DATABASE_URL are set. */
  readonly ignoreEnvironment?: boolean;
}

/**
 * Kafka and Postgres for a run: KAFKA_BROKERS and DATABASE_URL, when set,
 * point at existing infrastructure; otherwise a local broker and an
 * embedded Postgres are started (in parallel) under `dir`.
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const log = options.log ?? (() => undefined);
  const existingKafka = options.ignoreEnvironment ? undefined : process.env.KAFKA_BROKERS;
  const existingDb = options.ignoreEnvironment ? undefined : process.env.DATABASE_URL;
  if (existingKafka) log(`Kafka: using KAFKA_BROKERS=${existingKafka}`);
  if (existingDb) log('Postgres: using DATABASE_URL');
  const [kafkaResult, postgresResult] = await Promise.allSettled([
    existingKafka
      ? null
      : startKafkaBroker({ dir: `${options.dir}/kafka`, port: options.kafkaPort, reuseData: options.reuseData }),
    existingDb ? null : startLocalPostgres({ dir: `${options.dir}/postgres`, port: options.postgresPort }),
  ]);
  if (kafkaResult.status === 'rejected' || postgresResult.status === 'rejected') {
    // Never leave half the infrastructure running behind a failure.
    if (kafkaResult.status === 'fulfilled') await kafkaResult.value?.stop();
    if (postgresResult.status === 'fulfilled') await postgresResult.value?.stop();
    throw kafkaResult.status === 'rejected' ? kafkaResult.reason : (postgresResult as PromiseRejectedResult).reason;
  }
  const kafka = kafkaResult.value;
  const postgres = postgresResult.value;
  if (kafka) log(`Kafka: started local broker at ${kafka.brokers} (log: ${kafka.logFile})`);
  if (postgres) log(`Postgres: started embedded Postgres at ${postgres.url}`);
  return {
    kafkaBrokers: existingKafka ?? kafka!.brokers,
    databaseUrl: existingDb ?? postgres!.url,
    started: { kafka, postgres },
    async stop() {
      await Promise.all([kafka?.stop(), postgres?.stop()]);
    },
  };
}
