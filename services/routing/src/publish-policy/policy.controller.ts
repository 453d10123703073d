import { BadRequestException, Body, Controller, ConflictException, HttpCode, Post } from '@nestjs/common';
import { actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { parsePublishPolicyRequest } from './publish-policy-request.schema';
import { PolicyPublishingService, PolicyVersionConflict } from './policy-publishing.service';

/**
 * The policy admin API (docs/policy.md): an admin publishes a new version, or
 * asks first what it would change. The history is reporting's
 * `GET /v1/policies`.
 */
@Controller('v1/policies')
export class PolicyController {
  constructor(private readonly publisher: PolicyPublishingService) {}

  /** Publishes a version: 201 with the diff against the one it replaces; 200 when that document is already published; 409 for a changed document under a published version. */
  @Post()
  @HttpCode(201)
  @Guarded('policy.publish')
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
  async dryRun(@Body() body: unknown) {
    const request = parsePublishPolicyRequest(body, { reasonRequired: false });
    if (!request.ok) throw invalid(request.problems);
    return this.publisher.dryRun(request.policy, request.whatIf);
  }
}

function invalid(problems: readonly string[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid policy: ${problems.join('; ')}`, problems });
}
