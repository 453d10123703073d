import { eventOfRequest, EventRequest } from './event-request';

const context = { now: new Date('2026-11-24T10:00:00.000Z'), apiKeyId: 'k1', idempotencyKey: 'req-1' };
const leadData = { source: 'webinar', segment: 'smb', territory: 'emea', intentTier: 'hot', contact: { contactKey: 'c-1' }, channels: ['email'] };

describe('building an event from an ingest request', () => {
  it('fills in the envelope: current version, times, a deterministic id from the idempotency key, correlation by lead', () => {
    const result = eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', data: leadData }), context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({ type: 'LeadCreated', version: 2, leadId: 'lead-1', correlationId: 'lead-1', recordedAt: '2026-11-24T10:00:00.000Z' });
    const again = eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', data: leadData }), context);
    expect(again.ok && again.event.eventId).toBe(result.event.eventId);
  });

  it('rejects a bad field with a message naming the field and the schema version', () => {
    const result = eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', data: { ...leadData, intentTier: 'lukewarm' } }), context);
    expect(result).toMatchObject({ ok: false, fields: ['data.intentTier'] });
    expect(!result.ok && result.message).toMatch(/LeadCreated v2 invalid: data\.intentTier/);
  });

  it('accepts only events outside systems publish, never the platform\'s own decisions', () => {
    const result = eventOfRequest(EventRequest.parse({ type: 'LeadAssigned', leadId: 'lead-1', data: {} }), context);
    expect(result).toMatchObject({ ok: false, fields: ['type'] });
  });

  it('requires a lead id except for facts about a rep', () => {
    expect(eventOfRequest(EventRequest.parse({ type: 'LeadTouched', data: { repId: 'ava', channel: 'phone', personal: true } }), context)).toMatchObject({ ok: false, fields: ['leadId'] });
    const rep = eventOfRequest(EventRequest.parse({ type: 'RepAvailabilityChanged', leadId: null, data: { repId: 'ava', status: 'available' } }), context);
    expect(rep.ok).toBe(true);
    const noLead = eventOfRequest(EventRequest.parse({ type: 'ContactBounced', data: { channel: 'email' } }), context);
    expect(noLead).toMatchObject({ ok: false, fields: ['leadId'] });
  });
});
