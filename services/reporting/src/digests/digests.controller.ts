import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, Day, Filter, QueryParam } from '../openapi/reporting-api';
import { AccessControl, CurrentPrincipal, Guarded, teamsManagedBy, type Principal } from '@lead-sla/auth';
import { PolicyProvider } from '@lead-sla/service-runtime';
import { badParameter, onlyKnown, optionalText, requiredDay, requiredText, type Query as Q } from '../http/query-params.util';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { buildFallbackReview, buildMissedSlaDigest, isoWeekBounds } from './domain/digest-builder';

/** Breaches listed one by one per team in the daily digest; the totals count them all. */
const ITEM_LIMIT = 50;

/**
 * The digests as JSON (docs/notifications.md): what notifications delivers by
 * email and Slack, and what anyone allowed to read the teams' reports may ask
 * for. Managers read their own teams' digests, admins and `read` keys all.
 */
@Controller('api/digests')
@ApiTags('reports')
export class DigestsController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
    private readonly policies: PolicyProvider,
  ) {}

  /** The daily missed-SLA report of a manager's teams, for a local date in each team's zone. */
  @Get('missed-sla')
  @Guarded('reports.read')
  @ApiOperation({
    summary: "Daily missed-SLA digest of a manager's teams",
    description:
      "What the manager receives each morning by email and Slack (docs/notifications.md): per team, the breaches (not escalation steps) of the local date in the team's zone, per clock and per rep, the first 50 breaches in time order (`more` counts the rest) and the number of escalation steps. A manager may read their own; admins and keys with the `read` scope any.",
  })
  @QueryParam('managerId', "The manager (a team's or a rep's manager in the policy in force).", { type: 'string', minLength: 1, maxLength: 200 }, true)
  @Day('date', "The local date reported, read in each team's zone.")
  @Filter('team', "Only this one of the manager's teams.")
  @Answers('MissedSlaDigest', 'The digest.')
  async missedSla(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['managerId', 'date', 'team']);
    const date = requiredDay(query, 'date');
    const managerId = requiredText(query, 'managerId');
    const teams = this.teamsOf(managerId, optionalText(query, 'team'));
    for (const teamId of teams) this.access.require(principal, { kind: 'reports.read', teamId });
    const policy = this.policies.current();
    const zones = teams.map((teamId) => {
      const calendarId = policy.teams.find((t) => t.id === teamId)?.calendarId;
      return { teamId, timeZone: policy.calendars.find((c) => c.id === calendarId)?.timeZone ?? 'UTC' };
    });
    const days = await this.queries.localDays(date, zones);
    const rows = await this.queries.digestRows(
      days.reduce((m, d) => (d.from < m ? d.from : m), days[0].from),
      days.reduce((m, d) => (d.to > m ? d.to : m), days[0].to),
      teams,
    );
    return buildMissedSlaDigest({ managerId, date, teams: days, rows, itemLimit: ITEM_LIMIT });
  }

  /** The weekly fallback review (ISO week, UTC): every team's, or a manager's teams' with managerId, or one team's. */
  @Get('fallback-review')
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Weekly fallback review',
    description:
      'The reassignments the escalation ladders made in an ISO week (Monday to Monday, UTC), per rep who lost the lead and per lead source (the same rows as bi.breach_v1 with action reassign). Every team for admins and `read` keys; with managerId or team, those teams (a manager may read their own).',
  })
  @QueryParam('week', 'ISO week, e.g. 2026-W48.', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }, true)
  @Filter('managerId', "Only this manager's teams.")
  @Filter('team', 'Only this team.')
  @Answers('FallbackReview', 'The review.')
  async fallbackReview(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, ['week', 'managerId', 'team']);
    const week = requiredText(query, 'week');
    const bounds = isoWeekBounds(week);
    if (!bounds) throw badParameter('week', `must be an ISO week "YYYY-Www", e.g. "2026-W48" (got "${week}")`);
    const managerId = optionalText(query, 'managerId');
    const team = optionalText(query, 'team');
    const teams = managerId !== undefined ? this.teamsOf(managerId, team) : team !== undefined ? [team] : null;
    if (teams === null) this.access.require(principal, { kind: 'reports.read' });
    else for (const teamId of teams) this.access.require(principal, { kind: 'reports.read', teamId });
    const rows = await this.queries.digestRows(bounds.from, bounds.to, teams);
    return buildFallbackReview({ week, ...bounds, teams, rows });
  }

  /** The teams a manager runs in the policy in force, or the one asked for among them. */
  private teamsOf(managerId: string, team: string | undefined): string[] {
    const policy = this.policies.current();
    const managed = teamsManagedBy(policy, managerId);
    if (managed.length === 0) throw badParameter('managerId', `"${managerId}" runs no team in the policy in force (version ${policy.version}); name a team's or a rep's manager`);
    if (team === undefined) return managed;
    if (!managed.includes(team)) throw badParameter('team', `"${team}" is not one of ${managerId}'s teams (${managed.join(', ')})`);
    return [team];
  }
}
