import { Controller, Get, Query } from '@nestjs/common';
import type { Query as Q } from '../http/query-params.util';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { parseOutOfRotationQuery } from './out-of-rotation-query.util';

/** Reps routing took out of rotation and no manager has reinstated yet, longest out first, with the misses that caused it. */
@Controller('api/reps/out-of-rotation')
export class RepsOutOfRotationController {
  constructor(private readonly queries: ReportingQueries) {}

  @Get()
  async list(@Query() query: Q) {
    const q = parseOutOfRotationQuery(query);
    const { items, more } = await this.queries.repsOutOfRotation(q);
    return { items, limit: q.limit, offset: q.offset, nextOffset: more ? q.offset + q.limit : null };
  }
}
