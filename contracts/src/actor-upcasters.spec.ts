import { parseEvent } from './parse-event';

const envelope = (type: string, version: number, data: unknown) => ({
  type,
  version,
  eventId: '0b7e4f0e-4a54-4a0c-9f43-1f3f1c6f9c11',
  occurredAt: '2026-11-30T10:00:00.000Z',
  recordedAt: '2026-11-30T10:00:00.000Z',
  leadId: type.startsWith('Rep') ? null : 'lead-1',
  correlationId: 'c-1',
  causationId: null,
  data,
});

describe('commands with an actor (v2) and their v1 upcasters', () => {
  it.each([
    ['LeadDispositioned', { repId: 'ava', code: 'not_a_fit' }],
    ['LeadAccepted', { repId: 'ava' }],
    ['RepReinstated', { repId: 'ava', managerId: 'mgr-emea' }],
    ['RepAvailabilityChanged', { repId: 'ava', status: 'pto', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' }],
  ])('upcasts a v1 %s with actor null (recorded before identity, so who asked is unknown)', (type, data) => {
    const parsed = parseEvent(envelope(type, 1, data));
    expect(parsed).toMatchObject({ ok: true, upcastFrom: 1, event: { version: 2, data: { ...data, actor: null } } });
  });

  it('upcasts a LeadRejected v1 (free text) through v2 (reason code "uncoded") to v3 with actor null', () => {
    expect(parseEvent(envelope('LeadRejected', 1, { repId: 'ava', reason: 'no budget' }))).toMatchObject({
      ok: true,
      upcastFrom: 1,
      event: { version: 3, data: { repId: 'ava', reasonCode: 'uncoded', reason: 'no budget', actor: null } },
    });
  });

  it('upcasts a LeadRejected v2 (reason code, before identity) to v3 with actor null', () => {
    const data = { repId: 'ava', reasonCode: 'not_a_fit', reason: 'no budget' };
    expect(parseEvent(envelope('LeadRejected', 2, data))).toMatchObject({ ok: true, upcastFrom: 2, event: { version: 3, data: { ...data, actor: null } } });
  });

  it('keeps a v2 actor as published', () => {
    const actor = { kind: 'person', id: 'mgr-emea', role: 'manager' };
    expect(parseEvent(envelope('LeadAccepted', 2, { repId: 'ava', actor }))).toMatchObject({ ok: true, upcastFrom: null, event: { data: { actor } } });
  });

  it('refuses a v2 command without its actor, naming the field', () => {
    expect(parseEvent(envelope('LeadAccepted', 2, { repId: 'ava' }))).toMatchObject({ ok: false, error: expect.stringContaining('LeadAccepted v2 invalid: data.actor') });
  });

  it('refuses an actor of an unknown kind', () => {
    expect(parseEvent(envelope('LeadAccepted', 2, { repId: 'ava', actor: { kind: 'body', id: 'x', role: 'rep' } }))).toMatchObject({ ok: false, error: expect.stringContaining('data.actor.kind') });
  });
});
