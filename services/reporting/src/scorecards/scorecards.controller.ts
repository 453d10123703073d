import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, Day, Filter, Limit, Offset, QueryParam } from '../openapi/reporting-api';
import { integerIn, oneOf, onlyKnown, optionalText, period, type Query as Q } from '../http/query-params.util';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { DIMENSIONS } from './scorecard-cells.query';

/** Scorecards by dimension and period, exact (percentile_disc over the lead rows of the period). */
@Controller('api/scorecards')
@ApiTags('scorecards')
export class ScorecardsController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  @Get()
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Scorecards by dimension and period',
    description:
      'Figures over the leads created in [from, to] (UTC days), per key of the dimension (rep/team = first owner; on rep and team cards breaches, escalations and fallbacks count for the rep/team who held the lead when they happened), or per key and day with groupBy=day. Median and p90 are exact (percentile_disc).',
  })
  @QueryParam('dimension', 'Scorecard dimension.', { type: 'string', enum: [...DIMENSIONS] }, true)
  @Day('from', 'First creation day (inclusive).')
  @Day('to', 'Last creation day (inclusive, < 366 days after from).')
  @QueryParam('groupBy', 'One card per key over the period, or per key and day.', { type: 'string', enum: ['period', 'day'], default: 'period' })
  @Filter('key', 'Only this key of the dimension.')
  @Filter('rep', 'Only leads whose first owner is this rep.')
  @Filter('team', 'Only leads whose first owner is in this team.')
  @Filter('source', 'Only leads of this source.')
  @Filter('segment', 'Only leads of this segment.')
  @Limit(1000, 100)
  @Offset()
  @Answers('ScorecardsPage', 'Scorecards, ordered by key (and day).')
  async scorecards(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['dimension', 'from', 'to', 'groupBy', 'key', 'rep', 'team', 'source', 'segment', 'limit', 'offset']);
    const dimension = oneOf(query, 'dimension', DIMENSIONS);
    const { from, to } = period(query);
    const groupBy = oneOf(query, 'groupBy', ['period', 'day'] as const, 'period');
    const limit = integerIn(query, 'limit', 1, 1000, 100);
    const offset = integerIn(query, 'offset', 0, 1_000_000, 0);
    const filters = {
      rep: optionalText(query, 'rep'),
      team: optionalText(query, 'team'),
      source: optionalText(query, 'source'),
      segment: optionalText(query, 'segment'),
    };
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { items, more } = await this.queries.scorecards({ dimension, from, to, groupBy, key: optionalText(query, 'key'), filters, limit, offset });
    return { dimension, from, to, groupBy, items, limit, offset, nextOffset: more ? offset + limit : null };
  }

  /** Speed to lead in buckets (the dashboard's distribution chart): the same cohort and filters as the scorecards. */
  @Get('speed-to-lead')
  @Guarded('reports.read')
  @ApiOperation({ summary: 'Speed-to-lead distribution', description: 'Leads created in [from, to] by time from creation to the first owned touch, in fixed buckets (the dashboard chart), plus those not touched yet.' })
  @Day('from', 'First creation day (UTC).')
  @Day('to', 'Last creation day (UTC), inclusive.')
  @Filter('team', 'Only leads first owned by this team.')
  @Filter('rep', 'Only leads first owned by this rep.')
  @Answers('SpeedToLead', 'The distribution.')
  async speedToLead(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['from', 'to', 'rep', 'team']);
    const { from, to } = period(query);
    const filters = { rep: optionalText(query, 'rep'), team: optionalText(query, 'team') };
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { counts, untouched } = await this.queries.speedToLeadDistribution({ from, to, filters, lowerBounds: SPEED_TO_LEAD_BUCKETS.map((b) => b.fromSeconds) });
    return { from, to, ...filters, buckets: SPEED_TO_LEAD_BUCKETS.map((b, i) => ({ ...b, leads: counts[i] })), notTouchedYet: untouched };
  }
}

/** The distribution's buckets: around the first-touch aims (5 and 10 minutes) and the hour. */
const SPEED_TO_LEAD_BUCKETS = [
  { label: '< 1 min', fromSeconds: 0 },
  { label: '1–5 min', fromSeconds: 60 },
  { label: '5–10 min', fromSeconds: 300 },
  { label: '10–30 min', fromSeconds: 600 },
  { label: '30–60 min', fromSeconds: 1800 },
  { label: '1–24 h', fromSeconds: 3600 },
  { label: '≥ 24 h', fromSeconds: 86_400 },
] as const;

