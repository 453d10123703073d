import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { inTransaction } from '@lead-sla/platform';
import { ApiError, DATA_SOURCE, GuardedRoute } from '@lead-sla/service-runtime';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { RoutingStateRepository } from '../route-event/routing-state.repository';
import { explainAssignment } from './assignment-explanation.util';

/** GET /api/leads/:leadId/assignment-explanation — "why was lead X assigned to Y". */
@Controller('api/leads')
@ApiTags('leads')
export class AssignmentExplanationController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly repository: RoutingStateRepository,
    private readonly access: AccessControl,
  ) {}

  @Get(':leadId/assignment-explanation')
  @Guarded('lead.read')
  @ApiOperation({ summary: 'Why a lead was assigned to its owner', description: "Routing's decisions about the lead (rule, pool, reps skipped and why, policy version) and its owners, read from routing's own state. The lead's owner, their manager and admins." })
  @ApiResponse({ status: 200, description: 'The explanation.', schema: { $ref: '#/components/schemas/AssignmentExplanation' } })
  @ApiError(404, 'Routing has no such lead (not created yet, or not consumed yet).')
  @GuardedRoute()
  async explain(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string) {
    // The lead row carries its own decision log, so one read answers.
    const row = await inTransaction(this.dataSource, (tx) => this.repository.explanation(tx, leadId));
    if (!row) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `routing has no lead "${leadId}" (not created yet, or not consumed yet)` });
    this.access.require(principal, { kind: 'lead.read', ownerRepId: row.state.ownerRepId });
    return explainAssignment(leadId, row.status, row.state, row.decisions, row.queuedAt);
  }
}
