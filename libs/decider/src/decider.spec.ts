import type { EventOf, LeadEvent } from '@lead-sla/contracts';
import { emission } from './emission';
import { decideAndEvolve, foldInputs, type Decider } from './decider';

type Input = EventOf<'LeadTouched'>;
interface Count { readonly touches: number; readonly seen: readonly string[] }

const touched = (eventId: string, repId: string): Input => ({
  type: 'LeadTouched', version: 1, eventId, occurredAt: '2026-11-30T09:00:00.000Z', recordedAt: '2026-11-30T09:00:00.000Z',
  leadId: 'lead-1', correlationId: 'corr-1', causationId: null,
  data: { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false },
});

/** Emits a LeadAcknowledged on every second touch; counts touches and remembers every event it folds. */
const counter: Decider<Input, Count, { calendarId: string }> = {
  decide: (state, _input, env) =>
    state.touches % 2 === 1
      ? [emission('LeadAcknowledged', 'ack', { calendarId: env.calendarId, timeZone: 'UTC', coverageStart: '2026-11-30T09:00:00.000Z', policyVersion: 'v1' })]
      : [],
  evolve: (state, event: LeadEvent) => ({ touches: state.touches + (event.type === 'LeadTouched' ? 1 : 0), seen: [...state.seen, event.type] }),
};

describe('the decider runtime fold', () => {
  const now = new Date('2026-11-30T09:00:05.000Z');

  it('decides on the state before the input, then folds the input and the emitted events in that order', () => {
    const { state, emitted } = decideAndEvolve(counter, { touches: 1, seen: [] }, touched('e-2', 'ana'), { calendarId: 'emea' }, now);
    expect(emitted.map((e) => e.type)).toEqual(['LeadAcknowledged']);
    expect(state).toEqual({ touches: 2, seen: ['LeadTouched', 'LeadAcknowledged'] });
  });

  it('builds envelopes with ids derived from the cause and step, so a re-run yields the same ids', () => {
    const a = decideAndEvolve(counter, { touches: 1, seen: [] }, touched('e-2', 'ana'), { calendarId: 'emea' }, now).emitted[0];
    const b = decideAndEvolve(counter, { touches: 1, seen: [] }, touched('e-2', 'ana'), { calendarId: 'emea' }, new Date(0)).emitted[0];
    expect(a.eventId).toBe(b.eventId);
    expect(a).toMatchObject({ causationId: 'e-2', correlationId: 'corr-1', leadId: 'lead-1', recordedAt: now.toISOString(), version: 1 });
  });

  it('threads the state through a batch in log order', () => {
    const inputs = [touched('e-1', 'ana'), touched('e-2', 'ana'), touched('e-3', 'ana'), touched('e-4', 'ana')];
    const { state, emitted } = foldInputs(counter, { touches: 0, seen: [] }, inputs, () => ({ calendarId: 'emea' }), now);
    expect(state.touches).toBe(4);
    expect(emitted.map((e) => e.causationId)).toEqual(['e-2', 'e-4']);
  });
});
