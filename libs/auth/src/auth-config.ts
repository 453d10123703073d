import { z } from 'zod';
import { envSettings, parseEnv } from '@lead-sla/platform';

/**
 * Identity settings every service with an HTTP API reads (docs/security.md).
 * AUTH_MODE=enforce (the default) accepts API keys, and bearer JWTs when
 * AUTH_ISSUER is set; AUTH_MODE=demo lets every request act as one local
 * admin and exists only for `npm start`'s demo.
 */
export const authEnv = {
  AUTH_MODE: z.enum(['enforce', 'demo'], { message: 'must be enforce or demo (demo: no identity at all, for `npm start` only)' }).default('enforce'),
  AUTH_ISSUER: z.url({ message: 'must be the identity provider\'s issuer URL (the "iss" of its tokens)' }).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number({ message: 'must be seconds' }).int().min(0).max(600).default(30),
  AUTH_PRINCIPAL_CLAIM: z.enum(['email', 'sub'], { message: 'must be email or sub: the token claim matched against the policy directory' }).default('email'),
  /** The dashboard's OpenID Connect client (authorization code + PKCE); unset: no sign-in page. */
  AUTH_DASHBOARD_CLIENT_ID: z.string().min(1).optional(),
  AUTH_DASHBOARD_CLIENT_SECRET: z.string().min(1).optional(),
  /**
   * Demo mode only: the directory id the dashboard's viewer acts as (npm start sets a demo manager on reporting),
   * instead of the all-powerful demo user. A request may also name one with the X-Demo-Person header (demo mode has no identity to protect).
   */
  AUTH_DEMO_PERSON: z.string().min(1).optional(),
  AUTH_API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
};

export type AuthConfig = z.infer<z.ZodObject<typeof authEnv>>;

/** The identity settings with their one rule across variables: an issuer needs an audience. */
export const authSettings = envSettings(authEnv, (c) =>
  c.AUTH_ISSUER && !c.AUTH_AUDIENCE ? [{ variable: 'AUTH_AUDIENCE', message: 'required with AUTH_ISSUER: the audience ("aud") your identity provider puts in tokens for this platform (not set)' }] : [],
);

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return parseEnv(authSettings, env);
}
