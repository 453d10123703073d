import { deterministicId } from '@lead-sla/contracts';
import { eventOfRequest, EventRequest } from './event-request';

const bounds = { maxFutureSkewMs: 5 * 60_000, maxBackdateHours: 72, backfill: false };
const context = { now: new Date('2026-11-24T10:00:00.000Z'), apiKeyId: 'k1', actor: { kind: 'api_key' as const, id: 'k1', role: 'machine' as const }, idempotencyKey: 'req-1', bounds };
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

  describe('the actor of a command (issue #12)', () => {
    const disposition = { repId: 'ava', code: 'not_a_fit', reason: 'student' };

    it('is the API key that sent it, for a current-version request and an upcast v1 one alike', () => {
      for (const version of [undefined, 1]) {
        const result = eventOfRequest(EventRequest.parse({ type: 'LeadDispositioned', version, leadId: 'lead-1', data: disposition }), context);
        expect(result.ok && result.event).toMatchObject({ type: 'LeadDispositioned', version: 2, data: { ...disposition, actor: { kind: 'api_key', id: 'k1', role: 'machine' } } });
      }
    });

    it('is never taken from the request', () => {
      const result = eventOfRequest(EventRequest.parse({ type: 'LeadAccepted', leadId: 'lead-1', data: { repId: 'ava', actor: { kind: 'person', id: 'mgr-emea', role: 'manager' } } }), context);
      expect(result).toMatchObject({ ok: false, fields: ['data.actor'] });
    });

    it('is not added to facts that carry none', () => {
      const result = eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', data: leadData }), context);
      expect(result.ok && 'actor' in result.event.data).toBe(false);
    });
  });

  describe('occurredAt bounds', () => {
    const at = (occurredAt: string, backfill = false) =>
      eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', occurredAt, data: leadData }), { ...context, bounds: { ...bounds, backfill } });

    it('accepts a fact up to the skew ahead and up to the backdate bound behind ingest\'s clock', () => {
      expect(at('2026-11-24T10:05:00.000Z').ok).toBe(true);
      expect(at('2026-11-21T10:00:00.000Z').ok).toBe(true);
    });

    it('refuses a fact further in the future, naming the bound', () => {
      const result = at('2026-11-24T10:05:00.001Z');
      expect(result).toMatchObject({ ok: false, fields: ['occurredAt'] });
      expect(!result.ok && result.message).toMatch(/more than 300000 ms \(INGEST_MAX_FUTURE_SKEW_MS\) ahead/);
      expect(at('2026-11-24T12:00:00.000+02:00').ok).toBe(true);
    });

    it('refuses a fact older than the backdate bound, naming it, unless the key has the backfill scope', () => {
      const result = at('2026-11-21T09:59:59.999Z');
      expect(result).toMatchObject({ ok: false, fields: ['occurredAt'] });
      expect(!result.ok && result.message).toMatch(/more than 72 h \(INGEST_MAX_BACKDATE_HOURS\) before .*"backfill" scope/);
      expect(at('2025-01-01T00:00:00.000Z', true).ok).toBe(true);
      expect(at('2026-11-24T11:00:00.000Z', true).ok).toBe(false);
    });
  });

  describe('client-chosen event ids', () => {
    const withId = (eventId: string) => eventOfRequest(EventRequest.parse({ type: 'LeadCreated', leadId: 'lead-1', eventId, data: leadData }), { ...context, idempotencyKey: null });

    it('are published as sent when random (v4) or time-ordered (v7)', () => {
      for (const id of ['7d3c8a1e-1111-4222-8333-444455556666', '019ad3b2-6c1e-7c3a-9f00-123456789abc']) expect(withId(id)).toMatchObject({ ok: true, event: { eventId: id } });
    });

    it('are refused when version 5, the kind the platform derives for its own events, naming the field and what to send', () => {
      const platformId = deterministicId('lead-1', 'assign');
      const result = withId(platformId);
      expect(result).toMatchObject({ ok: false, fields: ['eventId'] });
      expect(!result.ok && result.message).toMatch(/version-5 .* send a random \(v4\) or time-ordered \(v7\) UUID, or leave eventId out and send an Idempotency-Key/);
    });
  });
});
