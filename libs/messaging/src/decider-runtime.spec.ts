import type { EventOf, LeadEvent } from '@lead-sla/contracts';
import { emission } from '@lead-sla/decider';
import type { Tx } from '@lead-sla/platform';
import { deciderHandler, type DeciderService } from './decider-runtime';
import type { BatchHandlerContext } from './transactional-consumer';

type Input = EventOf<'LeadTouched'>;

const envelope = (type: string, eventId: string, data: unknown) =>
  ({ type, version: 1, eventId, occurredAt: '2026-11-30T09:00:00.000Z', recordedAt: '2026-11-30T09:00:00.000Z', leadId: 'lead-1', correlationId: 'c', causationId: null, data }) as LeadEvent;
const touched = (eventId: string) => envelope('LeadTouched', eventId, { repId: 'ana', channel: 'phone', direction: 'outbound', personal: true, automated: false }) as Input;
const acknowledged = (eventId: string) => envelope('LeadAcknowledged', eventId, { calendarId: 'emea', timeZone: 'UTC', coverageStart: '2026-11-30T09:00:00.000Z', policyVersion: 'v1' });

/** A service that acknowledges every touch and remembers, in order, every event evolve folded; load and save are in memory. */
function recordingService() {
  const saved: string[][] = [];
  const decided: string[] = [];
  const service: DeciderService<Input, readonly string[], null> = {
    inputTypes: ['LeadTouched'],
    outputTypes: ['LeadAcknowledged'],
    keysOf: (i) => [i.leadId!],
    load: async () => [],
    environment: () => null,
    decide: (_s, input) => {
      decided.push(input.eventId);
      return [emission('LeadAcknowledged', 'ack', { calendarId: 'emea', timeZone: 'UTC', coverageStart: '2026-11-30T09:00:00.000Z', policyVersion: 'v1' })];
    },
    evolve: (s, e) => [...s, `${e.type}:${e.eventId}`],
    save: async (_tx, _before, after) => {
      saved.push([...after]);
    },
  };
  return { service, saved, decided };
}

function batchContext() {
  const emitted: LeadEvent[] = [];
  const ctx: BatchHandlerContext = { tx: {} as Tx, emit: (e) => emitted.push(e), afterCommit: () => undefined };
  const item = (event: LeadEvent, offset: string) => ({ event, message: { topic: 't', partition: 0, offset, headers: {} } });
  return { ctx, emitted, item };
}

describe('the decider runtime handler', () => {
  const decidedAt = () => new Date('2026-11-30T09:00:01.000Z');

  it('serving: decides each input, publishes what it emits and folds both; its own decisions are not consumed', async () => {
    const { service, saved, decided } = recordingService();
    const handler = deciderHandler(service, { name: 'test', decidedAt, mode: 'decide' });
    const { ctx, emitted, item } = batchContext();
    await handler.handleBatch([item(touched('t1'), '0')], ctx);
    expect(handler.eventTypes).toEqual(['LeadTouched']);
    expect(decided).toEqual(['t1']);
    expect(emitted.map((e) => e.type)).toEqual(['LeadAcknowledged']);
    expect(saved).toEqual([['LeadTouched:t1', `LeadAcknowledged:${emitted[0].eventId}`]]);
  });

  it('rebuilding: folds inputs and the logged decisions in log order, deciding and publishing nothing', async () => {
    const { service, saved, decided } = recordingService();
    const handler = deciderHandler(service, { name: 'test', decidedAt, mode: 'rebuild' });
    const { ctx, emitted, item } = batchContext();
    await handler.handleBatch([item(touched('t1'), '0'), item(acknowledged('a1'), '1')], ctx);
    expect(handler.eventTypes).toEqual(['LeadTouched', 'LeadAcknowledged']);
    expect(decided).toEqual([]);
    expect(emitted).toEqual([]);
    expect(saved).toEqual([['LeadTouched:t1', 'LeadAcknowledged:a1']]);
  });
});
