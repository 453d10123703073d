import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogger } from '@lead-sla/platform';
import { join } from 'node:path';
import { deciderHandler, EventPublisher, partitionForKey, PolicyLog, TransactionalConsumer, type KafkaClient } from '@lead-sla/messaging';
import { PolicyProvider } from '@lead-sla/service-runtime';
import type { ClockKind, EventData, EventType } from '@lead-sla/contracts';
import { createTestTopic, makeEvent, testKafka, uniqueName, waitFor, testDatabase, type TestDatabase } from '@lead-sla/testing';
import { PROJECTION_TABLES, rebuildProjections } from '../rebuild/rebuild-projections';
import { reportingMigrations } from '../migrations';
import { ProjectionStore } from './projection-store.repository';
import { ReportingDeciderService } from './reporting-decider.service';

/**
 * A demo-like stream of lead events as the platform would log them
 * (created, assigned with clock start, touched in time or breached with an
 * escalation and a reassignment, accepted, stage changes, dispositions),
 * deterministic for a given seed. Used by the integration tests.
 */
interface StreamEvent {
  readonly [field: string]: unknown;
  readonly type: EventType;
  readonly version: number;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly leadId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: unknown;
}

function ev<T extends EventType>(type: T, leadId: string, at: number, data: EventData<T>): StreamEvent {
  return makeEvent(type, leadId, data, { occurredAt: new Date(at).toISOString() });
}

const math = (startedAt: number, deadline: number) => ({
  startedAt: new Date(startedAt).toISOString(),
  coverageStart: new Date(startedAt).toISOString(),
  coverageMinutes: (deadline - startedAt) / 60_000,
  deadline: new Date(deadline).toISOString(),
  calendarId: 'always-on',
  timeZone: 'UTC',
});

const facts = (clockId: string, clock: ClockKind, rep: string, start: number, deadline: number) => ({
  clockId, clock, tier: 'hot', ownerRepId: rep, teamId: 'team-a', managerId: 'mgr-a', math: math(start, deadline), policyVersion: 'int-1',
});

function reportingStream(prefix: string, leads: number, startMs = Date.parse('2026-03-02T09:00:00Z')): StreamEvent[] {
  const out: StreamEvent[] = [];
  const reps = ['ava', 'ben', 'cai'];
  for (let i = 0; i < leads; i++) {
    const id = `${prefix}-${i}`;
    const t0 = startMs + i * 7_000;
    const rep = reps[i % reps.length];
    out.push(ev('LeadCreated', id, t0, {
      source: i % 2 ? 'webinar' : 'demo_request', segment: i % 3 ? 'smb' : 'enterprise', territory: 'emea', intentTier: 'hot', vip: false,
      contact: { contactKey: `${id}@example.test`, email: `${id}@example.test` }, channels: ['phone', 'email'],
    }));
    out.push(ev('LeadAssigned', id, t0 + 30_000, {
      repId: rep, teamId: 'team-a', poolId: 'pool-a', ruleId: 'r1', reason: 'rule', reassignment: false, previousRepId: null,
      reassignmentCause: null, skipped: [], managerId: 'mgr-a', policyVersion: 'int-1',
    }));
    const c1 = `${id}:first_touch:1`;
    out.push(ev('SlaClockStarted', id, t0 + 30_000, facts(c1, 'first_touch', rep, t0 + 30_000, t0 + 630_000)));
    if (i % 4 === 3) {
      out.push(ev('SlaBreached', id, t0 + 630_000, facts(c1, 'first_touch', rep, t0 + 30_000, t0 + 630_000)));
      out.push(ev('SlaEscalated', id, t0 + 630_000, { ...facts(c1, 'first_touch', rep, t0 + 30_000, t0 + 630_000), step: 1, action: 'reassign', lastStep: true }));
      const next = reps[(i + 1) % reps.length];
      out.push(ev('LeadAssigned', id, t0 + 631_000, {
        repId: next, teamId: 'team-b', poolId: 'pool-b', ruleId: null, reason: 'reassignment', reassignment: true, previousRepId: rep,
        reassignmentCause: 'first_touch SLA breached', skipped: [], managerId: 'mgr-b', policyVersion: 'int-1',
      }));
      out.push(ev('SlaClockStarted', id, t0 + 631_000, facts(`${id}:first_touch:2`, 'first_touch', next, t0 + 631_000, t0 + 1_231_000)));
      continue; // stays on the board, waiting for the backup's touch
    }
    out.push(ev('LeadTouched', id, t0 + 90_000 + (i % 5) * 20_000, { repId: rep, channel: 'phone', direction: 'outbound', personal: true, automated: false, outcome: i % 2 ? 'connected' : 'no_answer' }));
    out.push(ev('SlaClockStopped', id, t0 + 90_000 + (i % 5) * 20_000, {
      clockId: c1, clock: 'first_touch', outcome: 'met', stoppedAt: new Date(t0 + 90_000 + (i % 5) * 20_000).toISOString(),
      deadline: new Date(t0 + 630_000).toISOString(), ownerRepId: rep, policyVersion: 'int-1',
    }));
    if (i % 3 === 0) {
      out.push(ev('LeadAccepted', id, t0 + 3_600_000, { actor: null, repId: rep }));
      out.push(ev('SalDecisionRecorded', id, t0 + 3_600_000, { decision: 'accepted', repId: rep, ownerRepId: rep, requestEventId: `req-${id}`, reasonCode: null, reason: null, policyVersion: 'int-1' }));
      out.push(ev('LeadStageChanged', id, t0 + 3_600_000, { from: 'mql', to: 'sal', by: rep, reason: null }));
      out.push(ev('LeadDispositioned', id, t0 + 3_700_000, { actor: null, repId: rep, code: 'Working', reason: 'talking', nextStep: 'demo' }));
    }
  }
  // Routing's rotation verdicts: ava taken out by two misses; ben out, then reinstated by the manager.
  const rotation = (repId: string, at: number, inRotation: boolean) =>
    makeEvent('RepRotationChanged', null, {
      repId, inRotation, cause: inRotation ? 'manager_reinstated' : 'sla_misses', by: inRotation ? 'mgr-a' : null, policyVersion: 'int-1',
      misses: inRotation ? [] : [0, 1].map((n) => ({ leadId: `${prefix}-${n}`, clock: 'first_touch', breachedAt: new Date(startMs + n * 60_000).toISOString() })),
    }, { occurredAt: new Date(at).toISOString() });
  out.push(rotation('ava', startMs + 600_000, false), rotation('ben', startMs + 610_000, false), rotation('ben', startMs + 900_000, true));
  return out;
}
const logger = createLogger('reporting-int', 'warn');

/** Every projection table, sorted, as plain text rows: what "unchanged" and "equal" compare. */
async function snapshot(db: DataSource): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of PROJECTION_TABLES) {
    const rows: Array<{ r: string }> = await db.query(`SELECT t::text AS r FROM reporting.${t} t ORDER BY 1`);
    out[t] = rows.map((x) => x.r);
  }
  return out;
}

const bootstrapPolicy = PolicyProvider.load(join(__dirname, '../../../../infra/e2e/policies/e2e.policy.yaml'));

describe('reporting projections on real Kafka and Postgres', () => {
  let kafka: KafkaClient;
  let publisher: EventPublisher;
  let topic: string;
  let db: TestDatabase;
  let consumer: TransactionalConsumer;
  const groupId = uniqueName('reporting');
  const stream = reportingStream(uniqueName('int-lead'), 40);

  const startConsumer = async () => {
    // What provideDecider binds in the service: the kit's handler around reporting's DeciderService.
    const handler = deciderHandler(new ReportingDeciderService(new ProjectionStore()), { name: groupId, decidedAt: () => new Date(), mode: 'decide' });
    consumer = new TransactionalConsumer({
      kafka, dataSource: db.dataSource, schema: 'reporting', groupId, topics: [topic], logger, sessionTimeoutMs: 6000,
      handle: (event, ctx) => handler.handle(event, ctx),
      handleBatch: (items, ctx) => handler.handleBatch(items, ctx),
      // The projections read no policy, but the runtime hands every input the one in force (the bootstrap file here).
      policies: new PolicyLog('reporting', () => bootstrapPolicy),
    });
    await consumer.start();
  };
  const consumedUpTo = async (n: number) =>
    waitFor(async () => {
      const [r] = await db.dataSource.query('SELECT coalesce(sum(next_offset), 0)::int AS n FROM reporting.consumer_offsets WHERE group_id = $1', [groupId]);
      return r.n >= n ? true : undefined;
    }, `the consumer to reach offset total ${n}`, 60_000);

  beforeAll(async () => {
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'reporting-int', 3);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    db = await testDatabase({ service: 'reporting', schema: 'reporting', migrations: reportingMigrations });
    await startConsumer();
    await publisher.publish(stream, topic);
    await consumedUpTo(stream.length);
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await db?.close();
  });

  it('projects the stream: lead rows with their columns, breaches, clock instances and the board', async () => {
    const [leads] = await db.dataSource.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE sla_first_touch_status = 'breached')::int AS breached,
      count(*) FILTER (WHERE sla_first_touch_status = 'met')::int AS met FROM reporting.lead_rows`);
    expect(leads).toEqual({ n: 40, breached: 10, met: 30 });
    const [breaches] = await db.dataSource.query(`SELECT count(*) FILTER (WHERE kind = 'breach')::int AS b, count(*) FILTER (WHERE kind = 'escalation')::int AS e FROM reporting.breach_rows`);
    expect(breaches).toEqual({ b: 10, e: 10 });
    const board: Array<{ lead_id: string; owner_rep_id: string; deadline: Date }> = await db.dataSource.query('SELECT lead_id, owner_rep_id, deadline FROM reporting.board_rows');
    expect(board).toHaveLength(10);
    expect(board.every((b) => b.deadline instanceof Date)).toBe(true);
    const [clocks] = await db.dataSource.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'met')::int AS met FROM reporting.clock_instances`);
    expect(clocks).toEqual({ n: 50, met: 30 });
    const cards: Array<{ leads: number; first_touch_compliance_rate: number }> = await db.dataSource.query(
      `SELECT leads, first_touch_compliance_rate FROM bi.scorecard_daily_v1 WHERE dimension = 'segment' ORDER BY key`,
    );
    expect(cards.reduce((s, c) => s + c.leads, 0)).toBe(40);
    const out = await db.dataSource.query(`SELECT rep_id, miss_count FROM bi.reps_out_of_rotation_v1 ORDER BY rep_id`);
    expect(out).toEqual([{ rep_id: 'ava', miss_count: 2 }]);
    const [ben] = await db.dataSource.query(`SELECT in_rotation, changed_by FROM reporting.rep_rotation WHERE rep_id = 'ben'`);
    expect(ben).toEqual({ in_rotation: true, changed_by: 'mgr-a' });
  });

  it('leaves every projection unchanged when the same events are delivered twice (resent, and redelivered past the dedupe table)', async () => {
    const before = await snapshot(db.dataSource);
    // 1. The same events published again: new offsets, same event ids.
    await publisher.publish(stream, topic);
    await consumedUpTo(stream.length * 2);
    expect(await snapshot(db.dataSource)).toEqual(before);
    // 2. Redelivery straight into the projections: forget the offsets and the processed ids.
    await consumer.stop();
    await db.dataSource.query('UPDATE reporting.consumer_offsets SET next_offset = 0 WHERE group_id = $1', [groupId]);
    await db.dataSource.query('DELETE FROM reporting.processed_events');
    await startConsumer();
    await consumedUpTo(stream.length * 2);
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('rebuilds from offset 0 into shadow tables equal to the live ones row for row, and swaps them in', async () => {
    const before = await snapshot(db.dataSource);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const connect = async () => {
        const c = new Client({ connectionString: db.url });
        await c.connect();
        return c;
      };
      const result = await rebuildProjections({ kafka, db: client, connect, topic, liveGroup: groupId, chunk: 17 });
      expect(result.events).toBe(stream.length * 2);
      expect(result.differences).toEqual({
        lead_rows: 0, clock_instances: 0, breach_rows: 0, board_rows: 0, rep_rotation: 0, policy_versions: 0, scorecard_cells: 0, scorecard_held_cells: 0, scorecard_speed_cells: 0,
      });
      expect(result.swapped).toBe(true);
    } finally {
      await client.end();
    }
    expect(await snapshot(db.dataSource)).toEqual(before);
    const [shadow] = await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'reporting_rebuild'`);
    expect(shadow.n).toBe(0);
  });

  it('rebuilds a lead whose LeadCreated also sits on another partition (misplaced, then re-driven) with all its events', async () => {
    // As the log holds it after an integrator's wrong partitioner and the operator's re-drive: the misplaced copy
    // on the wrong partition, the same event (same id) on the lead's partition, then the platform's decisions.
    const misplacedTopic = await createTestTopic(kafka, 'reporting-misplaced', 3);
    const leads = Array.from({ length: 30 }, (_, i) => uniqueName(`misplaced-${i}`));
    const t0 = Date.parse('2026-03-02T09:00:00Z');
    const messages = leads.flatMap((id) => {
      const right = partitionForKey(id, 3);
      const created = ev('LeadCreated', id, t0, {
        source: 'webinar', segment: 'smb', territory: 'emea', intentTier: 'hot', vip: false, contact: { contactKey: `${id}@example.test`, email: `${id}@example.test` }, channels: ['phone'],
      });
      const assigned = ev('LeadAssigned', id, t0 + 1_000, {
        repId: 'ava', teamId: 'team-a', poolId: 'pool-a', ruleId: 'r1', reason: 'rule', reassignment: false, previousRepId: null, reassignmentCause: null, skipped: [], managerId: 'mgr-a', policyVersion: 'int-1',
      });
      const touched = ev('LeadTouched', id, t0 + 2_000, { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false });
      return [
        { partition: (right + 1) % 3, key: id, value: JSON.stringify(created) },
        ...[created, assigned, touched].map((e) => ({ partition: right, key: id, value: JSON.stringify(e) })),
      ];
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: misplacedTopic, acks: -1, messages });
    await producer.disconnect();
    const shadow = uniqueName('reporting_misplaced');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const connect = async () => {
        const c = new Client({ connectionString: db.url });
        await c.connect();
        return c;
      };
      await rebuildProjections({ kafka, db: client, connect, topic: misplacedTopic, liveGroup: uniqueName('no-live-consumer'), shadowSchema: shadow, dryRun: true });
      const rows: Array<{ lead_id: string; status: string }> = await db.dataSource.query(`SELECT lead_id, row->>'status' AS status FROM "${shadow}".lead_rows ORDER BY lead_id`);
      expect(rows).toEqual([...leads].sort().map((id) => ({ lead_id: id, status: 'working' })));
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${shadow}" CASCADE`);
      await client.end();
    }
  });

  it('lets the read-only BI role read the bi views and nothing else, and write nothing', async () => {
    const login = uniqueName('bi_reader').toLowerCase();
    await db.dataSource.query(`CREATE ROLE ${login} LOGIN PASSWORD 'test-only' IN ROLE lead_sla_bi`);
    const url = new URL(db.url);
    url.username = login;
    url.password = 'test-only';
    const bi = new Client({ connectionString: url.toString() });
    await bi.connect();
    const denied = async (sql: string) => {
      await expect(bi.query(sql)).rejects.toThrow(/permission denied/);
    };
    try {
      const views = await bi.query(`SELECT table_name FROM information_schema.views WHERE table_schema = 'bi' ORDER BY 1`);
      expect(views.rows.map((r) => r.table_name)).toEqual(['awaiting_first_touch_v1', 'breach_v1', 'lead_v1', 'mql_rejections_v1', 'policy_versions_v1', 'reps_out_of_rotation_v1', 'scorecard_daily_v1']);
      expect((await bi.query('SELECT count(*)::int AS n FROM bi.lead_v1')).rows[0].n).toBe(40);
      expect((await bi.query('SELECT count(*)::int AS n FROM bi.breach_v1')).rows[0].n).toBe(20);
      expect((await bi.query('SELECT count(*)::int AS n FROM bi.awaiting_first_touch_v1')).rows[0].n).toBe(10);
      expect((await bi.query('SELECT count(*)::int AS n FROM bi.mql_rejections_v1')).rows[0].n).toBe(0);
      expect((await bi.query('SELECT count(*)::int AS n FROM bi.policy_versions_v1')).rows[0].n).toBe(0);
      await bi.query('SELECT * FROM bi.scorecard_daily_v1 LIMIT 1');
      await denied('SELECT * FROM reporting.lead_rows LIMIT 1');
      await denied('SELECT * FROM reporting.consumer_offsets LIMIT 1');
      await denied(`UPDATE bi.lead_v1 SET status = 'x'`);
      await denied(`DELETE FROM bi.breach_v1`);
      await denied(`INSERT INTO bi.awaiting_first_touch_v1 (lead_id) VALUES ('x')`);
      await denied('CREATE TABLE bi.mine (x int)');
      await denied('CREATE VIEW bi.mine AS SELECT 1');
    } finally {
      await bi.end();
      await db.dataSource.query(`DROP ROLE ${login}`);
    }
  });

  it('rebuilds while the live consumer is behind the log: the swapped tables hold exactly what it had applied, and it goes on from there', async () => {
    // The live projection stops at the log's end; then 40 more leads arrive that it has not applied when the rebuild runs.
    await consumer.stop();
    const later = reportingStream(uniqueName('int-later'), 40);
    await publisher.publish(later, topic);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const connect = async () => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      return c;
    };
    try {
      const result = await rebuildProjections({ kafka, db: client, connect, topic, liveGroup: groupId, chunk: 17 });
      // Replayed to the live offsets, not to the log's end: equal to the live tables, compared row for row.
      expect(result.events).toBe(stream.length * 2);
      expect(Object.values(result.differences ?? { compared: -1 }).every((n) => n === 0)).toBe(true);
      expect(result.swapped).toBe(true);
    } finally {
      await client.end();
    }
    // The live consumer then applies the rest once, and a rebuild of the whole log equals what it built.
    await startConsumer();
    await consumedUpTo(stream.length * 2 + later.length);
    const check = new Client({ connectionString: db.url });
    await check.connect();
    const shadowSchema = uniqueName('reporting_check');
    try {
      const again = await rebuildProjections({ kafka, db: check, connect, topic, liveGroup: groupId, shadowSchema, dryRun: true });
      expect(again.events).toBe(stream.length * 2 + later.length);
      expect(again.differences).toEqual(Object.fromEntries(Object.keys(again.differences ?? {}).map((t) => [t, 0])));
      expect(Object.keys(again.differences ?? {})).toContain('board_rows');
    } finally {
      await check.query(`DROP SCHEMA IF EXISTS "${shadowSchema}" CASCADE`);
      await check.end();
    }
  });
});
