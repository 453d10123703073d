import { randomUUID } from 'node:crypto';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BadRequestException, Body, ConflictException, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AccessControl, actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { buildEvent } from '@lead-sla/decider';
import { OutboxWriter } from '@lead-sla/messaging';
import { inTransaction, type Clock } from '@lead-sla/platform';
import { ApiError, CLOCK, DATA_SOURCE, GuardedRoute, PolicyProvider, requestSchema } from '@lead-sla/service-runtime';
import { RoutingStateRepository } from '../route-event/routing-state.repository';
import { parseReassignRequest, ReassignRequest } from './reassign-request.schema';

/**
 * POST /api/leads/:leadId/reassign — a manager hands a lead to the rep they
 * chose (the dashboard's "Reassign"). Authorized against the lead's owner as
 * routing knows it now (the owner's manager or an admin; for a queued lead,
 * the chosen rep's manager), then published as LeadReassignmentRequested
 * with the verified actor; routing's decider publishes the LeadAssigned when
 * it consumes it. Answers 202 with the command's event id.
 */
@Controller('api/leads')
@ApiTags('leads')
export class ReassignLeadController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: RoutingStateRepository,
    private readonly policies: PolicyProvider,
    private readonly outbox: OutboxWriter,
    private readonly access: AccessControl,
  ) {}

  @Post(':leadId/reassign')
  @HttpCode(202)
  @Guarded('lead.reassign')
  @ApiOperation({
    summary: 'Hand a lead to another rep (a manager\'s reassignment)',
    description: "The lead's owner's manager or an admin (for a queued lead, the chosen rep's manager). Published as LeadReassignmentRequested; routing publishes LeadAssigned, caused by it, once it has applied it.",
  })
  @ApiBody({ required: true, schema: requestSchema(ReassignRequest) })
  @ApiResponse({
    status: 202,
    description: 'Accepted and published.',
    schema: { allOf: [{ $ref: '#/components/schemas/CommandAccepted' }, { type: 'object', properties: { leadId: { type: 'string' }, fromRepId: { type: ['string', 'null'] } as object, toRepId: { type: 'string' } } }] },
  })
  @ApiError(400, 'The body is invalid, or toRepId is not a rep of the policy in force; `problems` names each field.')
  @ApiError(404, 'Routing has no such lead (not created yet, or not consumed yet).')
  @ApiError(409, 'The lead is released (closed or recycled) until it re-qualifies, or the rep owns it already.')
  @GuardedRoute()
  async reassign(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown) {
    const parsed = parseReassignRequest(body);
    if (!parsed.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid reassign request: ${parsed.problems.join('; ')}`, problems: parsed.problems });
    const { toRepId, note } = parsed.value;
    const policy = this.policies.current();
    if (!policy.reps.some((r) => r.id === toRepId)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `body.toRepId: no rep "${toRepId}" in policy version ${policy.version}; pick one of ${policy.reps.map((r) => r.id).join(', ')}` });
    }
    const row = await inTransaction(this.dataSource, (tx) => this.repository.explanation(tx, leadId));
    if (!row) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `routing has no lead "${leadId}" (not created yet, or not consumed yet)` });
    const fromRepId = row.state.ownerRepId;
    this.access.require(principal, { kind: 'lead.reassign', ownerRepId: fromRepId, toRepId });
    if (row.state.released !== undefined) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `lead "${leadId}" is ${row.state.released} and no longer routed: it cannot be reassigned until it re-qualifies` });
    }
    if (fromRepId === toRepId) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `lead "${leadId}" is already owned by "${toRepId}"` });
    const at = this.clock.now();
    const command = buildEvent({
      type: 'LeadReassignmentRequested',
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      leadId,
      correlationId: leadId,
      causationId: null,
      data: { toRepId, fromRepId, actor: actorOf(principal), ...(note ? { note } : {}) },
    });
    await this.outbox.transaction(async (_tx, emit) => emit([command]));
    return {
      leadId,
      fromRepId,
      toRepId,
      commandEventId: command.eventId,
      message: `reassignment of ${leadId} ${fromRepId ? `from ${fromRepId} ` : 'out of the unassigned queue '}to ${toRepId} accepted; routing publishes LeadAssigned (caused by ${command.eventId}) once it has applied it`,
    };
  }
}
