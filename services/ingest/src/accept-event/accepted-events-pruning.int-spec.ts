import { randomUUID } from 'node:crypto';
import { testDatabase, type TestDatabase } from '@lead-sla/testing';
import { ingestMigrations } from '../migrations';
import { AcceptedEventsRepository } from './accepted-events.repository';

const DAY = 86_400_000;

describe('pruning accepted ingest events (real Postgres)', () => {
  let ctx: TestDatabase;
  beforeAll(async () => {
    ctx = await testDatabase({ service: 'ingest', schema: 'ingest', migrations: ingestMigrations });
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('deletes records accepted before the cut-off and already published; young or unpublished ones stay', async () => {
    const insert = async (type: string, daysAgo: number, unpublished = false) => {
      const id = randomUUID();
      await ctx.sql.query(`INSERT INTO ingest.accepted_events (event_id, type, api_key_id, accepted_at) VALUES ($1, $2, 'key', $3)`, [id, type, new Date(Date.now() - daysAgo * DAY)]);
      if (unpublished) await ctx.sql.query(`INSERT INTO ingest.outbox (topic, key, value, headers) VALUES ('t', 'k', '\\x00', $1)`, [JSON.stringify({ 'event-id': id })]);
    };
    await insert('old', 40);
    await insert('old', 40);
    await insert('old-unpublished', 40, true);
    await insert('young', 1);
    const sut = new AcceptedEventsRepository(ctx.dataSource);
    const cutOff = new Date(Date.now() - 30 * DAY);
    expect(await sut.pruneAccepted(cutOff, 10)).toBe(2);
    const left = (await ctx.sql.query<{ type: string }>('SELECT type FROM ingest.accepted_events ORDER BY type')).map((r) => r.type);
    expect(left).toEqual(['old-unpublished', 'young']);
  });
});
