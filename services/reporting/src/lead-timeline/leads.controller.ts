import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LeadIdParam, NotFoundAnswer } from '../openapi/reporting-api';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { timelineOf } from './lead-timeline';

@Controller('api/leads')
@ApiTags('leads')
export class LeadsController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  /** The lead row as stored (every milestone and the SLA outcome per clock). */
  @Get(':leadId')
  @Guarded('lead.read')
  @ApiOperation({ summary: 'A lead row', description: 'Every milestone timestamp and the SLA outcome per clock (the lead-row read model, see services/reporting/src/projections/README.md).' })
  @LeadIdParam()
  @ApiResponse({ status: 200, description: 'The lead row.', schema: { type: 'object' } })
  @NotFoundAnswer('No such lead.')
  async lead(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string) {
    const row = await this.queries.leadRow(leadId);
    if (!row) throw new NotFoundException(`no lead "${leadId}" in the reporting projection`);
    this.access.require(principal, { kind: 'lead.read', ownerRepId: row.currentRepId });
    return row;
  }

  /** The lead's whole timeline with each deadline's clock math. */
  @Get(':leadId/timeline')
  @Guarded('lead.read')
  @ApiOperation({ summary: "A lead's whole timeline with each deadline's clock math" })
  @LeadIdParam()
  @ApiResponse({ status: 200, description: 'The timeline.', schema: { $ref: '#/components/schemas/LeadTimeline' } })
  @NotFoundAnswer('No such lead.')
  async timeline(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string) {
    const row = await this.queries.leadRow(leadId);
    if (!row) throw new NotFoundException(`no lead "${leadId}" in the reporting projection`);
    this.access.require(principal, { kind: 'lead.read', ownerRepId: row.currentRepId });
    const [clocks, breaches] = await Promise.all([this.queries.clockInstances(leadId), this.queries.breachesOf(leadId)]);
    const { appliedEventIds: _ids, ...lead } = row;
    return { leadId, lead, milestones: timelineOf(row), deadlines: clocks, breaches };
  }
}
