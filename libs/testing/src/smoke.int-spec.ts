import { Client } from 'pg';
import { createKafka, withKafkaAdmin } from '@lead-sla/messaging';

describe('local infrastructure', () => {
  it('serves a real Postgres and a real Kafka broker', async () => {
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    const r = await pg.query('SELECT version()');
    expect(r.rows[0].version).toMatch(/PostgreSQL/);
    await pg.end();
    const cluster = await withKafkaAdmin(createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'smoke' }), (admin) => admin.ping());
    expect(cluster.brokers).toBe(1);
  });
});
