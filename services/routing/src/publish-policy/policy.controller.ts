import { BadRequestException, Body, Controller, ConflictException, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiError, GuardedRoute, requestSchema } from '@lead-sla/service-runtime';
import { actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { parsePublishPolicyRequest, PublishPolicyRequest } from './publish-policy-request.schema';
import { PolicyPublishingService, PolicyVersionConflict } from './policy-publishing.service';

/**
 * The policy admin API (docs/policy.md): an admin publishes a new version, or
 * asks first what it would change. The history is reporting's
 * `GET /v1/policies`.
 */
@Controller('v1/policies')
@ApiTags('policies')
@ApiError(400, 'The body or the policy in it is invalid; each of `problems` names its path (`body.reason: …`, `document.routing.defaultPool: …`).')
@GuardedRoute()
export class PolicyController {
  constructor(private readonly publisher: PolicyPublishingService) {}

  /** Publishes a version: 201 with the diff against the one it replaces; 200 when that document is already published; 409 for a changed document under a published version. */
  @Post()
  @HttpCode(201)
  @Guarded('policy.publish')
  @ApiOperation({ summary: 'Publish a policy version (admins)', description: 'The document (JSON, or YAML text) and why it changes. One PolicyPublished per partition of lead-events.v1; the services switch to it at that position of the log (docs/policy.md).' })
  @ApiBody({ required: true, schema: requestSchema(PublishPolicyRequest.omit({ whatIf: true })) })
  @ApiResponse({ status: 201, description: 'Published: the version, the partitions it went to and the diff against the version it replaces.' })
  @ApiResponse({ status: 200, description: 'This document is already published under its version: nothing is published.' })
  @ApiError(409, 'A different document is already published under this version: give it a new version.')
  async publish(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const request = parsePublishPolicyRequest(body, { reasonRequired: true });
    if (!request.ok) throw invalid(request.problems);
    try {
      return await this.publisher.publish(request.policy, actorOf(principal), request.reason);
    } catch (error) {
      if (error instanceof PolicyVersionConflict) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: error.message, version: error.version });
      throw error;
    }
  }

  /**
   * What publishing would change (the diff against the current version), the
   * live state it would orphan and, from the what-if engine when one is
   * configured, what it would have done over `whatIf: {from, to, team}`
   * (default: the last 30 days); publishes nothing.
   */
  @Post('dry-run')
  @HttpCode(200)
  @Guarded('policy.publish')
  @ApiOperation({
    summary: 'What publishing a policy version would change (admins); publishes nothing',
    description: 'The diff against the current version, the live state it would orphan and, when a what-if engine is configured, what it would have done over `whatIf: {from, to, team}` (default: the last 30 days).',
  })
  @ApiBody({ required: true, schema: requestSchema(PublishPolicyRequest.extend({ reason: PublishPolicyRequest.shape.reason.optional() })) })
  @ApiResponse({ status: 200, description: 'The dry run: currentVersion, proposedVersion, versionConflict, diff, orphans and whatIf.' })
  async dryRun(@Body() body: unknown) {
    const request = parsePublishPolicyRequest(body, { reasonRequired: false });
    if (!request.ok) throw invalid(request.problems);
    return this.publisher.dryRun(request.policy, request.whatIf);
  }
}

function invalid(problems: readonly string[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid policy: ${problems.join('; ')}`, problems });
}
