import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { partitionKeyOf, Topics, type EventType } from '@lead-sla/contracts';
import { freePort, migrateService, startService, type RunningService } from '@lead-sla/local-infra';
import { ensureTopics, EventPublisher, produceOnce, tailLog, type LogTail } from '@lead-sla/messaging';
import { makeEvent, publishTestPolicy, requireEnv, testKafka, uniqueName, waitFor, withPg } from '@lead-sla/testing';

const policyFile = join(__dirname, '../testing/timer-int.policy.yaml');
/** The policy's first-touch clock: 0.2 coverage minutes on an always-on calendar. */
const FIRST_TOUCH_MS = 12_000;

interface Seen {
  readonly type: EventType;
  readonly eventId: string;
  readonly leadId: string;
  readonly data: Record<string, unknown>;
  readonly traceparent: string | undefined;
}

/** Every lead event of the test's leads, read as it is published. */
async function collect(leadIds: Set<string>): Promise<{ seen: Seen[]; consumer: LogTail }> {
  const seen: Seen[] = [];
  // Topics must exist before subscribing (KRaft answers "does not host this topic-partition" otherwise).
  await ensureTopics(testKafka(), [{ topic: Topics.leadEvents, numPartitions: 3 }]);
  const consumer = await tailLog(testKafka(), { topics: [Topics.leadEvents], groupId: uniqueName('timer-int-reader') }, ({ records }) => {
    for (const message of records) {
      const e = JSON.parse(message.value?.toString('utf8') ?? '{}') as Seen;
      if (leadIds.has(e.leadId)) seen.push({ ...e, traceparent: message.headers.traceparent });
    }
  });
  return { seen, consumer };
}

/** The version this spec publishes on the shared log (publishTestPolicy): the timer decides under it. */
let policyVersion = '';

const assignedTo = (leadId: string, repId: string) =>
  makeEvent('LeadAssigned', leadId, {
    repId, teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'rule', reassignment: false, previousRepId: null,
    reassignmentCause: null, skipped: [], managerId: 'mgr-emea', policyVersion,
  });

const count = (seen: readonly Seen[], type: EventType, leadId: string) => seen.filter((e) => e.type === type && e.leadId === leadId).length;

describe('timer service on real Kafka and Postgres', () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    DATABASE_URL: requireEnv('DATABASE_URL'),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    LOG_LEVEL: 'info',
  };
  // Kept after the run (the run directory is removed): the services' logs explain a failure.
  const logDir = join(__dirname, '../../../../.cache/timer-int-logs', uniqueName('run'));
  const running: RunningService[] = [];
  const leads = new Set<string>();
  let publisher: EventPublisher;
  let reader: { seen: Seen[]; consumer: LogTail };

  const start = async (instance: string) => {
    const s = await startService({ name: 'timer', port: await freePort(), instance }, env, logDir);
    running.push(s);
    return s;
  };
  /** The consumer has joined and applies events: a probe lead's clock starts. */
  const consuming = async () => {
    const [probe] = newLeads('probe', 1);
    await publisher.publish([assignedTo(probe, 'ava')]);
    await waitFor(() => count(reader.seen, 'SlaClockStarted', probe) > 0, 'the timer to consume (consumer group joined)', 90_000);
  };
  const newLeads = (prefix: string, n: number) => {
    const ids = Array.from({ length: n }, (_, i) => uniqueName(`${prefix}-${i}`));
    for (const id of ids) leads.add(id);
    return ids;
  };

  beforeAll(async () => {
    const policy = await publishTestPolicy(testKafka(), policyFile, 'timer-int');
    policyVersion = policy.version;
    env.POLICY_FILE = policy.file;
    migrateService('timer', env);
    publisher = new EventPublisher(testKafka());
    await publisher.connect();
    reader = await collect(leads);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop('SIGKILL')));
    await reader?.consumer.stop();
    await publisher?.disconnect();
  });

  it('fires every overdue deadline exactly once after the service is killed with deadlines pending and restarted', async () => {
    const first = await start('a');
    await consuming();
    const ids = newLeads('restart', 20);
    await publisher.publish(ids.map((id) => assignedTo(id, 'ava')));
    await waitFor(
      () => withPg(async (pg) => (await pg.query(`SELECT count(*)::int AS n FROM timer.deadlines WHERE lead_id = ANY($1) AND clock = 'first_touch' AND kind = 'breach'`, [ids])).rows[0].n === 20),
      'the 20 first-touch deadline rows to be committed',
    );
    await first.stop('SIGKILL');
    const pending = await withPg((pg) => pg.query(`SELECT count(*)::int AS n FROM timer.deadlines WHERE lead_id = ANY($1) AND clock = 'first_touch' AND status = 'pending'`, [ids]));
    expect(pending.rows[0].n).toBe(20);
    // Let every deadline pass while the service is down.
    await new Promise((r) => setTimeout(r, FIRST_TOUCH_MS + 6_000));
    expect(ids.every((id) => count(reader.seen, 'SlaBreached', id) === 0)).toBe(true);

    const restartedAt = Date.now();
    const restarted = await start('a-restarted');
    await waitFor(() => ids.every((id) => count(reader.seen, 'SlaBreached', id) >= 1), 'a breach per lead after the restart', 60_000);
    const firstFireS = (Date.now() - restartedAt) / 1000;
    // Give a second firing (if there were one) time to show up.
    await new Promise((r) => setTimeout(r, 4000));
    for (const id of ids) {
      expect(count(reader.seen, 'SlaBreached', id)).toBe(1);
      expect(count(reader.seen, 'SlaEscalated', id)).toBe(1);
    }
    const rows = await withPg((pg) => pg.query(`SELECT status, count(*)::int AS n FROM timer.deadlines WHERE lead_id = ANY($1) AND clock = 'first_touch' GROUP BY status`, [ids]));
    expect(rows.rows).toEqual([{ status: 'fired', n: 40 }]); // 20 breaches + 20 ladder steps
    // The SLA metrics: every fired row's delay observed under its clock; the pending gauge read at scrape time.
    const metrics = await (await fetch(`${restarted.url}/metrics`)).text();
    const fired = Number(/^lead_sla_breach_fire_delay_seconds_count\{[^}]*clock="first_touch"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    expect(fired).toBeGreaterThanOrEqual(40);
    expect(metrics).toMatch(/^lead_sla_pending_deadlines(\{[^}]*\})? \d+/m);
    process.stderr.write(`[timer int] all 20 overdue breaches published ${firstFireS.toFixed(1)} s after the restart began (process start included)\n`);
  }, 180_000);

  describe('with two instances sharing the partitions', () => {
    beforeAll(async () => {
      await Promise.all(running.map((s) => s.stop('SIGTERM')));
      running.length = 0;
      await start('one');
      await start('two');
      await consuming();
    }, 180_000);

    it('breaches each untouched lead once, cancels the deadline of a lead its owner touched in time, and ignores a touch by someone else', async () => {
      const untouched = newLeads('two-untouched', 30);
      const [ownTouch, otherTouch] = newLeads('two-touch', 2);
      await publisher.publish([...untouched, ownTouch, otherTouch].map((id) => assignedTo(id, 'ava')));
      await waitFor(() => count(reader.seen, 'SlaClockStarted', ownTouch) > 0 && count(reader.seen, 'SlaClockStarted', otherTouch) > 0, 'the clocks to start');
      const touch = (leadId: string, repId: string) => makeEvent('LeadTouched', leadId, { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false });
      await publisher.publish([touch(ownTouch, 'ava'), touch(otherTouch, 'ben')]);

      await waitFor(() => [...untouched, otherTouch].every((id) => count(reader.seen, 'SlaBreached', id) >= 1), 'a breach per untouched lead', 60_000);
      await new Promise((r) => setTimeout(r, 5000));
      for (const id of untouched) {
        expect(count(reader.seen, 'SlaBreached', id)).toBe(1);
        expect(count(reader.seen, 'SlaEscalated', id)).toBe(1);
      }
      const otherBreach = reader.seen.find((e) => e.type === 'SlaBreached' && e.leadId === otherTouch);
      expect(otherBreach?.data).toMatchObject({ clock: 'first_touch', ownerRepId: 'ava', policyVersion, math: { coverageMinutes: 0.2, calendarId: 'always-on' } });
      expect(count(reader.seen, 'SlaBreached', ownTouch)).toBe(0);
      expect(reader.seen.find((e) => e.type === 'SlaClockStopped' && e.leadId === ownTouch && e.data.clock === 'first_touch')?.data).toMatchObject({ outcome: 'met' });
      // Both instances took part: each holds a share of the partitions.
      const lastAssignment = (s: RunningService) =>
        readFileSync(s.logFile, 'utf8').split('\n').filter((l) => l.includes('deadline partitions assigned')).map((l) => JSON.parse(l).partitions as number[]).pop();
      expect(running.map((s) => lastAssignment(s)?.length ?? 0).sort()).toEqual([1, 2]);
      const cancelled = await withPg((pg) => pg.query(`SELECT status FROM timer.deadlines WHERE lead_id = $1 AND clock = 'first_touch'`, [ownTouch]));
      expect(cancelled.rows).toEqual([{ status: 'cancelled' }]);
    }, 180_000);

    it('publishes a breach in the trace of the assignment that started its clock', async () => {
      const [leadId] = newLeads('traced', 1);
      const traceId = randomBytes(16).toString('hex');
      const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
      // As an outside system publishes it: with its own W3C trace context in the headers.
      const assignment = assignedTo(leadId, 'ava');
      await produceOnce(testKafka(), Topics.leadEvents, [{ key: partitionKeyOf(assignment), value: JSON.stringify(assignment), headers: { traceparent } }]);

      const breach = await waitFor(() => reader.seen.find((e) => e.type === 'SlaBreached' && e.leadId === leadId), 'the breach of the traced lead', 60_000);
      const started = reader.seen.find((e) => e.type === 'SlaClockStarted' && e.leadId === leadId && e.data.clock === 'first_touch');
      const traceOf = (header: string | undefined) => header?.split('-')[1];
      expect(traceOf(started?.traceparent)).toBe(traceId);
      expect(traceOf(breach.traceparent)).toBe(traceId);
      const stored = await withPg((pg) => pg.query(`SELECT trace_context->>'traceparent' AS traceparent FROM timer.deadlines WHERE lead_id = $1 AND kind = 'breach'`, [leadId]));
      expect(traceOf(stored.rows[0].traceparent)).toBe(traceId);
    }, 120_000);
  });

  describe('with the timer lagging behind the log', () => {
    let lagging: RunningService;
    beforeAll(async () => {
      await Promise.all(running.map((s) => s.stop('SIGTERM')));
      running.length = 0;
      lagging = await start('lagging');
      await consuming();
    }, 180_000);

    it('does not breach a lead whose owner touched it before the deadline while the timer was paused, and breaches an untouched one', async () => {
      const [touched, control] = newLeads('lag', 2);
      await publisher.publish([assignedTo(touched, 'ava'), assignedTo(control, 'ava')]);
      await waitFor(() => count(reader.seen, 'SlaClockStarted', touched) > 0 && count(reader.seen, 'SlaClockStarted', control) > 0, 'the timer to apply both assignments');
      const due = await withPg(async (pg) =>
        (await pg.query(`SELECT max(due_at) AS due FROM timer.deadlines WHERE lead_id = ANY($1) AND clock = 'first_touch' AND kind = 'breach'`, [[touched, control]])).rows[0].due as Date,
      );
      // Paused (not killed): its in-memory timers are still armed and fire the moment it resumes, before it consumes the touch.
      process.kill(lagging.process.pid ?? 0, 'SIGSTOP');
      const touchedAt = new Date();
      await publisher.publish([makeEvent('LeadTouched', touched, { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false })]);
      expect(touchedAt.getTime()).toBeLessThan(due.getTime());
      await new Promise((r) => setTimeout(r, Math.max(0, due.getTime() - Date.now()) + 3_000));
      const resumedAt = new Date();
      process.kill(lagging.process.pid ?? 0, 'SIGCONT');

      await waitFor(() => count(reader.seen, 'SlaBreached', control) >= 1, 'the untouched control lead to breach', 60_000);
      // Give a late breach (if there were one) time to show up.
      await new Promise((r) => setTimeout(r, 4_000));
      expect(count(reader.seen, 'SlaBreached', touched)).toBe(0);
      await waitFor(() => reader.seen.some((e) => e.type === 'SlaClockStopped' && e.leadId === touched && e.data.clock === 'first_touch'), 'the touched lead\'s first-touch clock to stop', 60_000);
      expect(reader.seen.find((e) => e.type === 'SlaClockStopped' && e.leadId === touched && e.data.clock === 'first_touch')?.data).toMatchObject({ outcome: 'met' });
      expect(count(reader.seen, 'SlaBreached', control)).toBe(1);
      const metrics = await (await fetch(`${lagging.url}/metrics`)).text();
      const waited = Number(/^lead_sla_breach_watermark_delay_seconds_count(\{[^}]*\})? (\d+)/m.exec(metrics)?.[2] ?? 0);
      expect(waited).toBeGreaterThanOrEqual(1);
      process.stderr.write(
        `[timer int] lag: timer paused (SIGSTOP) with first-touch deadlines due ${due.toISOString()}; injected the owner's touch of ${touched} at ${touchedAt.toISOString()} (before the deadline); ` +
          `resumed (SIGCONT) at ${resumedAt.toISOString()}; checked: ${touched} not breached (clock stopped "met"), control ${control} breached once, watermark delay observed ${waited} time(s)\n`,
      );
    }, 180_000);
  });
});
