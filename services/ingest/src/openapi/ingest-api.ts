import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags, type ApiResponseOptions } from '@nestjs/swagger';
import { carriesActor, EventCatalogue, eventJsonSchema } from '@lead-sla/contracts';
import { requestSchema, schemaOf, type ApiDescription } from '@lead-sla/service-runtime';
import { EventRequest, PublicEventTypes } from '../accept-event/event-request';
import { Scopes } from '../api-keys/api-key.util';

type PublicEventType = (typeof PublicEventTypes)[number];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A type's `data` as a client sends it: a command's `actor` is left out, since ingest sets it from the API key. */
function requestDataSchema(type: PublicEventType): Record<string, unknown> {
  const data = (eventJsonSchema(type, EventCatalogue[type].current).properties as Record<string, unknown>).data as { properties?: Record<string, unknown>; required?: string[] };
  if (!carriesActor(type)) return data;
  const { actor: _actor, ...properties } = data.properties ?? {};
  return { ...data, properties, required: (data.required ?? []).filter((f) => f !== 'actor') };
}

/** The ingest API's title, credentials and shared schemas; the routes are described by the controllers' decorators. */
export const ingestApi: ApiDescription = {
  title: 'Lead SLA ingest API',
  version: '1.0.0',
  description: 'HTTP edge for systems that cannot speak Kafka: validates public events with the same contracts the services use and publishes them to lead-events.v1. See docs/ingest.md.',
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
    apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key from POST /v1/api-keys (or `main.ts create-key`)' },
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
    ApiKey: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'array', items: { enum: [...Scopes] } },
        ratePerSecond: { type: ['number', 'null'] },
        burst: { type: ['integer', 'null'] },
        createdAt: { type: 'string', format: 'date-time' },
        revokedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    ...Object.fromEntries(PublicEventTypes.map((t) => [`${t}Data`, requestDataSchema(t)])),
  },
};

const problem = (status: number, description: string, extra: Partial<ApiResponseOptions> = {}) => ApiResponse({ status, description, schema: ref('Problem'), ...extra } as ApiResponseOptions);

/** The answers every authenticated ingest route may give. */
export const IngestErrors = () =>
  applyDecorators(
    problem(
      400,
      'Invalid JSON, or a field failed validation; `message` and `fields` name it (and the event schema version). Also `occurredAt` more than INGEST_MAX_FUTURE_SKEW_MS ahead, or more than INGEST_MAX_BACKDATE_HOURS behind without the backfill scope.',
    ),
    problem(401, 'Missing, unknown or revoked API key (checked before the body is read).'),
    problem(403, 'The API key lacks the scope this route needs.'),
    problem(413, 'Request body larger than INGEST_MAX_BODY_BYTES.'),
    problem(415, 'Content-Type is not application/json.'),
    problem(429, "Over the key's rate limit (token bucket), or too many failed requests from the client's address.", {
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
    }),
  );

const traceparent = ApiHeader({ name: 'traceparent', required: false, description: 'W3C trace context to continue; the response carries the trace id.', schema: { type: 'string' } });

/**
 * An event route: the body (the zod schema EventRequest validates with, the
 * type's data from the contracts), the idempotency header and the answers.
 * `type` fixes the event type (a shorthand route); without it, any public type.
 */
export function AcceptsEvent(summary: string, type?: PublicEventType, pathParam?: 'leadId' | 'repId') {
  const request = requestSchema(type ? EventRequest.omit({ type: true }) : EventRequest) as { properties: Record<string, unknown> };
  const body = type
    ? { ...request, properties: { ...request.properties, data: ref(`${type}Data`) } }
    : {
        ...request,
        properties: {
          ...request.properties,
          type: { enum: PublicEventTypes },
          version: { type: 'integer', minimum: 1, description: 'Schema version of `data`; defaults to the current one. Older versions are upcast.' },
          eventId: {
            type: 'string',
            format: 'uuid',
            description:
              "The client's id for the event, published as sent: a random (v4) or time-ordered (v7) UUID. Version-5 ids are refused: the platform derives its own ids that way. Without it: derived from the Idempotency-Key, else random.",
          },
          occurredAt: { type: 'string', format: 'date-time', description: 'At most INGEST_MAX_FUTURE_SKEW_MS ahead and INGEST_MAX_BACKDATE_HOURS behind (older needs the backfill scope); defaults to now.' },
          leadId: { type: ['string', 'null'], description: 'Required except for facts about a rep.' },
          data: { type: 'object', description: 'The data of the event type, see the *Data schemas.' },
        },
      };
  return applyDecorators(
    ApiTags('events'),
    ApiOperation({ summary }),
    ...(pathParam ? [ApiParam({ name: pathParam, description: pathParam === 'leadId' ? 'The lead the event is about.' : 'The rep the fact is about.' })] : []),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Makes a retried request publish once: same key and same body → the stored answer; same key and another body → 409. Scoped to the API key.',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    }),
    traceparent,
    ApiBody({ required: true, schema: schemaOf(body) }),
    ApiResponse({
      status: 202,
      description:
        'Accepted: stored and queued for publication to lead-events.v1 exactly once. A retry with the same Idempotency-Key returns the same answer with `Idempotent-Replayed: true` and publishes nothing.',
      headers: { 'Idempotent-Replayed': { description: 'true when an earlier request with this Idempotency-Key answered.', schema: { type: 'string' } } },
      schema: ref('Accepted'),
    }),
    ApiResponse({ status: 200, description: 'The same eventId was accepted before (without an Idempotency-Key): nothing is published again.', schema: ref('Accepted') }),
    problem(409, 'The Idempotency-Key was used before with a different body.'),
    IngestErrors(),
  );
}
