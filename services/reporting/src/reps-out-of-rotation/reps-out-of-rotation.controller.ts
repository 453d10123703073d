import { Controller, Get, Query } from '@nestjs/common';
import type { Query as Q } from '../http/query-params.util';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { parseOutOfRotationQuery } from './out-of-rotation-query.util';

/** Reps routing took out of rotation and no manager has reinstated yet, longest out first, with the misses that caused it. */
@Controller('api/reps/out-of-rotation')
export class RepsOutOfRotationController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly access: AccessControl,
  ) {}

  @Get()
  @Guarded('reports.read')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    const q = parseOutOfRotationQuery(query);
    this.access.require(principal, { kind: 'reports.read', repId: q.rep });
    const { items, more } = await this.queries.repsOutOfRotation(q);
    return { items, limit: q.limit, offset: q.offset, nextOffset: more ? q.offset + q.limit : null };
  }
}
