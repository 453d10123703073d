import { randomUUID } from 'node:crypto';
import { Topics, type EventData, type EventType } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { EventPublisher, tailLog, type KafkaClient, type LogRecord } from '@lead-sla/messaging';
import { DEMO_CAST, demoLeadPlan, type DemoLeadPlan, type DemoStep } from './demo-plan';

export interface DemoOptions {
  readonly leads: number;
  readonly intervalMs: number;
  /** The disposition service, where owners accept leads as people do (POST /api/leads/:id/accept). */
  readonly dispositionUrl: string;
  readonly log: (line: string) => void;
}

function envelope<T extends EventType>(type: T, leadId: string, data: EventData<T>) {
  const now = new Date();
  return buildEvent({ type, eventId: randomUUID(), occurredAt: now, recordedAt: now, leadId, correlationId: leadId, causationId: null, data });
}

/**
 * A demo stream, as a CRM, a dialer, a mailbox and the reps would publish
 * it: leads arrive, and when routing assigns one, its owner follows the
 * lead's plan (demo-plan.ts: two touches on two channels inside the clocks,
 * an acceptance, a reply for some). A new owner (reassignment) starts the
 * plan again; the previous owner's pending steps are dropped. The idle rep
 * (DEMO_CAST) does nothing, and the partners' rep is marked away at start.
 *
 * On stop (Ctrl-C) the owners finish their open work at once: the local
 * database is kept between runs and the calendars are always on, so a clock
 * left open would breach the moment the platform starts again and take
 * diligent reps out of rotation.
 */
export async function runDemoStream(kafka: KafkaClient, options: DemoOptions): Promise<() => Promise<void>> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const plans = new Map<string, DemoLeadPlan>();
  /** Per assigned lead: its owner, the steps not run yet and their timers. */
  const work = new Map<string, { repId: string; left: DemoStep[]; timers: Set<NodeJS.Timeout> }>();
  let stopping = false;

  const accept = async (leadId: string, repId: string) => {
    const response = await fetch(`${options.dispositionUrl}/api/leads/${leadId}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-accept-${leadId}` },
      body: JSON.stringify({ repId }),
    });
    options.log(`demo: ${repId} accepted ${leadId} (${response.status})`);
  };
  const run = async (leadId: string, repId: string, step: DemoStep) => {
    if (step.kind === 'accept') {
      await accept(leadId, repId).catch((error: Error) => options.log(`demo: accepting ${leadId} failed: ${error.message}`));
      return;
    }
    await publisher.publish([envelope('LeadTouched', leadId, { repId, ...step.touch })]);
    const t = step.touch;
    options.log(t.direction === 'inbound' ? `demo: ${leadId} replied to ${repId}` : `demo: ${repId} touched (${t.channel}, ${t.outcome}) ${leadId}`);
  };

  const onAssigned = (message: LogRecord) => {
    if (message.headers['event-type'] !== 'LeadAssigned' || !message.value) return;
    const event = JSON.parse(message.value.toString()) as { leadId: string; data: EventData<'LeadAssigned'> };
    const plan = plans.get(event.leadId);
    if (!plan) return;
    work.get(event.leadId)?.timers.forEach(clearTimeout);
    const lead = { repId: event.data.repId, left: [...plan.steps], timers: new Set<NodeJS.Timeout>() };
    work.set(event.leadId, lead);
    if (stopping) return; // the stop finishes it
    if (lead.repId === DEMO_CAST.idleRep) {
      lead.left = [];
      options.log(`demo: ${lead.repId} lets ${event.leadId} slide (the demo's idle rep)`);
      return;
    }
    for (const step of plan.steps) {
      const t = setTimeout(() => {
        lead.timers.delete(t);
        lead.left = lead.left.filter((s) => s !== step);
        void run(event.leadId, lead.repId, step);
      }, step.afterSeconds * 1000);
      lead.timers.add(t);
    }
  };
  const consumer = await tailLog(kafka, { topics: [Topics.leadEvents], groupId: `demo-dialer-${randomUUID().slice(0, 8)}`, fromBeginning: false, maxWaitTimeMs: 100 }, ({ records }) => records.forEach(onAssigned));
  // The partners' only rep is away, as an HR system would say: partner referrals wait in the unassigned queue.
  await publisher.publish([
    buildEvent({
      type: 'RepAvailabilityChanged', eventId: randomUUID(), occurredAt: new Date(), recordedAt: new Date(), leadId: null,
      correlationId: `demo-away-${DEMO_CAST.awayRep}`, causationId: null, data: { repId: DEMO_CAST.awayRep, status: 'unavailable', actor: null },
    }),
  ]);
  options.log(`demo: ${DEMO_CAST.awayRep} is away: ${DEMO_CAST.queuedSource} leads wait in the unassigned queue`);
  void (async () => {
    for (let i = 0; i < options.leads && !stopping; i++) {
      const leadId = `demo-${randomUUID().slice(0, 8)}`;
      const plan = demoLeadPlan(i, Math.random, `demo-${randomUUID().slice(0, 6)}@example.invalid`);
      plans.set(leadId, plan);
      await publisher.publish([envelope('LeadCreated', leadId, plan.created)]);
      const notes = [plan.lateFirstTouch ? 'first touch after the warning' : 'prompt first touch', plan.replies ? 'will reply' : 'no reply'];
      options.log(`demo: lead ${leadId} created (${notes.join(', ')})`);
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
    if (!stopping) options.log('demo: all demo leads published');
  })();
  return async () => {
    stopping = true;
    // The demo stops first (then the services, then Kafka and Postgres): finish the open work in one batch.
    for (let waited = 0; waited < 1000 && [...plans.keys()].some((id) => !work.has(id)); waited += 100) await new Promise((r) => setTimeout(r, 100));
    const open = [...work].filter(([, lead]) => lead.left.length > 0);
    open.forEach(([, lead]) => lead.timers.forEach(clearTimeout));
    if (open.length > 0) {
      options.log(`demo: the owners finish their open work on ${open.length} leads before stopping`);
      const touches = open.flatMap(([leadId, lead]) => lead.left.flatMap((step) => (step.kind === 'touch' ? [envelope('LeadTouched', leadId, { repId: lead.repId, ...step.touch })] : [])));
      await publisher.publish(touches).catch((error: Error) => options.log(`demo: finishing the open touches failed: ${error.message}`));
      await Promise.all(open.flatMap(([leadId, lead]) => lead.left.filter((step) => step.kind === 'accept').map((step) => run(leadId, lead.repId, step))));
    }
    await consumer.stop();
    await publisher.disconnect();
  };
}
