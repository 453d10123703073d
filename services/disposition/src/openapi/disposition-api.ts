import { httpErrorSchema, platformSecuritySchemes, type ApiDescription } from '@lead-sla/service-runtime';

/** Disposition's API title, credentials and shared schemas; the routes are described by the controllers' decorators. */
export const dispositionApi: ApiDescription = {
  title: 'Lead SLA disposition API',
  version: '1.0.0',
  description:
    "What a rep decides about a lead: accept or reject it (the SAL decision) and record a disposition. Each request is checked with the service's own rules on the lead's current state, published on lead-events.v1 and answered 202; the service applies it when it consumes it. See docs/disposition.md and docs/security.md.",
  securitySchemes: platformSecuritySchemes,
  schemas: {
    HttpError: httpErrorSchema,
    Published: {
      type: 'object',
      required: ['eventId', 'type', 'leadId'],
      properties: {
        eventId: { type: 'string', format: 'uuid', description: 'The command on lead-events.v1 (the same for a retry with the same Idempotency-Key).' },
        type: { type: 'string', enum: ['LeadAccepted', 'LeadRejected', 'LeadDispositioned'] },
        leadId: { type: 'string' },
      },
    },
    Refusal: {
      allOf: [
        { $ref: '#/components/schemas/HttpError' },
        {
          type: 'object',
          required: ['leadId', 'problems', 'policyVersion'],
          properties: {
            leadId: { type: 'string' },
            policyVersion: { type: 'string', description: 'The policy version the request was checked against.' },
            eventId: { type: 'string', format: 'uuid', description: 'The refused request, published too so the refusal is on the log.' },
          },
        },
      ],
    },
  },
};
