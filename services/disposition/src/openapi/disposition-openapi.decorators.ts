import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ApiError, GuardedRoute, requestSchema } from '@lead-sla/service-runtime';

const refusal = (status: number, description: string) => ApiResponse({ status, description, schema: { $ref: '#/components/schemas/Refusal' } });

/** A lead command of a person: its body (the event's own contract schema: HTTP and Kafka accept the same data), idempotency and answers. */
export function LeadCommandRoute(summary: string, description: string, body: z.ZodType) {
  return applyDecorators(
    ApiTags('leads'),
    ApiOperation({ summary, description }),
    ApiHeader({
      // The name @Headers('idempotency-key') gives the parameter (header names are case-insensitive).
      name: 'idempotency-key',
      required: false,
      description: "Makes a retried request publish once: the same key answers with the first request's event id. Scoped to the caller.",
      schema: { type: 'string' },
    }),
    ApiBody({ required: true, schema: requestSchema(body) }),
    ApiResponse({ status: 202, description: 'Accepted and published; the disposition service applies it when it consumes it.', schema: { $ref: '#/components/schemas/Published' } }),
    ApiError(400, 'The body is malformed; `problems` names each field.'),
    GuardedRoute(),
    ApiError(404, 'The disposition service has not seen this lead (not created yet, or not consumed yet).'),
    refusal(422, "The lead's state or the policy refuses it; `problems` says why (e.g. an unknown reason code, or too little effort for \"No Response\")."),
  );
}

/** The refusals of the SAL decision (accept, reject), also published on the log. */
export const SalRefusals = () =>
  applyDecorators(refusal(403, 'May not decide for this lead (not its owner, their manager or an admin); the refused request is on the log.'), refusal(409, "The lead's state does not allow it (e.g. already decided); every clock keeps running."));
