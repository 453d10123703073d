import { randomUUID } from 'node:crypto';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BadRequestException, Body, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { RepAvailabilityChangedV1 } from '@lead-sla/contracts';
import { OutboxWriter } from '@lead-sla/messaging';
import { buildEvent } from '@lead-sla/decider';
import type { Clock } from '@lead-sla/platform';
import { AccessControl, actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ApiError, CLOCK, GuardedRoute, PolicyProvider, requestSchema } from '@lead-sla/service-runtime';

/**
 * POST /api/reps/:repId/availability — a rep (or their manager, or an admin)
 * says the rep is available, unavailable, on PTO or on a shift override.
 * Published as RepAvailabilityChanged with the verified actor, exactly as a
 * WFM system would publish it through ingest; routing applies it when it
 * consumes it. Answers 202 with the event id.
 */
@Controller('api/reps')
@ApiTags('reps')
export class RepAvailabilityController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PolicyProvider,
    private readonly outbox: OutboxWriter,
    private readonly access: AccessControl,
  ) {}

  @Post(':repId/availability')
  @HttpCode(202)
  @Guarded('rep.availability')
  @ApiOperation({
    summary: "Change a rep's availability (available, unavailable, PTO, shift override)",
    description: 'The rep, their manager or an admin. Published as RepAvailabilityChanged with the verified caller as actor, exactly as a WFM system would publish it through ingest; the repId of the body is the path\'s.',
  })
  @ApiBody({ required: true, schema: requestSchema(RepAvailabilityChangedV1, ['repId']) })
  @ApiResponse({
    status: 202,
    description: 'Accepted and published.',
    schema: { type: 'object', required: ['repId', 'eventId', 'status'], properties: { repId: { type: 'string' }, eventId: { type: 'string', format: 'uuid' }, status: { type: 'string' } } },
  })
  @ApiError(400, 'The body is invalid; `problems` names each field.')
  @ApiError(404, 'No such rep in the policy in force.')
  @GuardedRoute()
  async change(@CurrentPrincipal() principal: Principal, @Param('repId') repId: string, @Body() body: unknown) {
    const policy = this.policies.current();
    if (!policy.reps.some((r) => r.id === repId)) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no rep "${repId}" in policy version ${policy.version}` });
    }
    this.access.require(principal, { kind: 'rep.availability', repId });
    // The v1 body has no actor, so the body cannot name who made the change.
    const parsed = RepAvailabilityChangedV1.safeParse({ ...(typeof body === 'object' && body !== null ? body : {}), repId });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `body.${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid availability change: ${problems.join('; ')}`, problems });
    }
    const at = this.clock.now();
    const event = buildEvent({
      type: 'RepAvailabilityChanged',
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      leadId: null,
      correlationId: `availability:${repId}:${at.toISOString()}`,
      causationId: null,
      data: { ...parsed.data, actor: actorOf(principal) },
    });
    await this.outbox.transaction(async (_tx, emit) => emit([event]));
    return { repId, eventId: event.eventId, status: parsed.data.status };
  }
}
