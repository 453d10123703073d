import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, Limit, Offset, QueryParam } from '../openapi/reporting-api';
import { Guarded } from '@lead-sla/auth';
import { integerIn, onlyKnown, optionalText, type Query as Q } from '../http/query-params.util';
import { ReportingQueries } from '../http/reporting-queries.repository';

/**
 * GET /v1/policies?limit=&offset=&documents=true — the policy history,
 * newest first: version, when, who, why and what changed from the version
 * before (docs/policy.md). Managers and admins.
 */
@Controller('v1/policies')
@ApiTags('policies')
export class PolicyHistoryController {
  constructor(private readonly queries: ReportingQueries) {}

  @Get()
  @Guarded('policy.read')
  @ApiOperation({
    summary: 'Policy history',
    description:
      'Every policy version published on the log, newest first: version, when, who (person, API key, or the policy file), why, the version it replaced and a one-line summary of what changed. Managers and admins. documents=true adds each whole document. Publish with POST /v1/policies on routing (docs/policy.md).',
  })
  @Limit(500, 50)
  @Offset()
  @QueryParam('documents', "Include each version's whole document.", { type: 'string', enum: ['true', 'false'] })
  @Answers('PolicyVersionsPage', 'The policy versions.')
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
