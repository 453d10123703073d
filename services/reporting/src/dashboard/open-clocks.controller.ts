import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, Filter, Limit } from '../openapi/reporting-api';
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
@ApiTags('board')
export class OpenClocksController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  @Get('open')
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Every running SLA clock',
    description:
      "Every clock the timer started and has not stopped (assign, first touch, second touch, accept/reject, response, reply, unassigned queue, data cleanup), most urgent first, with the lead's status: the dashboard's board (clocks with an owner) and unassigned queue (without one). A manager asks with ?team=, a rep with ?rep=.",
  })
  @Filter('team', "Only clocks of this team (a queued lead's clock has its pool's team).")
  @Filter('rep', 'Only clocks this rep owns.')
  @Limit(5000, 1000)
  @Answers('OpenClocks', 'The running clocks.')
  async open(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['team', 'rep', 'limit']);
    const filters = { team: optionalText(query, 'team'), rep: optionalText(query, 'rep') };
    const limit = integerIn(query, 'limit', 1, 5000, 1000);
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { items, more } = await this.queries.openClocks(filters, limit);
    return { serverTime: new Date().toISOString(), items, more };
  }
}
