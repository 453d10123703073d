import * as oidc from 'openid-client';

export interface OidcSignInOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** Absent: a public client (PKCE alone protects the code). */
  readonly clientSecret?: string;
}

/** What the browser keeps (in an HttpOnly cookie) between the redirect to the provider and the callback. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
}

/**
 * The dashboard's sign-in: OpenID Connect authorization code flow with PKCE
 * (openid-client). The provider's discovery document is fetched on the first
 * sign-in, so a service starts even while the provider is unreachable.
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(private readonly options: OidcSignInOptions) {}

  async start(redirectUri: string): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.config();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    return { url: url.href, pending: { state, verifier } };
  }

  /** Exchanges the code for tokens; answers the ID token (the dashboard session) and when it expires. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<{ idToken: string; expiresAt: number }> {
    const tokens = await oidc.authorizationCodeGrant(await this.config(), callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state });
    const claims = tokens.claims();
    if (!tokens.id_token || !claims) throw new Error('the identity provider answered without an ID token: ask for the "openid" scope on this client');
    return { idToken: tokens.id_token, expiresAt: claims.exp * 1000 };
  }

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= (async () => {
      const server = new URL(this.options.issuer);
      const auth = this.options.clientSecret ? oidc.ClientSecretPost(this.options.clientSecret) : oidc.None();
      // http is for a provider on this machine (tests, local runs) only.
      const execute = server.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
      return oidc.discovery(server, this.options.clientId, undefined, auth, { execute });
    })().catch((error: unknown) => {
      this.configuration = null;
      throw error;
    });
    return this.configuration;
  }
}

export const SESSION_COOKIE = 'lead_sla_session';
export const PENDING_COOKIE = 'lead_sla_sign_in';

/** Cookie values by name from a Cookie header. */
export function cookiesOf(header: string | string[] | undefined): Record<string, string> {
  const value = Array.isArray(header) ? header.join('; ') : (header ?? '');
  const out: Record<string, string> = {};
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}
