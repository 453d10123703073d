import { chooseInfrastructurePath, dockerEndpoint, type EngineProbe } from './container-infrastructure';

const noEngine = async (): Promise<EngineProbe> => ({ answers: false, endpoint: 'unix:///var/run/docker.sock', reason: 'Could not find a working container runtime strategy' });
const engine = async (): Promise<EngineProbe> => ({ answers: true, endpoint: '/var/run/docker.sock', version: '27.3.1' });
const notProbed = async (): Promise<EngineProbe> => {
  throw new Error('the Docker engine must not be probed here');
};

describe('the test run chooses its Kafka and Postgres, and says which and why', () => {
  it('without a Docker engine: local processes, naming the endpoint it tried', async () => {
    expect(await chooseInfrastructurePath({}, noEngine)).toEqual({
      path: 'local',
      line: 'test infrastructure: no Docker engine at unix:///var/run/docker.sock (Could not find a working container runtime strategy): local processes (a Kafka broker and an embedded Postgres)',
    });
  });

  it('where a Docker engine answers: containers, naming the images and the engine', async () => {
    const chosen = await chooseInfrastructurePath({}, engine);
    expect(chosen.path).toBe('containers');
    expect(chosen.line).toBe('test infrastructure: containers (testcontainers: postgres:16, confluentinc/cp-kafka:7.9.0) on the Docker engine at /var/run/docker.sock (server 27.3.1)');
  });

  it('given addresses win, and LEAD_SLA_TEST_INFRA=local skips the probe', async () => {
    expect(await chooseInfrastructurePath({ KAFKA_BROKERS: 'k:9092' }, notProbed)).toEqual({ path: 'given', line: 'test infrastructure: KAFKA_BROKERS given: using them (the rest as local processes)' });
    expect((await chooseInfrastructurePath({ LEAD_SLA_TEST_INFRA: 'local' }, notProbed)).path).toBe('local');
  });

  it('tries DOCKER_HOST before the default socket', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://docker:2375' })).toBe('tcp://docker:2375');
    expect(dockerEndpoint({})).toBe('unix:///var/run/docker.sock');
  });
});
