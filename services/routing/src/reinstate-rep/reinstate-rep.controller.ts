import { randomUUID } from 'node:crypto';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BadRequestException, Body, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { AccessControl, actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { OutboxWriter } from '@lead-sla/messaging';
import { buildEvent } from '@lead-sla/decider';
import type { Clock } from '@lead-sla/platform';
import { ApiError, CLOCK, GuardedRoute, PolicyProvider, requestSchema } from '@lead-sla/service-runtime';
import { parseReinstateRequest, ReinstateRequest } from './reinstate-request.schema';

/**
 * POST /api/reps/:repId/reinstate — a manager asks to put a rep back into
 * rotation. The request is published as a RepReinstated command; routing's
 * decider gives the verdict (RepRotationChanged) when it consumes it, so a
 * replay of the log reproduces the reinstatement. Answers 202 with the
 * command's event id to follow on the topic.
 */
@Controller('api/reps')
@ApiTags('reps')
export class ReinstateRepController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PolicyProvider,
    private readonly outbox: OutboxWriter,
    private readonly access: AccessControl,
  ) {}

  @Post(':repId/reinstate')
  @HttpCode(202)
  @Guarded('rep.reinstate')
  @ApiOperation({
    summary: 'Put a rep back into rotation',
    description: "The rep's manager or an admin. Published as RepReinstated; routing publishes RepRotationChanged, caused by it, once it has applied it. `managerId` in the body is ignored: who reinstates is the verified caller.",
  })
  @ApiBody({ required: false, schema: requestSchema(ReinstateRequest) })
  @ApiResponse({ status: 202, description: 'Accepted and published.', schema: { allOf: [{ $ref: '#/components/schemas/CommandAccepted' }, { type: 'object', properties: { repId: { type: 'string' } } }] } })
  @ApiError(400, 'The body is invalid; `problems` names each field.')
  @ApiError(404, 'No such rep in the policy in force.')
  @GuardedRoute()
  async reinstate(@CurrentPrincipal() principal: Principal, @Param('repId') repId: string, @Body() body: unknown) {
    const parsed = parseReinstateRequest(body);
    if (!parsed.ok) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid reinstate request: ${parsed.problems.join('; ')}`, problems: parsed.problems });
    }
    const policy = this.policies.current();
    const rep = policy.reps.find((r) => r.id === repId);
    if (!rep) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no rep "${repId}" in policy version ${policy.version}` });
    }
    this.access.require(principal, { kind: 'rep.reinstate', repId });
    const { note } = parsed.value;
    const actor = actorOf(principal);
    const managerId = actor.id;
    const at = this.clock.now();
    const command = buildEvent({
      type: 'RepReinstated',
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      leadId: null,
      correlationId: `reinstate:${repId}:${at.toISOString()}`,
      causationId: null,
      data: { repId, managerId, actor, ...(note ? { note } : {}) },
    });
    await this.outbox.transaction(async (_tx, emit) => emit([command]));
    return {
      repId,
      commandEventId: command.eventId,
      message: `reinstatement of ${repId} by ${managerId} accepted; routing publishes RepRotationChanged (caused by ${command.eventId}) once it has applied it`,
    };
  }
}
