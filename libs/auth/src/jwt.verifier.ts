import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface JwtVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Where the signing keys are; default: the issuer's discovery document (`jwks_uri`). */
  readonly jwksUrl?: string;
  readonly clockToleranceSeconds: number;
}

/**
 * Verifies bearer JWTs against the issuer's published keys (JWKS, fetched and
 * cached by jose, refetched on an unknown key id), checking signature,
 * issuer, audience, expiry and not-before with the configured tolerance.
 */
export class JwtVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(private readonly options: JwtVerifierOptions) {}

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, await this.keySet(), {
      issuer: this.options.issuer,
      audience: this.options.audience,
      clockTolerance: this.options.clockToleranceSeconds,
    });
    return payload;
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const url = this.options.jwksUrl ?? (await this.discoverJwksUrl());
    this.keys = createRemoteJWKSet(new URL(url));
    return this.keys;
  }

  private async discoverJwksUrl(): Promise<string> {
    const discovery = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(discovery);
    if (!res.ok) throw new Error(`identity provider discovery failed: GET ${discovery} answered ${res.status}; check AUTH_ISSUER or set AUTH_JWKS_URL`);
    const body = (await res.json()) as { jwks_uri?: unknown };
    if (typeof body.jwks_uri !== 'string') throw new Error(`identity provider discovery at ${discovery} has no jwks_uri; set AUTH_JWKS_URL`);
    return body.jwks_uri;
  }
}
