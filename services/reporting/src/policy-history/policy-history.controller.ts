import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { Guarded } from '@lead-sla/auth';
import { integerIn, onlyKnown, optionalText, type Query as Q } from '../http/query-params.util';
import { ReportingQueries } from '../http/reporting-queries.repository';

/**
 * GET /v1/policies?limit=&offset=&documents=true — the policy history,
 * newest first: version, when, who, why and what changed from the version
 * before (docs/policy.md). Managers and admins.
 */
@Controller('v1/policies')
export class PolicyHistoryController {
  constructor(private readonly queries: ReportingQueries) {}

  @Get()
  @Guarded('policy.read')
  async list(@Query() query: Q) {
    onlyKnown(query, ['limit', 'offset', 'documents']);
    const limit = integerIn(query, 'limit', 1, 500, 50);
    const offset = integerIn(query, 'offset', 0, 1_000_000, 0);
    const documents = optionalText(query, 'documents');
    if (documents !== undefined && documents !== 'true' && documents !== 'false') {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `documents must be "true" or "false", got "${documents}"` });
    }
    const { items, more } = await this.queries.policyHistory({ limit, offset, withDocuments: documents === 'true' });
    return { items, limit, offset, nextOffset: more ? offset + limit : null };
  }
}
