import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Topics, type EventData, type EventType } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { EventPublisher } from '@lead-sla/messaging';

const SOURCES = ['webinar', 'demo-request', 'content-download', 'event-scan'];
const TERRITORIES = ['emea', 'emea', 'na', 'latam'];
const SEGMENTS = ['smb', 'mid-market', 'enterprise'];
const TIERS = ['hot', 'warm', 'cold'] as const;

export interface DemoOptions {
  readonly leads: number;
  readonly intervalMs: number;
  /** Share of leads whose owner touches them in time (the rest breach). */
  readonly touchedShare: number;
  readonly log: (line: string) => void;
}

function envelope<T extends EventType>(type: T, leadId: string, data: EventData<T>) {
  const now = new Date();
  return buildEvent({ type, eventId: randomUUID(), occurredAt: now, recordedAt: now, leadId, correlationId: leadId, causationId: null, data });
}

/**
 * A small demo stream, as a CRM and a dialer would publish it: leads arrive;
 * for most of them the assigned owner logs a personal call within the
 * first-touch clock, the rest are left untouched and breach.
 */
export async function runDemoStream(kafka: Kafka, options: DemoOptions): Promise<() => Promise<void>> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const consumer = kafka.consumer({ groupId: `demo-dialer-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.leadEvents, fromBeginning: false });
  const ours = new Map<string, boolean>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.['event-type']?.toString() !== 'LeadAssigned' || !message.value) return;
      const event = JSON.parse(message.value.toString());
      if (!ours.get(event.leadId) || event.data.reassignment) return;
      // The owner calls back after a few seconds: well inside the first-touch clock.
      const t = setTimeout(() => {
        timers.delete(t);
        if (stopped) return;
        void publisher.publish([envelope('LeadTouched', event.leadId, { repId: event.data.repId, channel: 'phone', direction: 'outbound', personal: true, automated: false, outcome: 'connected' })]);
        options.log(`demo: ${event.data.repId} called ${event.leadId}`);
      }, 3000 + Math.random() * 5000);
      timers.add(t);
    },
  });
  void (async () => {
    for (let i = 0; i < options.leads && !stopped; i++) {
      const leadId = `demo-${randomUUID().slice(0, 8)}`;
      const touched = Math.random() < options.touchedShare;
      ours.set(leadId, touched);
      const n = randomUUID().slice(0, 6);
      await publisher.publish([
        envelope('LeadCreated', leadId, {
          source: SOURCES[i % SOURCES.length],
          territory: TERRITORIES[i % TERRITORIES.length],
          segment: SEGMENTS[i % SEGMENTS.length],
          intentTier: TIERS[i % TIERS.length],
          vip: i % 10 === 9,
          contact: { contactKey: `demo-${n}@example.invalid`, email: `demo-${n}@example.invalid`, phone: '+1 555 0100' },
          channels: ['phone', 'email'],
        }),
      ]);
      options.log(`demo: lead ${leadId} created (${touched ? 'will be touched' : 'will be left untouched'})`);
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
    options.log('demo: all demo leads published');
  })();
  return async () => {
    stopped = true;
    timers.forEach(clearTimeout);
    await consumer.disconnect();
    await publisher.disconnect();
  };
}
