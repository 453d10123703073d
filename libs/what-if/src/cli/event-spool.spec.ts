import { deterministicId, type LeadEvent } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { EventSpool } from './event-spool';

const T0 = Date.parse('2026-10-05T09:00:00.000Z');

function touch(n: number, at: number): LeadEvent {
  const iso = new Date(at).toISOString();
  const eventId = deterministicId('spool spec', String(n));
  return buildEvent({ type: 'LeadTouched', eventId, occurredAt: iso, recordedAt: iso, leadId: `lead-${n}`, correlationId: eventId, causationId: null, data: { repId: 'r1', channel: 'phone', direction: 'outbound', personal: true, automated: false } }) as LeadEvent;
}

async function all(spool: EventSpool): Promise<LeadEvent[]> {
  const out: LeadEvent[] = [];
  for await (const e of spool.events()) out.push(e);
  return out;
}

describe('the what-if event spool', () => {
  const spools: EventSpool[] = [];
  afterEach(() => spools.splice(0).forEach((s) => s.dispose()));

  it('gives back events added out of order, across several sorted runs, in recorded order then partition then offset', async () => {
    const spool = new EventSpool('spec', 7);
    spools.push(spool);
    // 50 events, recorded times shuffled, several on the same instant on two partitions.
    const added = Array.from({ length: 50 }, (_, n) => ({ event: touch(n, T0 + ((n * 37) % 20) * 1000), partition: n % 2, offset: BigInt(1000 - n) }));
    for (const a of added) spool.add(a.event, a.partition, a.offset);

    const read = await all(spool);

    const expected = [...added].sort((a, b) => Date.parse(a.event.recordedAt) - Date.parse(b.event.recordedAt) || a.partition - b.partition || Number(a.offset - b.offset)).map((a) => a.event);
    expect(read).toEqual(expected);
    expect(spool.size).toBe(50);
  });

  it('can be read again (one pass per simulated run) and compares offsets as numbers, not text', async () => {
    const spool = new EventSpool('spec', 3);
    spools.push(spool);
    spool.add(touch(1, T0), 0, 10n);
    spool.add(touch(2, T0), 0, 9n);
    spool.add(touch(3, T0), 0, 100n);

    const first = (await all(spool)).map((e) => e.leadId);
    const second = (await all(spool)).map((e) => e.leadId);

    expect(first).toEqual(['lead-2', 'lead-1', 'lead-3']);
    expect(second).toEqual(first);
  });

  it('names an event without a valid recorded time', () => {
    const spool = new EventSpool('spec');
    spools.push(spool);
    expect(() => spool.add({ ...touch(1, T0), recordedAt: 'yesterday' }, 0, 0n)).toThrow(/event .* \(LeadTouched\) has no valid recordedAt \("yesterday"\)/);
  });
});
