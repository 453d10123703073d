import { Controller, Get, Query } from '@nestjs/common';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { integerIn, onlyKnown, optionalText, type Query as Q } from '../http/query-params.util';
import { ReportingQueries } from '../http/reporting-queries.repository';

/**
 * GET /api/clocks/open — every running SLA clock (assign, first touch,
 * second touch, accept/reject, response, reply, unassigned queue, data
 * cleanup) with its deadline, most urgent first: the dashboard's board
 * (clocks with an owner) and unassigned queue (clocks without one).
 * Scoped like the board: a manager asks for a team they run, a rep for themselves.
 */
@Controller('api/clocks')
export class OpenClocksController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  @Get('open')
  @Guarded('reports.read')
  async open(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['team', 'rep', 'limit']);
    const filters = { team: optionalText(query, 'team'), rep: optionalText(query, 'rep') };
    const limit = integerIn(query, 'limit', 1, 5000, 1000);
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { items, more } = await this.queries.openClocks(filters, limit);
    return { serverTime: new Date().toISOString(), items, more };
  }
}
