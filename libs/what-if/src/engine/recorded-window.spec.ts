import { deterministicId, type LeadEvent } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';
import { RecordedDecisionWindow } from './recorded-window';

const T0 = Date.parse('2026-10-05T09:00:00.000Z');
const MIN = 60_000;

function assigned(n: number, at: number): LeadEvent {
  const iso = new Date(at).toISOString();
  const eventId = deterministicId('window spec', String(n));
  return buildEvent({ type: 'LeadAssigned', eventId, occurredAt: iso, recordedAt: iso, leadId: `lead-${n}`, correlationId: eventId, causationId: null, data: { repId: 'r1', poolId: 'p', teamId: 't', reason: 'round_robin', skipped: [], policyVersion: 'v1' } } as never) as LeadEvent;
}

/** A stream that counts how far it was read. */
function* counted(events: LeadEvent[], reads: { n: number }) {
  for (const e of events) {
    reads.n++;
    yield e;
  }
}

describe('the window of recorded decisions', () => {
  const decisions = Array.from({ length: 10 }, (_, n) => assigned(n, T0 + n * 10 * MIN));

  it('reads only as far as asked, and answers for what it holds', async () => {
    const reads = { n: 0 };
    const window = new RecordedDecisionWindow(counted(decisions, reads));

    await window.fillUntil(T0 + 25 * MIN);

    // Decisions 0, 1, 2 are due; the stream was read one further (to see that the next is later) and no more.
    expect(window.size).toBe(3);
    expect(reads.n).toBe(4);
    expect(window.timeOf(decisions[2].eventId)).toBe(decisions[2].recordedAt);
    expect(window.timeOf(decisions[3].eventId)).toBeUndefined();
    expect(window.needs(T0 + 25 * MIN)).toBe(false);
    expect(window.needs(T0 + 26 * MIN)).toBe(true);
  });

  it('lets go of what is behind, oldest first, telling who listens', async () => {
    const evicted: string[] = [];
    const window = new RecordedDecisionWindow(decisions, undefined, (d) => evicted.push(d.leadId!));
    await window.fillUntil(T0 + 100 * MIN);

    window.evictBefore(T0 + 30 * MIN);

    expect(evicted).toEqual(['lead-0', 'lead-1', 'lead-2']);
    expect(window.size).toBe(7);
    expect(window.timeOf(decisions[1].eventId)).toBeUndefined();
    expect(window.timeOf(decisions[3].eventId)).toBe(decisions[3].recordedAt);
  });

  it('refuses a stream that is not in recorded order, naming the event', async () => {
    const window = new RecordedDecisionWindow([decisions[3], decisions[1]]);

    await expect(window.fillUntil(T0 + 100 * MIN)).rejects.toThrow(new RegExp(`out of order: LeadAssigned ${decisions[1].eventId} \\(${decisions[1].recordedAt}\\)`));
  });
});
