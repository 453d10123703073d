import type { EventOf, LeadEvent } from '@lead-sla/contracts';
import { emission } from '@lead-sla/decider';
import type { Policy } from '@lead-sla/policy';
import type { Tx } from '@lead-sla/platform';
import { deciderHandler, FOLD_CHUNK_INPUTS, type DeciderService } from './decider-runtime';
import type { BatchHandlerContext } from './transactional-consumer';

type Input = EventOf<'LeadTouched'>;

const envelope = (type: string, eventId: string, data: unknown) =>
  ({ type, version: 1, eventId, occurredAt: '2026-11-30T09:00:00.000Z', recordedAt: '2026-11-30T09:00:00.000Z', leadId: 'lead-1', correlationId: 'c', causationId: null, data }) as LeadEvent;
const touched = (eventId: string) => envelope('LeadTouched', eventId, { repId: 'ana', channel: 'phone', direction: 'outbound', personal: true, automated: false }) as Input;
const v1 = { version: 'v1' } as Policy;
const v2 = { version: 'v2' } as Policy;
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
  const item = (event: LeadEvent, offset: string, policy: Policy = v1) => ({ event, message: { topic: 't', partition: 0, offset, headers: {} }, policy });
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

  it('decides each input under the policy in force at its position; load sees every version of the batch, save the last', async () => {
    const { service } = recordingService();
    const environments: string[] = [];
    const loaded: string[][] = [];
    let savedUnder = '';
    const versioned: DeciderService<Input, readonly string[], string> = {
      ...service,
      evolve: (s, e) => [...s, `${e.type}:${e.eventId}`],
      environment: (input, _now, policy) => {
        environments.push(`${input.eventId}@${policy.version}`);
        return policy.version;
      },
      load: async (_tx, _keys, _inputs, policies) => {
        loaded.push(policies.map((p) => p.version));
        return [];
      },
      decide: (_s, _input, version) => [emission('LeadAcknowledged', 'ack', { calendarId: 'emea', timeZone: 'UTC', coverageStart: '2026-11-30T09:00:00.000Z', policyVersion: version })],
      save: async (_tx, _before, _after, ctx) => {
        savedUnder = ctx.policy.version;
      },
    };
    const handler = deciderHandler(versioned, { name: 'test', decidedAt, mode: 'decide' });
    const { ctx, emitted, item } = batchContext();
    await handler.handleBatch([item(touched('t1'), '0', v1), item(touched('t2'), '2', v2)], ctx);
    expect(environments).toEqual(['t1@v1', 't2@v2']);
    expect(loaded).toEqual([['v1', 'v2']]);
    expect(emitted.map((e) => (e.data as { policyVersion: string }).policyVersion)).toEqual(['v1', 'v2']);
    expect(savedUnder).toBe('v2');
  });

  it('refuses to decide without a policy in force, saying what to configure', async () => {
    const { service } = recordingService();
    const handler = deciderHandler(service, { name: 'test', decidedAt, mode: 'decide' });
    const { ctx } = batchContext();
    await expect(handler.handleBatch([{ event: touched('t1'), message: { topic: 't', partition: 1, offset: '7', headers: {} } }], ctx)).rejects.toThrow(
      'test: no policy in force for LeadTouched t1 at t[1]@7; start the consumer with a PolicyLog (the service runtime does)',
    );
  });
  it('folds a big batch in chunks of FOLD_CHUNK_INPUTS, each over what the chunk before it saved, in log order', async () => {
    const { service, decided } = recordingService();
    // A store the chunks share, as the batch's one transaction does: each load reads what the last save wrote.
    let stored: readonly string[] = [];
    const loads: number[] = [];
    const chunked: DeciderService<Input, readonly string[], null> = {
      ...service,
      load: async (_tx, _keys, inputs) => {
        loads.push(inputs.length);
        return stored;
      },
      save: async (_tx, _before, after) => {
        stored = after;
      },
    };
    const handler = deciderHandler(chunked, { name: 'test', decidedAt, mode: 'decide' });
    const { ctx, emitted, item } = batchContext();
    const count = 2 * FOLD_CHUNK_INPUTS + 50;
    await handler.handleBatch(Array.from({ length: count }, (_, i) => item(touched(`t${i}`), String(i))), ctx);
    expect(loads).toEqual([FOLD_CHUNK_INPUTS, FOLD_CHUNK_INPUTS, 50]);
    expect(decided).toEqual(Array.from({ length: count }, (_, i) => `t${i}`));
    expect(stored).toHaveLength(2 * count);
    expect(stored.filter((e) => e.startsWith('LeadTouched:'))).toEqual(decided.map((id) => `LeadTouched:${id}`));
    expect(emitted).toHaveLength(count);
  });
});
