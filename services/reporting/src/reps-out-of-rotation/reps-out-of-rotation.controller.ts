import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, Filter, Limit, Offset } from '../openapi/reporting-api';
import type { Query as Q } from '../http/query-params.util';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { PolicyProvider } from '@lead-sla/service-runtime';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { parseOutOfRotationQuery } from './out-of-rotation-query.util';

/** Reps routing took out of rotation and no manager has reinstated yet, longest out first, with the misses that caused it. */
@Controller('api/reps/out-of-rotation')
@ApiTags('reps')
export class RepsOutOfRotationController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
    private readonly policies: PolicyProvider,
  ) {}

  @Get()
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Reps out of rotation',
    description:
      'Reps routing took out of the round-robin rotation (too many SLA misses inside the policy window) and no manager has reinstated yet, longest out first, with the misses that caused it. Reinstate with POST /api/reps/{repId}/reinstate on routing.',
  })
  @Filter('rep', 'Only this rep.')
  @Filter('team', 'Only reps of this team (a manager asks for their team).')
  @Limit(1000, 100)
  @Offset()
  @Answers('RepsOutOfRotationPage', 'The reps out of rotation.')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    const q = parseOutOfRotationQuery(query);
    this.access.require(principal, { kind: 'reports.read', repId: q.rep, teamId: q.rep === undefined ? q.team : undefined });
    // A team is its reps in the policy in force (the rotation table keeps reps only).
    const reps = q.team === undefined ? undefined : this.policies.current().reps.filter((r) => r.teamId === q.team).map((r) => r.id);
    const { items, more } = await this.queries.repsOutOfRotation(q, reps);
    return { items, limit: q.limit, offset: q.offset, nextOffset: more ? q.offset + q.limit : null };
  }
}
