import { httpErrorSchema, platformSecuritySchemes, type ApiDescription, type JsonSchema } from '@lead-sla/service-runtime';

const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });

/** Routing's API title, credentials and shared schemas; the routes are described by the controllers' decorators. */
export const routingApi: ApiDescription = {
  title: 'Lead SLA routing API',
  version: '1.0.0',
  description:
    'Commands people give routing — reassign a lead, reinstate a rep, change a rep\'s availability, publish a policy version — and why a lead was assigned. A command is published on lead-events.v1 and answered 202; routing decides when it consumes it. See docs/routing.md, docs/policy.md and docs/security.md.',
  securitySchemes: platformSecuritySchemes,
  schemas: {
    HttpError: httpErrorSchema,
    CommandAccepted: {
      type: 'object',
      required: ['commandEventId', 'message'],
      properties: {
        commandEventId: { type: 'string', format: 'uuid', description: 'The command on lead-events.v1; the verdict names it as its cause.' },
        message: { type: 'string' },
      },
    },
    AssignmentExplanation: {
      type: 'object',
      required: ['leadId', 'status', 'summary', 'ownerRepId', 'decisions'],
      properties: {
        leadId: { type: 'string' },
        status: { type: 'string' },
        summary: { type: 'string', description: 'One sentence: who owns the lead and why (rule, pool, reps skipped and why, policy version).' },
        ownerRepId: nullable('string'),
        rule: nullable('string'),
        pool: nullable('string'),
        reason: nullable('string'),
        reassignment: { type: 'boolean' },
        reassignmentCause: nullable('string'),
        previousRepId: nullable('string'),
        skipped: { type: 'array', items: { type: 'object', description: 'A rep passed over, with the reason (e.g. at_capacity).' } },
        policyVersion: nullable('string'),
        queuedAt: nullable('string', { format: 'date-time' }),
        owners: { type: 'array', items: { type: 'object' }, description: 'Every owner the lead had, in order.' },
        decisions: { type: 'array', items: { type: 'object', description: "A routing decision with the event that caused it." } },
      },
    },
  },
};
