import { carriesActor, EventCatalogue, eventJsonSchema } from '@lead-sla/contracts';
import { PublicEventTypes } from '../accept-event/event-request';
import { Scopes } from '../api-keys/api-key.util';

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } });

const commonResponses = {
  '400': errorResponse(
    'Invalid JSON, or a field failed validation; `message` and `fields` name it (and the event schema version). Also `occurredAt` more than INGEST_MAX_FUTURE_SKEW_MS ahead, or more than INGEST_MAX_BACKDATE_HOURS behind without the backfill scope.',
  ),
  '401': errorResponse('Missing, unknown or revoked API key (checked before the body is read).'),
  '403': errorResponse('The API key lacks the scope this route needs.'),
  '413': errorResponse('Request body larger than INGEST_MAX_BODY_BYTES.'),
  '415': errorResponse('Content-Type is not application/json.'),
  '429': {
    ...errorResponse("Over the key's rate limit (token bucket), or too many failed requests from the client's address."),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
  },
};

const acceptedResponses = {
  '202': {
    description: 'Accepted: stored and queued for publication to lead-events.v1 exactly once. A retry with the same Idempotency-Key returns the same answer with `Idempotent-Replayed: true` and publishes nothing.',
    headers: { 'Idempotent-Replayed': { description: 'true when an earlier request with this Idempotency-Key answered.', schema: { type: 'string' } } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
  },
  '200': { description: 'The same eventId was accepted before (without an Idempotency-Key): nothing is published again.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } },
  '409': errorResponse('The Idempotency-Key was used before with a different body.'),
  ...commonResponses,
};

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retried request publish once: same key and same body → the stored answer; same key and another body → 409. Scoped to the API key.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};
const traceparentHeader = { name: 'traceparent', in: 'header', required: false, description: 'W3C trace context to continue; the response carries the trace id.', schema: { type: 'string' } };

function shorthand(type: (typeof PublicEventTypes)[number], summary: string, pathParam?: 'leadId' | 'repId') {
  return {
    post: {
      summary,
      operationId: `post${type}`,
      tags: ['events'],
      security: [{ bearer: [] }, { apiKey: [] }],
      parameters: [...(pathParam ? [{ name: pathParam, in: 'path', required: true, schema: { type: 'string' } }] : []), idempotencyHeader, traceparentHeader],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              required: ['data', ...(pathParam ? [] : ['leadId'])],
              properties: {
                ...(pathParam ? {} : { leadId: { type: 'string' } }),
                eventId: { type: 'string', format: 'uuid' },
                version: { type: 'integer' },
                occurredAt: { type: 'string', format: 'date-time' },
                correlationId: { type: 'string' },
                causationId: { type: ['string', 'null'] },
                data: { $ref: `#/components/schemas/${type}Data` },
              },
            },
          },
        },
      },
      responses: acceptedResponses,
    },
  };
}

/** A type's `data` as a client sends it: a command's `actor` is left out, since ingest sets it from the API key. */
function requestDataSchema(type: (typeof PublicEventTypes)[number]): unknown {
  const data = (eventJsonSchema(type, EventCatalogue[type].current).properties as Record<string, unknown>).data as { properties?: Record<string, unknown>; required?: string[] };
  if (!carriesActor(type)) return data;
  const { actor: _actor, ...properties } = data.properties ?? {};
  return { ...data, properties, required: (data.required ?? []).filter((f) => f !== 'actor') };
}

/** The OpenAPI 3.1 document of the ingest API (served at GET /openapi.json, checked in at docs/openapi/ingest.openapi.json). */
export function ingestOpenApiDocument(): Record<string, unknown> {
  const dataSchemas = Object.fromEntries(PublicEventTypes.map((t) => [`${t}Data`, requestDataSchema(t)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lead SLA ingest API',
      version: '1.0.0',
      description: 'HTTP edge for systems that cannot speak Kafka: validates public events with the same contracts the services use and publishes them to lead-events.v1. See docs/ingest.md.',
    },
    servers: [{ url: 'http://localhost:3005' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, fields: { type: 'array', items: { type: 'string' } } },
        },
        Accepted: {
          type: 'object',
          required: ['status', 'eventId', 'type', 'leadId', 'traceId'],
          properties: {
            status: { enum: ['accepted', 'duplicate'] },
            eventId: { type: 'string', format: 'uuid' },
            type: { type: 'string' },
            leadId: { type: ['string', 'null'] },
            traceId: { type: ['string', 'null'], description: 'The trace that follows this event through every service.' },
          },
        },
        EventRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'data'],
          properties: {
            type: { enum: PublicEventTypes },
            version: { type: 'integer', description: 'Schema version of `data`; defaults to the current one. Older versions are upcast.' },
            eventId: {
              type: 'string',
              format: 'uuid',
              description:
                "The client's id for the event, published as sent: a random (v4) or time-ordered (v7) UUID. Version-5 ids are refused: the platform derives its own ids that way. Without it: derived from the Idempotency-Key, else random.",
            },
            occurredAt: { type: 'string', format: 'date-time', description: 'At most INGEST_MAX_FUTURE_SKEW_MS ahead and INGEST_MAX_BACKDATE_HOURS behind (older needs the backfill scope); defaults to now.' },
            leadId: { type: ['string', 'null'], description: 'Required except for facts about a rep.' },
            correlationId: { type: 'string' },
            causationId: { type: ['string', 'null'] },
            data: { type: 'object', description: 'The data of the event type, see the *Data schemas.' },
          },
        },
        ApiKey: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            scopes: { type: 'array', items: { enum: Scopes } },
            ratePerSecond: { type: ['number', 'null'] },
            burst: { type: ['integer', 'null'] },
            createdAt: { type: 'string', format: 'date-time' },
            revokedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        ...dataSchemas,
      },
    },
    paths: {
      '/v1/events': {
        post: {
          summary: 'Publish any public event',
          operationId: 'postEvent',
          tags: ['events'],
          security: [{ bearer: [] }, { apiKey: [] }],
          parameters: [idempotencyHeader, traceparentHeader],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EventRequest' } } } },
          responses: acceptedResponses,
        },
      },
      '/v1/events/{eventId}': {
        get: {
          summary: 'An event ingest accepted, and whether it is published yet (read scope)',
          operationId: 'getEvent',
          tags: ['events'],
          security: [{ bearer: [] }, { apiKey: [] }],
          parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': { description: 'The accepted event.' }, '404': errorResponse('Not accepted by ingest.'), ...commonResponses },
        },
      },
      '/v1/leads': shorthand('LeadCreated', 'A lead was created (LeadCreated)'),
      '/v1/leads/{leadId}/touches': shorthand('LeadTouched', 'A touch was logged (LeadTouched)', 'leadId'),
      '/v1/leads/{leadId}/dispositions': shorthand('LeadDispositioned', 'A disposition was recorded (LeadDispositioned)', 'leadId'),
      '/v1/leads/{leadId}/bounces': shorthand('ContactBounced', 'An email bounced or a phone number was invalid (ContactBounced)', 'leadId'),
      '/v1/reps/{repId}/availability': shorthand('RepAvailabilityChanged', "A rep's availability changed (RepAvailabilityChanged)", 'repId'),
      '/v1/api-keys': {
        post: {
          summary: 'Create an API key (admin scope); the key is in the answer, once',
          operationId: 'createApiKey',
          tags: ['api-keys'],
          security: [{ bearer: [] }, { apiKey: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name', 'scopes'],
                  additionalProperties: false,
                  properties: {
                    name: { type: 'string' },
                    scopes: { type: 'array', minItems: 1, items: { enum: Scopes } },
                    ratePerSecond: { type: ['number', 'null'] },
                    burst: { type: ['integer', 'null'] },
                  },
                },
              },
            },
          },
          responses: { '201': { description: 'Created; `key` is shown only now.' }, ...commonResponses },
        },
        get: { summary: 'List API keys (admin scope)', operationId: 'listApiKeys', tags: ['api-keys'], security: [{ bearer: [] }, { apiKey: [] }], responses: { '200': { description: 'The keys, without secrets.' }, ...commonResponses } },
      },
      '/v1/api-keys/{id}': {
        delete: {
          summary: 'Revoke an API key (admin scope)',
          operationId: 'revokeApiKey',
          tags: ['api-keys'],
          security: [{ bearer: [] }, { apiKey: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'Revoked.' }, '404': errorResponse('No such active key.'), ...commonResponses },
        },
      },
      '/openapi.json': { get: { summary: 'This document', operationId: 'openapi', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/health/live': { get: { summary: 'Liveness', operationId: 'live', responses: { '200': { description: 'The process answers.' } } } },
      '/health/ready': { get: { summary: 'Readiness (Postgres and Kafka)', operationId: 'ready', responses: { '200': { description: 'Ready.' }, '503': { description: 'Not ready.' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', operationId: 'metrics', responses: { '200': { description: 'Text exposition format.' } } } },
    },
  };
}
