import { randomUUID } from 'node:crypto';
import { testDatabase, type TestDatabase } from '@lead-sla/testing';
import { notificationsMigrations } from '../migrations';
import { DeliveriesRepository } from './deliveries.repository';

const DAY = 86_400_000;

describe('pruning sent deliveries (real Postgres)', () => {
  let ctx: TestDatabase;
  beforeAll(async () => {
    ctx = await testDatabase({ service: 'notifications', schema: 'notifications', migrations: notificationsMigrations });
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('deletes deliveries sent before the cut-off; pending, dead and recently sent ones stay', async () => {
    const insert = (recipient: string, status: string, sentDaysAgo: number | null) =>
      ctx.sql.query(
        `INSERT INTO notifications.deliveries (delivery_id, event_id, event_type, channel, recipient, role, payload, status, next_attempt_at, sent_at)
         VALUES ($1, $2, 'SlaBreached', 'slack', $3, 'rep', '{}', $4, now(), $5)`,
        [randomUUID(), randomUUID(), recipient, status, sentDaysAgo === null ? null : new Date(Date.now() - sentDaysAgo * DAY)],
      );
    for (let i = 0; i < 3; i++) await insert(`old-${i}`, 'sent', 40);
    await insert('young', 'sent', 1);
    await insert('pending', 'pending', null);
    await insert('dead', 'dead', null);
    const sut = new DeliveriesRepository(ctx.dataSource);
    const cutOff = new Date(Date.now() - 30 * DAY);
    expect(await sut.pruneSent(cutOff, 2)).toBe(2);
    expect(await sut.pruneSent(cutOff, 2)).toBe(1);
    expect(await sut.pruneSent(cutOff, 2)).toBe(0);
    const left = (await ctx.sql.query<{ recipient: string }>('SELECT recipient FROM notifications.deliveries ORDER BY recipient')).map((r) => r.recipient);
    expect(left).toEqual(['dead', 'pending', 'young']);
  });
});
