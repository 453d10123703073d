import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { freePort, migrateService, startService, type RunningService, type ServiceName } from '@lead-sla/local-infra';
import { EventPublisher, produceOnce, type KafkaClient } from '@lead-sla/messaging';
import { eventsOf, leadCreatedData, makeEvent, readTopic, requireEnv, testKafka, uniqueName, waitFor, withPg } from '@lead-sla/testing';

type Seen = ReturnType<typeof eventsOf>[number];

const policyFile = join(__dirname, '../testing/requalify-int.policy.yaml');

/**
 * The disposition and routing services as real processes on the test Kafka
 * and Postgres (routing, because "routed again" is its LeadAssigned with
 * reason "requalified"). The policy re-qualifies "nurture" after 0.0001
 * days (8.64 s) and "not_a_fit" on a new signal only.
 */
describe('disposition service on real Kafka and Postgres (with routing)', () => {
  let kafka: KafkaClient;
  let publisher: EventPublisher;
  let env: NodeJS.ProcessEnv;
  let logDir: string;
  const running = new Map<ServiceName, RunningService>();

  async function start(name: ServiceName): Promise<RunningService> {
    const service = await startService({ name, port: await freePort() }, env, logDir);
    running.set(name, service);
    return service;
  }

  /** Reads the log until an event matching `match` is on it; fails naming `what` otherwise. */
  async function eventOnLog(what: string, match: (e: Seen) => boolean, timeoutMs = 45_000): Promise<Seen> {
    const read = await readTopic(kafka, Topics.leadEvents, (ms) => eventsOf(ms).some(match), timeoutMs);
    const found = eventsOf(read).find(match);
    if (!found) throw new Error(`no ${what} on ${Topics.leadEvents} within ${timeoutMs} ms`);
    return found;
  }

  async function allEvents(leadIds: readonly string[]): Promise<Seen[]> {
    return eventsOf(await readTopic(kafka, Topics.leadEvents, () => false, 3000)).filter((e) => e.leadId !== null && leadIds.includes(e.leadId));
  }

  /** A lead created and assigned by routing, with the disposition service knowing its owner. */
  async function assignedLead(contactKey: string): Promise<{ leadId: string; owner: string }> {
    const leadId = uniqueName('lead');
    await publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ contact: { contactKey }, territory: 'emea', intentTier: 'warm' }))]);
    const assigned = await eventOnLog(`LeadAssigned for ${leadId}`, (e) => e.type === 'LeadAssigned' && e.leadId === leadId);
    const owner = assigned.data.repId as string;
    await waitFor(
      () =>
        withPg(async (pg) => {
          const r = await pg.query(
            `SELECT c.state -> 'leads' -> $1 ->> 'ownerRepId' AS owner FROM disposition.lead_contacts l JOIN disposition.contacts c USING (contact_key) WHERE l.lead_id = $1`,
            [leadId],
          );
          return r.rows[0]?.owner === owner;
        }),
      `the disposition service to record ${owner} as the owner of ${leadId}`,
    );
    return { leadId, owner };
  }

  /** A close-out with the reason and the next step every closing code needs. */
  function disposition(leadId: string, repId: string, code: string, reason = 'the reason the rep gave') {
    return makeEvent('LeadDispositioned', leadId, { repId, code, reason, nextStep: 'the next step the rep named' });
  }

  beforeAll(async () => {
    kafka = testKafka();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const runDir = process.env.LEAD_SLA_TEST_RUN_DIR ?? join(__dirname, '../../../../.cache/test-runs/adhoc');
    logDir = join(runDir, 'logs', uniqueName('disposition-int'));
    env = {
      ...process.env,
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      DATABASE_URL: requireEnv('DATABASE_URL'),
      POLICY_FILE: policyFile,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      LOG_LEVEL: 'info',
    };
    migrateService('routing', env);
    migrateService('disposition', env);
    await Promise.all([start('routing'), start('disposition')]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.stop()));
    await publisher?.disconnect();
  });

  it('re-qualifies a recycled lead when its nurture delay passes — also across a restart, in the trace of the close-out — and routing routes it again', async () => {
    const { leadId, owner } = await assignedLead(uniqueName('contact'));
    const dispositioned = disposition(leadId, owner, 'nurture', 'asked to talk next quarter');
    // As a CRM publishes it: with its own W3C trace context in the headers.
    const traceId = randomBytes(16).toString('hex');
    await produceOnce(kafka, Topics.leadEvents, [{ key: leadId, value: JSON.stringify(dispositioned), headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } }]);

    const recycled = await eventOnLog('LeadRecycled', (e) => e.type === 'LeadRecycled' && e.leadId === leadId);
    expect(recycled.causationId).toBe(dispositioned.eventId);
    expect(recycled.data).toMatchObject({ previousRepId: owner, code: 'nurture', nurtureTrack: 'nurture', trigger: 'time_or_signal' });
    const requalifyAt = Date.parse(recycled.data.requalifyAt as string);

    // The due time is a row: stop the service before it passes, start it again after.
    await running.get('disposition')!.stop();
    await new Promise((r) => setTimeout(r, Math.max(0, requalifyAt - Date.now() + 500)));
    await start('disposition');

    const requalified = await eventOnLog('LeadRequalified', (e) => e.type === 'LeadRequalified' && e.leadId === leadId, 30_000);
    expect(requalified.data).toEqual({ trigger: 'time', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'disposition-int-1' });
    expect(requalified.causationId).toBe(recycled.eventId);
    // Scheduled work continues the trace of the event that caused it (the time trigger fired after a restart).
    const onLog = await readTopic(kafka, Topics.leadEvents, (ms) => ms.some((m) => m.value.includes(requalified.eventId)));
    const traceparent = onLog.find((m) => (JSON.parse(m.value) as { eventId: string }).eventId === requalified.eventId)?.headers.traceparent;
    expect(traceparent?.split('-')[1]).toBe(traceId);

    const routedAgain = await eventOnLog(
      'a LeadAssigned with reason "requalified" (routing)',
      (e) => e.type === 'LeadAssigned' && e.leadId === leadId && e.data.reason === 'requalified',
    );
    expect(routedAgain.data.reassignment === true || routedAgain.data.reassignment === false).toBe(true);

    const events = await allEvents([leadId]);
    expect(events.filter((e) => e.type === 'LeadRequalified')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'LeadStageChanged').map((e) => `${e.data.from}→${e.data.to}`)).toEqual(['inquiry→mql', 'mql→inquiry', 'inquiry→mql']);
    const rows = await withPg((pg) => pg.query('SELECT status FROM disposition.requalify_due WHERE lead_id = $1', [leadId]));
    expect(rows.rows).toEqual([{ status: 'done' }]);
  });

  it('re-qualifies a recycled lead when a new LeadCreated for the same contact arrives, and routing routes it again', async () => {
    const contactKey = uniqueName('contact');
    const { leadId, owner } = await assignedLead(contactKey);
    await publisher.publish([disposition(leadId, owner, 'not_a_fit', 'wrong segment for now')]);
    await eventOnLog('LeadRecycled', (e) => e.type === 'LeadRecycled' && e.leadId === leadId);

    const signalLead = uniqueName('lead-signal');
    const signal = makeEvent('LeadCreated', signalLead, leadCreatedData({ contact: { contactKey }, territory: 'emea', intentTier: 'warm' }));
    await publisher.publish([signal]);

    const requalified = await eventOnLog('LeadRequalified', (e) => e.type === 'LeadRequalified' && e.leadId === leadId);
    expect(requalified.data).toEqual({ trigger: 'signal', nurtureTrack: 'long-term-nurture', signalEventId: signal.eventId, policyVersion: 'disposition-int-1' });
    expect(requalified.causationId).toBe(signal.eventId);
    await eventOnLog(
      'a LeadAssigned with reason "requalified" (routing)',
      (e) => e.type === 'LeadAssigned' && e.leadId === leadId && e.data.reason === 'requalified',
    );
  });

  it('publishes an HTTP disposition once per Idempotency-Key and applies it once', async () => {
    const { leadId, owner } = await assignedLead(uniqueName('contact'));
    const send = async () => {
      const res = await fetch(`${running.get('disposition')!.url}/api/leads/${leadId}/dispositions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'crm-retry-1' },
        body: JSON.stringify({ repId: owner, code: 'not_a_fit', reason: 'student, not a buyer', nextStep: 'back to marketing' }),
      });
      return { status: res.status, body: (await res.json()) as { eventId: string } };
    };
    const first = await send();
    const retried = await send();
    expect(first.status).toBe(202);
    expect(retried).toEqual(first);

    await eventOnLog('LeadRecycled', (e) => e.type === 'LeadRecycled' && e.leadId === leadId);
    const events = await allEvents([leadId]);
    // The retry found the first request's event already published: nothing was published twice.
    expect(events.filter((e) => e.type === 'LeadDispositioned').map((e) => e.eventId)).toEqual([first.body.eventId]);
    expect(events.filter((e) => e.type === 'LeadRecycled')).toHaveLength(1);
  });

  it('answers SAL requests over HTTP with the verdict the log then records: 422 for an unknown reason code, 202, then 409 for a second acceptance', async () => {
    const { leadId, owner } = await assignedLead(uniqueName('contact'));
    const send = async (action: 'accept' | 'reject', body: unknown) => {
      const res = await fetch(`${running.get('disposition')!.url}/api/leads/${leadId}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { eventId?: string; problems?: string[] } };
    };
    const unknownReason = await send('reject', { repId: owner, reasonCode: 'meh' });
    expect(unknownReason).toMatchObject({ status: 422, body: { problems: ['unknown reject reason "meh"; the policy\'s reasons: other'] } });
    const refused = await eventOnLog('SalDecisionRefused (invalid)', (e) => e.type === 'SalDecisionRefused' && e.leadId === leadId);
    expect(refused.data).toMatchObject({ kind: 'invalid', requestEventId: unknownReason.body.eventId });

    expect((await send('accept', { repId: owner })).status).toBe(202);
    await eventOnLog('SalDecisionRecorded (accepted)', (e) => e.type === 'SalDecisionRecorded' && e.leadId === leadId && e.data.decision === 'accepted');
    await eventOnLog('LeadStageChanged to SAL', (e) => e.type === 'LeadStageChanged' && e.leadId === leadId && e.data.to === 'sal');
    expect(await send('accept', { repId: owner })).toMatchObject({ status: 409, body: { problems: [`lead "${leadId}" is at stage sal: only an MQL can be accepted`] } });
  });

  it('suppresses a new lead of a Do-Not-Contact contact on arrival and routing never assigns it', async () => {
    const contactKey = uniqueName('contact');
    const { leadId, owner } = await assignedLead(contactKey);
    await publisher.publish([disposition(leadId, owner, 'do_not_contact')]);
    await eventOnLog('LeadSuppressed for the dispositioned lead', (e) => e.type === 'LeadSuppressed' && e.leadId === leadId);

    const again = uniqueName('lead-again');
    await publisher.publish([makeEvent('LeadCreated', again, leadCreatedData({ contact: { contactKey }, territory: 'emea', intentTier: 'hot' }))]);
    const suppressed = await eventOnLog('LeadSuppressed for the new lead', (e) => e.type === 'LeadSuppressed' && e.leadId === again);
    expect(suppressed.data).toMatchObject({ cause: 'disposition', code: 'do_not_contact', policyVersion: 'disposition-int-1' });

    // Give routing time to have routed it, had it been going to.
    await new Promise((r) => setTimeout(r, 5000));
    const events = await allEvents([again]);
    expect(events.filter((e) => e.type === 'LeadAssigned')).toEqual([]);
    expect(events.filter((e) => e.type === 'LeadStageChanged')).toEqual([]);
  });
});
