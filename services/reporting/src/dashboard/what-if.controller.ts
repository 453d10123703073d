import { Body, Controller, Headers, HttpCode, HttpException, Post } from '@nestjs/common';
import { AccessControl, AuthenticatedBy, Authenticator, cookiesOf, SESSION_COOKIE, SESSION_HEADER } from '@lead-sla/auth';
import { loadEnvConfig } from '@lead-sla/platform';
import { DASHBOARD_ACTION_HEADER } from './dashboard-actions.controller';
import { postToEngine, relayWhatIf, whatIfRelayEnv, type WhatIfRelaySettings } from './what-if-relay';

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
@AuthenticatedBy("reporting's what-if relay: the dashboard session with the dashboard's header, or a bearer token or key; then the authorization table (policy.simulate: admins)")
export class WhatIfController {
  private readonly settings: WhatIfRelaySettings;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly access: AccessControl,
  ) {
    const c = loadEnvConfig(whatIfRelayEnv);
    this.settings = { url: c.WHAT_IF_URL, adminToken: c.WHAT_IF_ADMIN_TOKEN, timeoutMs: c.WHAT_IF_PAGE_TIMEOUT_MS };
  }

  @Post()
  @HttpCode(200)
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
