import { Body, Controller, ForbiddenException, Headers, HttpException, Param, Post, Res, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuthenticatedBy, Authenticator, cookiesOf, DEMO_PERSON_HEADER, SESSION_COOKIE, SESSION_HEADER } from '@lead-sla/auth';
import { envSettings, parseEnv } from '@lead-sla/platform';

/** Where the dashboard's actions go: the services that own them (set by `npm start` and the test harness). */
export const dashboardActionsSettings = envSettings({
  ROUTING_URL: z.url({ message: "must be routing's base URL, e.g. http://127.0.0.1:3001" }).optional(),
  DISPOSITION_URL: z.url({ message: "must be disposition's base URL, e.g. http://127.0.0.1:3003" }).optional(),
});

/** The header the dashboard's script sends: a page on another site cannot send it without a CORS grant, which no service gives. */
export const DASHBOARD_ACTION_HEADER = 'x-lead-sla-dashboard';

interface ActionResponse {
  status(code: number): unknown;
}
type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The dashboard's actions (reinstate, reassign, accept, reject, record a
 * disposition), relayed to the service that owns each with the viewer's
 * session. This proxy decides nothing: the owning service verifies the
 * forwarded session (X-Dashboard-Session, the ID token of the HttpOnly
 * cookie, which the browser's script never sees), authorizes it with the one
 * table and publishes the command with the signed-in person as actor. The
 * proxy only refuses a request without the dashboard's header (another site's
 * page) or without a session. docs/security.md, "The dashboard's actions".
 */
@Controller('api/actions')
@ApiTags('dashboard')
@ApiSecurity('session')
@ApiHeader({ name: DASHBOARD_ACTION_HEADER, required: true, description: "Any value: sent by the dashboard's own script (another site's page cannot send it)." })
@ApiResponse({ status: 202, description: "The owning service's answer, relayed as it gave it (status and body; errors too)." })
@ApiResponse({ status: 401, description: 'No dashboard session.' })
@ApiResponse({ status: 403, description: "Without the dashboard's header (another site's page)." })
@ApiResponse({ status: 503, description: 'The owning service is not configured (ROUTING_URL, DISPOSITION_URL) or did not answer.' })
@AuthenticatedBy("the owning service (routing or disposition), which verifies the forwarded dashboard session and decides with the authorization table")
export class DashboardActionsController {
  private readonly targets = parseEnv(dashboardActionsSettings);

  constructor(private readonly authenticator: Authenticator) {}

  @Post('reps/:repId/reinstate')
  @ApiOperation({ summary: 'Reinstate a rep from the dashboard', description: 'Relayed with the viewer\'s session to routing\'s `POST /api/reps/{repId}/reinstate`, which authorizes and answers (see its document).' })
  reinstate(@Param('repId') repId: string, @Body() body: unknown, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: ActionResponse) {
    return this.relay('routing', `/api/reps/${encodeURIComponent(repId)}/reinstate`, body, headers, res);
  }

  @Post('leads/:leadId/reassign')
  @ApiOperation({ summary: 'Reassign a lead from the dashboard', description: 'Relayed with the viewer\'s session to routing\'s `POST /api/leads/{leadId}/reassign`, which authorizes and answers (see its document).' })
  reassign(@Param('leadId') leadId: string, @Body() body: unknown, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: ActionResponse) {
    return this.relay('routing', `/api/leads/${encodeURIComponent(leadId)}/reassign`, body, headers, res);
  }

  @Post('leads/:leadId/accept')
  @ApiOperation({ summary: 'Accept a lead from the dashboard', description: 'Relayed with the viewer\'s session to disposition\'s `POST /api/leads/{leadId}/accept`, which authorizes and answers (see its document).' })
  accept(@Param('leadId') leadId: string, @Body() body: unknown, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: ActionResponse) {
    return this.relay('disposition', `/api/leads/${encodeURIComponent(leadId)}/accept`, body, headers, res);
  }

  @Post('leads/:leadId/reject')
  @ApiOperation({ summary: 'Reject a lead from the dashboard', description: 'Relayed with the viewer\'s session to disposition\'s `POST /api/leads/{leadId}/reject`, which authorizes and answers (see its document).' })
  reject(@Param('leadId') leadId: string, @Body() body: unknown, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: ActionResponse) {
    return this.relay('disposition', `/api/leads/${encodeURIComponent(leadId)}/reject`, body, headers, res);
  }

  @Post('leads/:leadId/dispositions')
  @ApiOperation({ summary: 'Record a disposition from the dashboard', description: 'Relayed with the viewer\'s session to disposition\'s `POST /api/leads/{leadId}/dispositions`, which authorizes and answers (see its document).' })
  dispose(@Param('leadId') leadId: string, @Body() body: unknown, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: ActionResponse) {
    return this.relay('disposition', `/api/leads/${encodeURIComponent(leadId)}/dispositions`, body, headers, res);
  }

  private async relay(service: 'routing' | 'disposition', path: string, body: unknown, headers: RequestHeaders, res: ActionResponse): Promise<unknown> {
    const one = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    if (one(DASHBOARD_ACTION_HEADER) !== '1') {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `dashboard actions come from the dashboard's own script (header ${DASHBOARD_ACTION_HEADER}: 1); other callers use ${service}'s API directly with their own credentials` });
    }
    const base = service === 'routing' ? this.targets.ROUTING_URL : this.targets.DISPOSITION_URL;
    if (!base) throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: `the dashboard cannot reach ${service}: set ${service === 'routing' ? 'ROUTING_URL' : 'DISPOSITION_URL'} on reporting (docs/dashboard.md)` });
    const forward: Record<string, string> = { 'content-type': 'application/json' };
    const key = one('idempotency-key');
    if (key) forward['idempotency-key'] = key;
    if (this.authenticator.demo) {
      // Demo mode has no identity: the viewer's demo person (AUTH_DEMO_PERSON) acts, so the owning service decides as for them.
      const who = await this.authenticator.authenticate(headers);
      if (who.ok && who.principal.kind === 'person') forward[DEMO_PERSON_HEADER] = who.principal.id;
    } else {
      const session = cookiesOf(one('cookie'))[SESSION_COOKIE];
      if (!session) throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'not signed in (or the session expired): sign in at /auth/login, then try again' });
      forward[SESSION_HEADER] = session;
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${base}${path}`, { method: 'POST', headers: forward, body: JSON.stringify(body ?? {}), signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: `${service} did not answer at ${base} (${(error as Error).message}); try again shortly` });
    }
    const answer: unknown = await upstream.json().catch(() => ({ message: `${service} answered ${upstream.status} without a JSON body` }));
    if (!upstream.ok) throw new HttpException(answer as Record<string, unknown>, upstream.status);
    res.status(upstream.status);
    return answer;
  }
}
