import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { partitionForKey } from '@lead-sla/messaging';
import { createLogger } from '@lead-sla/platform';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { createTestTopic, leadCreatedData, makeEvent, messagingTestSchema, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import { EventPublisher, OutboxWriter, PolicyLog, policyPublishedCopies, TransactionalConsumer } from '@lead-sla/messaging';

const logger = createLogger('policy-log-test', 'error');
const bootstrap = parsePolicy(readFileSync(join(__dirname, '../policies/e2e.policy.yaml'), 'utf8'), 'e2e.policy.yaml');
const v2: Policy = { ...bootstrap, version: 'e2e-2' };
const by = { kind: 'person', id: 'root', role: 'admin' } as const;

/** A lead id that the platform's partitioner puts on `partition` of a 2-partition topic. */
function leadOn(partition: number, tag: string): string {
  for (let i = 0; ; i++) if (partitionForKey(`${tag}-${i}`, 2) === partition) return `${tag}-${i}`;
}

describe('the policy in force per partition (real Kafka and Postgres)', () => {
  it('hands each message the version in force at its position and stores it with the offset; the outbox holds one keyless copy per partition', async () => {
    const kafka = testKafka();
    const topic = await createTestTopic(kafka, 'policy-log', 2);
    const { schema, dataSource } = await messagingTestSchema('lead_id text, version text');
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    const groupId = uniqueName('policy-log');
    const consumer = new TransactionalConsumer({
      kafka, dataSource, schema, groupId, topics: [topic], logger, sessionTimeoutMs: 6000,
      eventTypes: new Set(['LeadCreated']),
      policies: new PolicyLog(schema, () => bootstrap),
      handle: async (event, ctx) => {
        await ctx.tx.execute(`INSERT INTO "${schema}".applied (event_id, lead_id, version) VALUES ($1, $2, $3)`, [event.eventId, event.leadId, ctx.policy?.version ?? null]);
      },
    });
    try {
      await consumer.start();
      const before = [leadOn(0, 'before'), leadOn(1, 'before')];
      await publisher.publish(before.map((id) => makeEvent('LeadCreated', id, leadCreatedData())), topic);
      // Routing writes the copies as keyless outbox rows with an explicit partition, in one transaction. No relay runs
      // here (its rows name the shared lead-events.v1): the copies reach this spec's topic through the publisher.
      const copies = policyPublishedCopies({ policy: v2, publishedBy: by, reason: 'int spec', publishedAt: new Date() }, 2);
      await new OutboxWriter(dataSource, schema, () => undefined).transaction(async (_tx, _emit, emitTo) => {
        for (const c of copies) emitTo(c.event, c.partition);
      });
      const rows: Array<{ key: string | null; partition: number; type: string }> = await dataSource.query(`SELECT key, partition, headers->>'event-type' AS type FROM "${schema}".outbox ORDER BY id`);
      expect(rows).toEqual([{ key: null, partition: 0, type: 'PolicyPublished' }, { key: null, partition: 1, type: 'PolicyPublished' }]);
      await publisher.publishAt(copies, topic);
      const after = [leadOn(0, 'after'), leadOn(1, 'after')];
      await publisher.publish(after.map((id) => makeEvent('LeadCreated', id, leadCreatedData())), topic);

      const applied = await waitFor(async () => {
        const rows: Array<{ lead_id: string; version: string }> = await dataSource.query(`SELECT lead_id, version FROM "${schema}".applied ORDER BY id`);
        return rows.length === 4 ? rows : undefined;
      }, 'the four leads to be applied', 60_000);
      expect(Object.fromEntries(applied.map((r) => [r.lead_id, r.version]))).toEqual({ [before[0]]: 'e2e-1', [before[1]]: 'e2e-1', [after[0]]: 'e2e-2', [after[1]]: 'e2e-2' });
      const stored: Array<{ partition: number; policy_version: string }> = await dataSource.query(
        `SELECT partition, policy_version FROM "${schema}".consumer_offsets WHERE group_id = $1 ORDER BY partition`,
        [groupId],
      );
      expect(stored).toEqual([{ partition: 0, policy_version: 'e2e-2' }, { partition: 1, policy_version: 'e2e-2' }]);
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM "${schema}".policy_documents WHERE version = 'e2e-2'`);
      expect(n).toBe(1);
    } finally {
      await consumer.stop();
      await publisher.disconnect();
      await dataSource.destroy();
    }
  });
});
