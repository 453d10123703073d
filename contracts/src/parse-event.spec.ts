import { randomUUID } from 'node:crypto';
import { parseEvent, parseEventBytes } from './parse-event';
import { allEventJsonSchemas } from './json-schema';

function envelope(type: string, version: number, data: unknown) {
  const now = new Date().toISOString();
  return { type, version, eventId: randomUUID(), occurredAt: now, recordedAt: now, leadId: 'lead-1', correlationId: 'c-1', causationId: null, data };
}

describe('parseEvent', () => {
  it('upcasts LeadCreated v1 to the current v2 shape', () => {
    const result = parseEvent(
      envelope('LeadCreated', 1, { source: 'webinar', segment: 'smb', territory: 'emea', tier: 'hot', email: 'Ann@Example.com', phone: '+4411', company: 'Example.com' }),
    );
    expect(result).toMatchObject({ ok: true, upcastFrom: 1 });
    if (!result.ok || result.event.type !== 'LeadCreated') throw new Error('expected LeadCreated');
    expect(result.event.version).toBe(2);
    expect(result.event.data).toEqual({
      source: 'webinar',
      segment: 'smb',
      territory: 'emea',
      intentTier: 'hot',
      vip: false,
      contact: { contactKey: 'ann@example.com', email: 'Ann@Example.com', phone: '+4411' },
      channels: ['phone', 'email'],
      accountDomain: 'example.com',
    });
  });

  it('upcasts a free-text LeadRejected v1 (through v2) to v3 with the "uncoded" reason code, keeping the text; who asked is unknown', () => {
    const result = parseEvent(envelope('LeadRejected', 1, { repId: 'ava', reason: 'student, no budget' }));
    expect(result).toMatchObject({ ok: true, upcastFrom: 1 });
    if (!result.ok) throw new Error(result.error);
    expect(result.event).toMatchObject({ version: 3, data: { repId: 'ava', reasonCode: 'uncoded', reason: 'student, no budget', actor: null } });
  });

  it('refuses a LeadRejected v2 without a reason code', () => {
    expect(parseEvent(envelope('LeadRejected', 2, { repId: 'ava', reason: 'student' }))).toEqual({ ok: false, error: expect.stringContaining('LeadRejected v2 invalid: data.reasonCode') });
  });

  it('upcasts LeadQueued v1 to v2: the owner the lead left is unknown, read as none', () => {
    const v1 = { poolId: 'emea', ruleId: null, cause: 'no rep available', skipped: [{ repId: 'ava', reason: 'pto' }], policyVersion: 'p-1' };
    const result = parseEvent(envelope('LeadQueued', 1, v1));
    expect(result).toMatchObject({ ok: true, upcastFrom: 1 });
    if (!result.ok || result.event.type !== 'LeadQueued') throw new Error('expected LeadQueued');
    expect(result.event.version).toBe(2);
    expect(result.event.data).toEqual({ ...v1, previousRepId: null });
  });

  it('names the field and schema version of an invalid event', () => {
    const result = parseEvent(envelope('LeadTouched', 1, { repId: 'r1', channel: 'fax', personal: true }));
    expect(result).toEqual({ ok: false, error: expect.stringContaining('LeadTouched v1 invalid: data.channel') });
  });

  it('rejects an unknown schema version with the versions it knows', () => {
    const result = parseEvent(envelope('LeadTouched', 7, {}));
    expect(result).toEqual({ ok: false, error: 'unknown schema version 7 of LeadTouched (known: 1)' });
  });

  it('rejects an unknown event type and a missing envelope field', () => {
    expect(parseEvent(envelope('LeadTeleported', 1, {}))).toEqual({ ok: false, error: 'unknown event type "LeadTeleported"' });
    const { eventId: _drop, ...noId } = envelope('LeadTouched', 1, {});
    expect(parseEvent(noId)).toEqual({ ok: false, error: expect.stringContaining('eventId') });
  });

  it('reports bytes that are not JSON', () => {
    expect(parseEventBytes(Buffer.from('{nope'))).toEqual({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });

  it('does not quote the bytes that are not JSON (they may hold contact details)', () => {
    const result = parseEventBytes(Buffer.from('Pat Lee, pat@example.com'));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^not JSON \(24 bytes/) });
    expect(JSON.stringify(result)).not.toMatch(/Pat|example/);
  });

  it('exports a JSON Schema for every version of every event', () => {
    const schemas = allEventJsonSchemas();
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['LeadCreated.v1', 'LeadCreated.v2', 'LeadAssigned.v1', 'SlaBreached.v1']));
    expect(schemas['LeadCreated.v2']).toMatchObject({ properties: { type: { const: 'LeadCreated' }, version: { const: 2 } } });
  });
});
