import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';

describe('local infrastructure', () => {
  it('serves a real Postgres and a real Kafka broker', async () => {
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    const r = await pg.query('SELECT version()');
    expect(r.rows[0].version).toMatch(/PostgreSQL/);
    await pg.end();
    const admin = new Kafka({ brokers: [process.env.KAFKA_BROKERS!], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    await admin.disconnect();
  });
});
