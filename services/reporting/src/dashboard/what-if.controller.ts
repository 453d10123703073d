import { Body, Controller, Headers, HttpCode, HttpException, Post } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiError, requestSchema } from '@lead-sla/service-runtime';
import { AccessControl, AuthenticatedBy, Authenticator, cookiesOf, SESSION_COOKIE, SESSION_HEADER } from '@lead-sla/auth';
import { parseEnv } from '@lead-sla/platform';
import { DASHBOARD_ACTION_HEADER } from './dashboard-actions.controller';
import { postToEngine, relayWhatIf, whatIfPageRequest, whatIfRelaySettings, type WhatIfRelaySettings } from './what-if-relay';

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * POST /api/what-if — the dashboard's what-if page: a candidate policy and
 * a period, run by the what-if engine (its own process, docs/what-if.md)
 * and answered as its HTML report. Admins only (policy.simulate in the
 * authorization table). The session cookie counts here only with the
 * dashboard's header, which another site's page cannot send, as for the
 * dashboard's actions; bearer tokens and admin keys work as everywhere.
 */
@Controller('api/what-if')
@ApiTags('dashboard')
@AuthenticatedBy("reporting's what-if relay: the dashboard session with the dashboard's header, or a bearer token or key; then the authorization table (policy.simulate: admins)")
export class WhatIfController {
  private readonly settings: WhatIfRelaySettings;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly access: AccessControl,
  ) {
    const c = parseEnv(whatIfRelaySettings);
    this.settings = { url: c.WHAT_IF_URL, adminToken: c.WHAT_IF_ADMIN_TOKEN, timeoutMs: c.WHAT_IF_PAGE_TIMEOUT_MS };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the what-if engine on a candidate policy (admins)',
    description: "Relayed to the what-if engine's `POST /admin/what-if` with reporting's WHAT_IF_ADMIN_TOKEN; answers its HTML report (docs/what-if.md).",
  })
  @ApiHeader({ name: DASHBOARD_ACTION_HEADER, required: false, description: "Needed with the dashboard's session cookie (another site's page cannot send it); not with a bearer token or key." })
  @ApiBody({ schema: requestSchema(whatIfPageRequest) })
  @ApiResponse({ status: 200, description: 'The comparison as the HTML report: `{ html }`.' })
  @ApiError(400, 'A broken candidate policy (the path the validation names) or period, or an empty period.')
  @ApiError(401, 'No credentials, or credentials that are unknown, revoked or expired.')
  @ApiError(403, 'Not an admin (policy.simulate in the authorization table).')
  @ApiError(409, 'The baseline does not reproduce the log: the first divergent event.')
  @ApiError(429, 'A what-if run is already under way.')
  @ApiError(502, 'The engine refused the token or failed.')
  @ApiError(503, 'The engine is not configured (WHAT_IF_URL, WHAT_IF_ADMIN_TOKEN) or did not answer.')
  async run(@Body() body: unknown, @Headers() headers: RequestHeaders) {
    const one = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const session = cookiesOf(one('cookie'))[SESSION_COOKIE];
    // A write with the cookie alone could come from another site's page: the cookie counts only with the dashboard's header.
    const credentials = session && one(DASHBOARD_ACTION_HEADER) === '1' ? { ...headers, [SESSION_HEADER]: session } : headers;
    const who = await this.authenticator.authenticate(credentials, 'POST');
    if (!who.ok) {
      const error = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[who.status];
      throw new HttpException({ statusCode: who.status, error, message: who.message }, who.status);
    }
    this.access.require(who.principal, { kind: 'policy.simulate' });
    const result = await relayWhatIf(this.settings, body, postToEngine);
    if (result.status !== 200) throw new HttpException(result.body, result.status);
    return result.body;
  }
}
