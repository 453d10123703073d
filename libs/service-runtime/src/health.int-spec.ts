import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { runMigrations } from '@lead-sla/platform';
import { uniqueName } from '@lead-sla/testing';
import { MessagingLifecycle, type LeadEventHandler } from './messaging-lifecycle';
import { serviceApplication } from './service-config';
import { dataSourceFor, ServiceRuntimeModule } from './service-runtime.module';
import type { ServiceDefinition } from './service-definition';
import { loadRuntimeConfig } from './runtime-config';
import { DATA_SOURCE, EVENT_HANDLER } from './tokens';

const schema = uniqueName('health_probe').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
const probeService: ServiceDefinition = {
  name: 'health-probe',
  schema,
  consumerGroup: `lead-sla.${schema}`,
  migrations: [messagingTablesMigration(schema, 1763999999990), policyLogMigration(schema, 1764000000990)],
  defaultPort: 0,
};
// Applies nothing: readiness is about the consumer running, not what it does.
const handler: LeadEventHandler = { handle: async () => undefined, eventTypes: [] };

@Module({ imports: [ServiceRuntimeModule.forRoot(probeService)], providers: [{ provide: EVENT_HANDLER, useValue: handler }] })
class ProbeModule {}

describe('health endpoints (@nestjs/terminus) on real Kafka and Postgres', () => {
  let app: INestApplication;
  let url = '';
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    process.env.POLICY_FILE = join(__dirname, '../../../infra/policy/example.policy.yaml');
    const dataSource = dataSourceFor(probeService, loadRuntimeConfig());
    await runMigrations(dataSource, schema);
    await dataSource.destroy();
    app = await NestFactory.create(await serviceApplication(probeService, ProbeModule), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  it('answers live with the event loop, and ready with Postgres, Kafka, the consumer and the outbox up', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', info: { event_loop: expect.objectContaining({ status: 'up' }) } }) });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, kafka: { status: 'up' }, consumer: { status: 'up' }, outbox: { status: 'up', oldestPendingMs: 0 } },
      error: {},
    });
  });

  it('answers 503 naming the consumer when it stopped, then Postgres when the database cannot be reached', async () => {
    // What a shutdown does first: the consumer stops (the relay and pruner with it).
    await app.get(MessagingLifecycle).beforeApplicationShutdown();
    const stopped = await get('/health/ready');
    expect(stopped.status).toBe(503);
    expect(stopped.body).toMatchObject({ status: 'error', error: { consumer: { status: 'down', message: expect.stringContaining('consumer is not running') } } });
    expect(Object.keys(stopped.body.error as object)).toEqual(['consumer']);

    await app.get<DataSource>(DATA_SOURCE).destroy();
    const noDatabase = await get('/health/ready');
    expect(noDatabase.status).toBe(503);
    expect(noDatabase.body).toMatchObject({ error: { postgres: { status: 'down', message: expect.stringContaining('Postgres does not answer') } } });
    // Liveness is about the process only: it stays up.
    expect((await get('/health/live')).status).toBe(200);
  });
});
