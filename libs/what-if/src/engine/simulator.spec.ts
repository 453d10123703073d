import { buildEvent } from '@lead-sla/decider';
import { deterministicId, type EventData, type EventType, type LeadEvent } from '@lead-sla/contracts';
import { monthPolicy } from '../testing/month.fixture';
import { Simulator } from './simulator';

const policy = monthPolicy('month-baseline');
const T0 = Date.parse('2026-10-05T09:00:00.000Z');
const MIN = 60_000;

function fact<T extends EventType>(type: T, at: number, leadId: string | null, data: EventData<T>): LeadEvent {
  const iso = new Date(at).toISOString();
  const eventId = deterministicId('simulator spec', type, leadId ?? '', iso);
  return buildEvent({ type, eventId, occurredAt: iso, recordedAt: iso, leadId, correlationId: eventId, causationId: null, data }) as LeadEvent;
}
const created = (leadId: string, at: number) =>
  fact('LeadCreated', at, leadId, { source: 'web-form', segment: 'mid-market', territory: 'emea', intentTier: 'hot', vip: false, contact: { contactKey: `${leadId}@example.com` }, channels: ['phone'] });
const touched = (leadId: string, repId: string, at: number) => fact('LeadTouched', at, leadId, { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false });

function simulate(facts: (owner: (id: string) => string) => LeadEvent[], until: number): LeadEvent[] {
  const log: LeadEvent[] = [];
  const sim = new Simulator({ policyAt: () => policy, onEvent: (e) => log.push(e) });
  const owner = (id: string) => sim.routedLead(id)!.ownerRepId!;
  sim.apply(created('lead-a', T0));
  // Built after the lead is routed, so a touch can name the owner the simulation gave it.
  for (const f of facts(owner)) sim.apply(f);
  sim.advanceTo(until);
  return log;
}

describe('the simulated clock', () => {
  it('lets a touch recorded before the deadline stop the clock: no breach', () => {
    const log = simulate((owner) => [touched('lead-a', owner('lead-a'), T0 + 15 * MIN - 1)], T0 + 60 * MIN);

    expect(log.filter((e) => e.type === 'SlaBreached')).toEqual([]);
    expect(log.find((e) => e.type === 'SlaClockStopped' && e.data.clock === 'first_touch')).toMatchObject({ data: { outcome: 'met' } });
  });

  it('fires the deadline at its due time, before a touch recorded after it, and reassigns the lead', () => {
    const log = simulate((owner) => [touched('lead-a', owner('lead-a'), T0 + 15 * MIN + 1)], T0 + 16 * MIN);
    const types = log.map((e) => e.type);

    const breach = log.find((e) => e.type === 'SlaBreached')!;
    expect(breach).toMatchObject({ occurredAt: new Date(T0 + 15 * MIN).toISOString(), data: { clock: 'first_touch' } });
    expect(types.indexOf('SlaBreached')).toBeLessThan(types.indexOf('LeadTouched'));
    expect(log.filter((e) => e.type === 'LeadAssigned').map((e) => e.type === 'LeadAssigned' && e.data.reassignment)).toEqual([false, true]);
  });

  it('fires nothing that is due at or after the time it is advanced to', () => {
    const log = simulate(() => [], T0 + 15 * MIN);

    expect(log.filter((e) => e.type === 'SlaBreached')).toEqual([]);
    expect(log.filter((e) => e.type === 'SlaWarning')).toHaveLength(1);
  });
});
