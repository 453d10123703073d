import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, ClockParam, Day, Filter, Limit, Offset } from '../openapi/reporting-api';
import { ClockKind } from '@lead-sla/contracts';
import { integerIn, oneOf, onlyKnown, optionalText, requiredDay, type Query as Q } from '../http/query-params.util';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ReportingQueries } from '../http/reporting-queries.repository';

/** The daily missed-SLA report: the breaches of one UTC day with a summary per clock and per rep. */
@Controller('api/reports/missed-sla')
@ApiTags('reports')
export class MissedSlaController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  @Get()
  @Guarded('reports.read')
  @ApiOperation({ summary: 'Daily missed-SLA report', description: 'Breaches (not escalation steps) of one UTC day, with totals per clock and per rep.' })
  @Day('day', 'The UTC day of the breaches.')
  @Filter('team', 'Only breaches of this team.')
  @Filter('rep', 'Only breaches of this owner.')
  @ClockParam()
  @Limit(1000, 100)
  @Offset()
  @Answers('MissedSlaReport', 'The report.')
  async report(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['day', 'team', 'rep', 'clock', 'limit', 'offset']);
    const day = requiredDay(query, 'day');
    const limit = integerIn(query, 'limit', 1, 1000, 100);
    const offset = integerIn(query, 'offset', 0, 1_000_000, 0);
    const clock = query.clock === undefined ? undefined : oneOf(query, 'clock', ClockKind.options);
    const filters = { team: optionalText(query, 'team'), rep: optionalText(query, 'rep'), clock };
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { summary, items, more } = await this.queries.missedSla({ day, filters, limit, offset });
    return { day, summary, items, limit, offset, nextOffset: more ? offset + limit : null };
  }
}
