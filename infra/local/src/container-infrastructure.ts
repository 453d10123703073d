import type { Infrastructure } from './local-infrastructure';

/** The images of the container path: the same Postgres major as compose; Confluent's Kafka image is what @testcontainers/kafka drives (KRaft, Kafka 3.9). */
export const POSTGRES_IMAGE = 'postgres:16';
export const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';

/** Whether a Docker engine answers, as testcontainers finds one (DOCKER_HOST, ~/.testcontainers.properties, the default or rootless socket). */
export type EngineProbe =
  | { readonly answers: true; readonly endpoint: string; readonly version: string }
  | { readonly answers: false; readonly endpoint: string; readonly reason: string };

/** The endpoint testcontainers tries first when nothing configures another. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export async function probeDockerEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineProbe> {
  const endpoint = dockerEndpoint(env);
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    return { answers: true, endpoint: client.info.containerRuntime.remoteSocketPath || endpoint, version: String(client.info.containerRuntime.serverVersion) };
  } catch (error) {
    return { answers: false, endpoint, reason: (error as Error).message };
  }
}

export type InfrastructurePath = 'given' | 'containers' | 'local';

/**
 * Which Kafka and Postgres a test run uses, and the one line that says so:
 * the ones KAFKA_BROKERS / DATABASE_URL name; else containers where a Docker
 * engine answers; else local processes (a broker and an embedded Postgres).
 * LEAD_SLA_TEST_INFRA=local skips the probe.
 */
export async function chooseInfrastructurePath(env: NodeJS.ProcessEnv, probe: () => Promise<EngineProbe>): Promise<{ path: InfrastructurePath; line: string }> {
  if (env.KAFKA_BROKERS || env.DATABASE_URL) {
    return { path: 'given', line: `test infrastructure: ${[env.KAFKA_BROKERS && 'KAFKA_BROKERS', env.DATABASE_URL && 'DATABASE_URL'].filter(Boolean).join(' and ')} given: using them (the rest as local processes)` };
  }
  if (env.LEAD_SLA_TEST_INFRA === 'local') return { path: 'local', line: 'test infrastructure: local processes (LEAD_SLA_TEST_INFRA=local; no Docker engine probed)' };
  const engine = await probe();
  return engine.answers
    ? { path: 'containers', line: `test infrastructure: containers (testcontainers: ${POSTGRES_IMAGE}, ${KAFKA_IMAGE}) on the Docker engine at ${engine.endpoint} (server ${engine.version})` }
    : { path: 'local', line: `test infrastructure: no Docker engine at ${engine.endpoint} (${engine.reason}): local processes (a Kafka broker and an embedded Postgres)` };
}

/** Kafka and Postgres in containers, configured like the local ones (one broker: replication 1, 3 partitions, no auto-created topics). */
export async function startContainerInfrastructure(log: (line: string) => void = () => undefined): Promise<Infrastructure> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, kafka] = await Promise.allSettled([
    new PostgreSqlContainer(POSTGRES_IMAGE).withDatabase('lead_sla').withUsername('postgres').withPassword('postgres').withCommand(['postgres', '-c', 'max_connections=300']).start(),
    new KafkaContainer(KAFKA_IMAGE)
      .withKraft()
      .withEnvironment({
        KAFKA_NUM_PARTITIONS: '3',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '1000',
      })
      .start(),
  ]);
  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    // Never leave half the infrastructure running behind a failure.
    if (postgres.status === 'fulfilled') await postgres.value.stop();
    if (kafka.status === 'fulfilled') await kafka.value.stop();
    throw postgres.status === 'rejected' ? postgres.reason : (kafka as PromiseRejectedResult).reason;
  }
  const kafkaBrokers = `${kafka.value.getHost()}:${kafka.value.getMappedPort(9093)}`;
  log(`Kafka: container ${KAFKA_IMAGE} at ${kafkaBrokers}`);
  log(`Postgres: container ${POSTGRES_IMAGE} at ${postgres.value.getHost()}:${postgres.value.getPort()}`);
  return {
    kafkaBrokers,
    databaseUrl: postgres.value.getConnectionUri(),
    started: { kafka: null, postgres: null },
    async stop() {
      await Promise.all([kafka.value.stop(), postgres.value.stop()]);
    },
  };
}
