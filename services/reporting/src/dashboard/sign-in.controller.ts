import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { cookiesOf, loadAuthConfig, OidcSignIn, PENDING_COOKIE, Public, SESSION_COOKIE } from '@lead-sla/auth';

/** The slices of Express's request and response sign-in uses. */
interface SignInRequest {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly protocol: string;
}
interface SignInResponse {
  setHeader(name: string, value: string | string[]): void;
  redirect(status: number, url: string): void;
}

const cookie = (name: string, value: string, maxAgeSeconds: number, path: string, secure: boolean) =>
  `${name}=${encodeURIComponent(value)}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

/**
 * Dashboard sign-in with the identity provider (authorization code + PKCE):
 * /auth/login sends the browser to the provider with a fresh PKCE challenge
 * (its verifier and the state wait in a short-lived HttpOnly cookie);
 * /auth/callback exchanges the code and keeps the ID token as the session
 * cookie, which the API accepts for reads; /auth/logout forgets it.
 * Configured by AUTH_ISSUER and AUTH_DASHBOARD_CLIENT_ID (docs/security.md).
 */
@Controller('auth')
@ApiTags('sign-in')
@Public('sign-in itself: these routes establish who the caller is')
export class SignInController {
  private readonly signIn: OidcSignIn | null;

  constructor() {
    const config = loadAuthConfig();
    this.signIn =
      config.AUTH_MODE === 'enforce' && config.AUTH_ISSUER && config.AUTH_DASHBOARD_CLIENT_ID
        ? new OidcSignIn({ issuer: config.AUTH_ISSUER, clientId: config.AUTH_DASHBOARD_CLIENT_ID, clientSecret: config.AUTH_DASHBOARD_CLIENT_SECRET })
        : null;
  }

  @Get('login')
  @ApiOperation({ summary: "Sign in to the dashboard with the platform's identity provider (OIDC authorization code with PKCE)" })
  @ApiResponse({ status: 302, description: "To the identity provider's sign-in page." })
  async login(@Req() req: SignInRequest, @Res() res: SignInResponse): Promise<void> {
    const signIn = this.required();
    const { url, pending } = await signIn.start(`${originOf(req)}/auth/callback`);
    res.setHeader('Set-Cookie', cookie(PENDING_COOKIE, `${pending.state}.${pending.verifier}`, 600, '/auth', req.protocol === 'https'));
    res.redirect(302, url);
  }

  @Get('callback')
  @ApiOperation({ summary: 'Where the identity provider returns: sets the session cookie' })
  @ApiResponse({ status: 302, description: 'To the dashboard, signed in.' })
  async callback(@Req() req: SignInRequest, @Res() res: SignInResponse): Promise<void> {
    const signIn = this.required();
    const [state, verifier] = (cookiesOf(req.headers['cookie'])[PENDING_COOKIE] ?? '').split('.');
    if (!state || !verifier) throw new NotFoundException({ statusCode: 400, error: 'Bad Request', message: 'no sign-in in progress in this browser (or it took over 10 minutes): start again at /auth/login' });
    const { idToken, expiresAt } = await signIn.finish(new URL(req.url, originOf(req)), { state, verifier });
    const secure = req.protocol === 'https';
    res.setHeader('Set-Cookie', [
      cookie(SESSION_COOKIE, idToken, Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)), '/', secure),
      cookie(PENDING_COOKIE, '', 0, '/auth', secure),
    ]);
    res.redirect(302, '/dashboard');
  }

  @Get('logout')
  @ApiOperation({ summary: 'Sign out: clears the session cookie' })
  @ApiResponse({ status: 302, description: 'To the dashboard.' })
  logout(@Req() req: SignInRequest, @Res() res: SignInResponse): void {
    res.setHeader('Set-Cookie', cookie(SESSION_COOKIE, '', 0, '/', req.protocol === 'https'));
    res.redirect(302, '/dashboard');
  }

  private required(): OidcSignIn {
    if (!this.signIn) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'dashboard sign-in is not configured: set AUTH_ISSUER and AUTH_DASHBOARD_CLIENT_ID (docs/security.md)' });
    return this.signIn;
  }
}

function originOf(req: SignInRequest): string {
  const host = Array.isArray(req.headers.host) ? req.headers.host[0] : req.headers.host;
  return `${req.protocol}://${host ?? 'localhost'}`;
}
