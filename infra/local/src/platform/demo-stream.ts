import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Topics, type EventData, type EventType } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { EventPublisher } from '@lead-sla/messaging';
import { demoLeadPlan, type DemoLeadPlan } from './demo-plan';

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
 * a reply and an acceptance for some). A new owner (reassignment) starts the
 * plan again; the previous owner's pending steps are dropped.
 */
export async function runDemoStream(kafka: Kafka, options: DemoOptions): Promise<() => Promise<void>> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const consumer = kafka.consumer({ groupId: `demo-dialer-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.leadEvents, fromBeginning: false });
  const plans = new Map<string, DemoLeadPlan>();
  const pending = new Map<string, Set<NodeJS.Timeout>>();
  let stopped = false;

  const cancel = (leadId: string) => {
    pending.get(leadId)?.forEach(clearTimeout);
    pending.delete(leadId);
  };
  const accept = async (leadId: string, repId: string) => {
    const response = await fetch(`${options.dispositionUrl}/api/leads/${leadId}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-accept-${leadId}` },
      body: JSON.stringify({ repId }),
    });
    options.log(`demo: ${repId} accepted ${leadId} (${response.status})`);
  };

  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.['event-type']?.toString() !== 'LeadAssigned' || !message.value) return;
      const event = JSON.parse(message.value.toString()) as { leadId: string; data: EventData<'LeadAssigned'> };
      const plan = plans.get(event.leadId);
      if (!plan) return;
      cancel(event.leadId);
      const repId = event.data.repId;
      const timers = new Set<NodeJS.Timeout>();
      pending.set(event.leadId, timers);
      for (const step of plan.steps) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (stopped) return;
          if (step.kind === 'accept') {
            void accept(event.leadId, repId).catch((error: Error) => options.log(`demo: accepting ${event.leadId} failed: ${error.message}`));
            return;
          }
          void publisher.publish([envelope('LeadTouched', event.leadId, { repId, ...step.touch })]);
          const what = step.touch.direction === 'inbound' ? 'replied to' : `touched (${step.touch.channel}, ${step.touch.outcome})`;
          options.log(`demo: ${step.touch.direction === 'inbound' ? `${event.leadId} ${what} ${repId}` : `${repId} ${what} ${event.leadId}`}`);
        }, step.afterSeconds * 1000);
        timers.add(t);
      }
    },
  });
  void (async () => {
    for (let i = 0; i < options.leads && !stopped; i++) {
      const leadId = `demo-${randomUUID().slice(0, 8)}`;
      const plan = demoLeadPlan(i, Math.random, `demo-${randomUUID().slice(0, 6)}@example.invalid`);
      plans.set(leadId, plan);
      await publisher.publish([envelope('LeadCreated', leadId, plan.created)]);
      const notes = [plan.lateFirstTouch ? 'first touch after the warning' : 'prompt first touch', plan.replies ? 'will reply' : 'no reply'];
      options.log(`demo: lead ${leadId} created (${notes.join(', ')})`);
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
    options.log('demo: all demo leads published');
  })();
  return async () => {
    stopped = true;
    [...pending.keys()].forEach(cancel);
    await consumer.disconnect();
    await publisher.disconnect();
  };
}
